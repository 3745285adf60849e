/**
 * The SQLite schema as an ordered list of migrations. A migration is applied
 * once, in order, and recorded in `schema_migrations`; never edit a shipped
 * migration, append a new one.
 *
 * Times are epoch milliseconds (INTEGER) so range filters and sorting use
 * plain integer comparisons. Every index that serves a list starts with
 * `project_id`, then the filter column, then the sort key, so a filtered
 * newest-first page is one index range scan (DESIGN §6).
 */
import { INITIAL_SCHEMA } from './schema-initial.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  INITIAL_SCHEMA,
  {
    version: 2,
    name: 'covering filter indexes and planner statistics',
    // Without statistics SQLite guesses that `project_id = ?` alone is selective and picks a
    // project-wide scan over the (project_id, trace_id) index: each write would read the whole
    // project. The seeded sqlite_stat1 rows describe the intended shape (one big project,
    // selective trace/user/delivery IDs), so the planner takes the right index from the first row.
    // Appending `status` to the filter indexes lets filtered histograms read the index alone.
    sql: `
      DROP INDEX tool_calls_by_user;
      DROP INDEX tool_calls_by_integration;
      DROP INDEX tool_calls_by_status;
      DROP INDEX tool_calls_by_tool;
      DROP INDEX tool_calls_by_type;
      CREATE INDEX tool_calls_by_user ON tool_calls (project_id, user_id, started_at, trace_id, span_id, status);
      CREATE INDEX tool_calls_by_integration ON tool_calls (project_id, integration, started_at, trace_id, span_id, status);
      CREATE INDEX tool_calls_by_status ON tool_calls (project_id, status, started_at, trace_id, span_id);
      CREATE INDEX tool_calls_by_tool ON tool_calls (project_id, tool_name, started_at, trace_id, span_id, status);
      CREATE INDEX tool_calls_by_type ON tool_calls (project_id, type, started_at, trace_id, span_id, status);

      DROP INDEX trigger_events_by_integration;
      DROP INDEX trigger_events_by_type;
      DROP INDEX trigger_events_by_name;
      CREATE INDEX trigger_events_by_integration ON trigger_events (project_id, integration, received_at, trace_id, status);
      CREATE INDEX trigger_events_by_type ON trigger_events (project_id, type, received_at, trace_id, status);
      CREATE INDEX trigger_events_by_name ON trigger_events (project_id, trigger_name, received_at, trace_id, status);

      ANALYZE;
      DELETE FROM sqlite_stat1;
      INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
        ('projects', 'sqlite_autoindex_projects_1', '100 1'),
        ('api_keys', 'sqlite_autoindex_api_keys_1', '1000 1'),
        ('api_keys', 'api_keys_by_project', '1000 2'),
        ('traces', 'sqlite_autoindex_traces_1', '1000000 1000000 1'),
        ('traces', 'traces_by_age', '1000000 1000000 1 1'),
        ('logs', 'logs_by_trace', '10000000 10000000 10 1'),
        ('tool_calls', 'tool_calls_by_trace', '1000000 1000000 1 1'),
        ('tool_calls', 'tool_calls_by_time', '1000000 1000000 1 1 1 1'),
        ('tool_calls', 'tool_calls_by_user', '1000000 1000000 100 1 1 1 1'),
        ('tool_calls', 'tool_calls_by_integration', '1000000 1000000 20000 1 1 1 1'),
        ('tool_calls', 'tool_calls_by_status', '1000000 1000000 500000 1 1 1'),
        ('tool_calls', 'tool_calls_by_tool', '1000000 1000000 2000 1 1 1 1'),
        ('tool_calls', 'tool_calls_by_type', '1000000 1000000 500000 1 1 1 1'),
        ('trigger_events', 'sqlite_autoindex_trigger_events_1', '1000000 1000000 1'),
        ('trigger_events', 'trigger_events_by_event_id', '1000000 1000000 1'),
        ('trigger_events', 'trigger_events_by_time', '1000000 1000000 1 1 1'),
        ('trigger_events', 'trigger_events_by_integration', '1000000 1000000 20000 1 1 1'),
        ('trigger_events', 'trigger_events_by_status', '1000000 1000000 250000 1 1'),
        ('trigger_events', 'trigger_events_by_type', '1000000 1000000 500000 1 1 1'),
        ('trigger_events', 'trigger_events_by_name', '1000000 1000000 5000 1 1 1'),
        ('trigger_event_users', 'sqlite_autoindex_trigger_event_users_1', '1000000 1000000 1 1'),
        ('trigger_event_users', 'trigger_event_users_by_user', '1000000 1000000 100 1 1'),
        ('delivery_attempts', 'sqlite_autoindex_delivery_attempts_1', '1000000 1000000 3 1'),
        ('delivery_attempts', 'delivery_attempts_by_delivery', '1000000 1000000 2'),
        ('deliveries', 'sqlite_autoindex_deliveries_1', '1000000 1000000 1'),
        ('deliveries', 'deliveries_by_trace', '1000000 1000000 2');
      ANALYZE sqlite_schema;
    `,
  },
  {
    version: 3,
    name: 'facet counts',
    // Unfiltered facets (the filter pickers' first view) read these counts, kept up to date on every
    // upsert and deletion, instead of scanning one index per facet.
    sql: `
      CREATE TABLE facet_counts (
        project_id TEXT NOT NULL,
        kind       TEXT NOT NULL,
        facet      TEXT NOT NULL,
        value      TEXT NOT NULL,
        count      INTEGER NOT NULL,
        PRIMARY KEY (project_id, kind, facet, value)
      ) WITHOUT ROWID;
      INSERT INTO facet_counts SELECT project_id, 'tool_calls', 'integration', integration, COUNT(*) FROM tool_calls WHERE integration IS NOT NULL GROUP BY project_id, integration;
      INSERT INTO facet_counts SELECT project_id, 'tool_calls', 'tool_name', tool_name, COUNT(*) FROM tool_calls WHERE tool_name IS NOT NULL GROUP BY project_id, tool_name;
      INSERT INTO facet_counts SELECT project_id, 'tool_calls', 'user_id', user_id, COUNT(*) FROM tool_calls WHERE user_id IS NOT NULL GROUP BY project_id, user_id;
      INSERT INTO facet_counts SELECT project_id, 'tool_calls', 'status', status, COUNT(*) FROM tool_calls WHERE status IS NOT NULL GROUP BY project_id, status;
      INSERT INTO facet_counts SELECT project_id, 'tool_calls', 'type', type, COUNT(*) FROM tool_calls WHERE type IS NOT NULL GROUP BY project_id, type;
      INSERT INTO facet_counts SELECT project_id, 'trigger_events', 'integration', integration, COUNT(*) FROM trigger_events WHERE integration IS NOT NULL GROUP BY project_id, integration;
      INSERT INTO facet_counts SELECT project_id, 'trigger_events', 'trigger_name', trigger_name, COUNT(*) FROM trigger_events WHERE trigger_name IS NOT NULL GROUP BY project_id, trigger_name;
      INSERT INTO facet_counts SELECT project_id, 'trigger_events', 'status', status, COUNT(*) FROM trigger_events WHERE status IS NOT NULL GROUP BY project_id, status;
      INSERT INTO facet_counts SELECT project_id, 'trigger_events', 'type', type, COUNT(*) FROM trigger_events WHERE type IS NOT NULL GROUP BY project_id, type;
      INSERT INTO facet_counts SELECT project_id, 'trigger_events', 'user_id', user_id, COUNT(*) FROM trigger_event_users GROUP BY project_id, user_id;
      INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
        ('facet_counts', 'sqlite_autoindex_facet_counts_1', '100000 100000 50000 10000 1');
      ANALYZE sqlite_schema;
    `,
  },
  {
    version: 4,
    name: 'forwarding destinations',
    // A destination's settings change together and are read whole, so they are one JSON document.
    sql: `
      CREATE TABLE forward_destinations (
        destination_id TEXT PRIMARY KEY,
        project_id     TEXT NOT NULL REFERENCES projects(project_id),
        settings       TEXT NOT NULL,
        created_at     INTEGER NOT NULL,
        updated_at     INTEGER NOT NULL
      );
      CREATE INDEX forward_destinations_by_project ON forward_destinations (project_id, created_at);
      `,
  },
  {
    version: 5,
    name: 'error category and group of tool calls',
    // Additive: rows written before this version keep NULL (they are not grouped until re-sent).
    // The group index serves the error-groups view and its drill-down list; the others its filters.
    sql: `
      ALTER TABLE tool_calls ADD COLUMN error_category TEXT;
      ALTER TABLE tool_calls ADD COLUMN error_group TEXT;
      CREATE INDEX tool_calls_by_error_group ON tool_calls (project_id, error_group, started_at, trace_id, span_id, status);
      CREATE INDEX tool_calls_by_error_category ON tool_calls (project_id, error_category, started_at, trace_id, span_id, status);
      CREATE INDEX tool_calls_by_error_code ON tool_calls (project_id, error_code, started_at, trace_id, span_id, status);
      CREATE INDEX tool_calls_by_http_status ON tool_calls (project_id, http_status, started_at, trace_id, span_id, status);
      INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
        ('tool_calls', 'tool_calls_by_error_group', '1000000 1000000 5000 1 1 1 1'),
        ('tool_calls', 'tool_calls_by_error_category', '1000000 1000000 100000 1 1 1 1'),
        ('tool_calls', 'tool_calls_by_error_code', '1000000 1000000 50000 1 1 1 1'),
        ('tool_calls', 'tool_calls_by_http_status', '1000000 1000000 100000 1 1 1 1');
      ANALYZE sqlite_schema;
    `,
  },
  {
    version: 6,
    name: 'admin keys and redaction rules',
    // SQLite cannot widen a CHECK constraint in place: the key table is rebuilt with the admin role.
    // Redaction rules are the project's own JSON ({ keys, patterns }); NULL means none beyond the defaults.
    sql: `
      CREATE TABLE api_keys_v6 (
        key_hash   BLOB PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects (project_id),
        role       TEXT NOT NULL CHECK (role IN ('ingest', 'read', 'admin')),
        created_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      INSERT INTO api_keys_v6 SELECT key_hash, project_id, role, created_at FROM api_keys;
      DROP TABLE api_keys;
      ALTER TABLE api_keys_v6 RENAME TO api_keys;
      CREATE INDEX api_keys_by_project ON api_keys (project_id);
      ALTER TABLE projects ADD COLUMN redaction_rules TEXT;
    `,
  },
  {
    version: 7,
    name: 'ingest status',
    // One small JSON document per project (store/src/ingest-status.ts), read and merged whole.
    sql: `
      CREATE TABLE ingest_status (
        project_id TEXT PRIMARY KEY REFERENCES projects (project_id),
        doc        TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 8,
    name: 'tool call IDs',
    // Additive: rows written before this version keep NULL.
    sql: `
      ALTER TABLE tool_calls ADD COLUMN tool_call_id TEXT;
      CREATE INDEX tool_calls_by_tool_call_id ON tool_calls (project_id, tool_call_id, started_at, trace_id, span_id, status);
    `,
  },
  {
    version: 9,
    name: 'facet counts per day',
    // Facets over a time range (the UI always sends one) read the counts of the whole UTC days inside it and
    // scan only the partial days at its edges. Day = start of the record's UTC day in epoch ms (list time:
    // started_at of a tool call, received_at of a trigger event), the same rule as facet-counts.ts' dayOf.
    sql: `
      CREATE TABLE facet_day_counts (
        project_id TEXT NOT NULL,
        kind       TEXT NOT NULL,
        facet      TEXT NOT NULL,
        day        INTEGER NOT NULL,
        value      TEXT NOT NULL,
        count      INTEGER NOT NULL,
        PRIMARY KEY (project_id, kind, facet, day, value)
      ) WITHOUT ROWID;
      INSERT INTO facet_day_counts SELECT project_id, 'tool_calls', 'integration', started_at - ((started_at % 86400000) + 86400000) % 86400000, integration, COUNT(*) FROM tool_calls WHERE integration IS NOT NULL GROUP BY 1, 4, 5;
      INSERT INTO facet_day_counts SELECT project_id, 'tool_calls', 'tool_name', started_at - ((started_at % 86400000) + 86400000) % 86400000, tool_name, COUNT(*) FROM tool_calls WHERE tool_name IS NOT NULL GROUP BY 1, 4, 5;
      INSERT INTO facet_day_counts SELECT project_id, 'tool_calls', 'user_id', started_at - ((started_at % 86400000) + 86400000) % 86400000, user_id, COUNT(*) FROM tool_calls WHERE user_id IS NOT NULL GROUP BY 1, 4, 5;
      INSERT INTO facet_day_counts SELECT project_id, 'tool_calls', 'status', started_at - ((started_at % 86400000) + 86400000) % 86400000, status, COUNT(*) FROM tool_calls WHERE status IS NOT NULL GROUP BY 1, 4, 5;
      INSERT INTO facet_day_counts SELECT project_id, 'tool_calls', 'type', started_at - ((started_at % 86400000) + 86400000) % 86400000, type, COUNT(*) FROM tool_calls WHERE type IS NOT NULL GROUP BY 1, 4, 5;
      INSERT INTO facet_day_counts SELECT project_id, 'trigger_events', 'integration', received_at - ((received_at % 86400000) + 86400000) % 86400000, integration, COUNT(*) FROM trigger_events WHERE integration IS NOT NULL GROUP BY 1, 4, 5;
      INSERT INTO facet_day_counts SELECT project_id, 'trigger_events', 'trigger_name', received_at - ((received_at % 86400000) + 86400000) % 86400000, trigger_name, COUNT(*) FROM trigger_events WHERE trigger_name IS NOT NULL GROUP BY 1, 4, 5;
      INSERT INTO facet_day_counts SELECT project_id, 'trigger_events', 'status', received_at - ((received_at % 86400000) + 86400000) % 86400000, status, COUNT(*) FROM trigger_events WHERE status IS NOT NULL GROUP BY 1, 4, 5;
      INSERT INTO facet_day_counts SELECT project_id, 'trigger_events', 'type', received_at - ((received_at % 86400000) + 86400000) % 86400000, type, COUNT(*) FROM trigger_events WHERE type IS NOT NULL GROUP BY 1, 4, 5;
      INSERT INTO facet_day_counts SELECT project_id, 'trigger_events', 'user_id', received_at - ((received_at % 86400000) + 86400000) % 86400000, user_id, COUNT(*) FROM trigger_event_users GROUP BY 1, 4, 5;
      INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
        ('facet_day_counts', 'sqlite_autoindex_facet_day_counts_1', '1000000 1000000 500000 100000 1000 1');
      ANALYZE sqlite_schema;
    `,
  },
  {
    version: 10,
    name: 'span links',
    // Additive: a span entry's links as JSON, NULL when it has none (and on rows written before this version).
    sql: 'ALTER TABLE logs ADD COLUMN links TEXT;',
  },
  {
    version: 11,
    name: 'forwarding status reports',
    // On the destination's row, so deleting the destination deletes its report; NULL until the collector reports.
    sql: `
      ALTER TABLE forward_destinations ADD COLUMN status TEXT;
      ALTER TABLE forward_destinations ADD COLUMN status_at INTEGER;
    `,
  },
  {
    version: 12,
    name: 'log times as numbers',
    // A log's time becomes epoch ms plus the nanoseconds past it (its ISO text and nanosecond string
    // go), like every other time here. Old rows are converted from their nanosecond digits.
    sql: `
      ALTER TABLE logs ADD COLUMN time_ms INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE logs ADD COLUMN sub_ms_nanos INTEGER NOT NULL DEFAULT 0;
      UPDATE logs SET
        time_ms = CAST(substr(time_unix_nano, 1, length(time_unix_nano) - 6) AS INTEGER),
        sub_ms_nanos = CAST(substr(time_unix_nano, -6) AS INTEGER);
      ALTER TABLE logs DROP COLUMN timestamp;
      ALTER TABLE logs DROP COLUMN time_unix_nano;
    `,
  },
  {
    version: 13,
    name: 'planner statistics for the tool call ID index',
    // Migration 8's index had no sqlite_stat1 row, so the planner guessed ~10 rows per project for it and took
    // it for every `project_id = ?` list: the newest-first page of tool calls sorted the whole project in a
    // temporary B-tree (0.2–1 s at a million logs) instead of reading one range of tool_calls_by_time.
    sql: `
      INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
        ('tool_calls', 'tool_calls_by_tool_call_id', '1000000 1000000 1 1 1 1 1');
      ANALYZE sqlite_schema;
    `,
  },
  {
    version: 14,
    name: 'inherited users',
    // Additive: rows written before this version count as naming their user themselves (never revisited).
    // The partial index holds only calls whose user may still come from an ancestor: a write looks them up
    // per trace it brings spans of, and for most traffic (users on every span) it is empty. Its statistics row
    // says so (a partial index is only ever used by queries that name `user_inherited = 1`).
    sql: `
      ALTER TABLE tool_calls ADD COLUMN user_inherited INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX tool_calls_inheriting_user ON tool_calls (project_id, trace_id) WHERE user_inherited = 1;
      INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('tool_calls', 'tool_calls_inheriting_user', '1000 100 1');
      ANALYZE sqlite_schema;
    `,
  },
  {
    version: 15,
    name: 'delivery counts on trigger events',
    // What a list row shows as "2/3 deliveries failed", kept with the status it is derived beside. Existing
    // events are counted from their deliveries the way the fold counts them (an attempt in the event's trace).
    sql: `
      ALTER TABLE trigger_events ADD COLUMN delivery_count INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE trigger_events ADD COLUMN failed_delivery_count INTEGER NOT NULL DEFAULT 0;
      UPDATE trigger_events SET
        delivery_count = (SELECT count(*) FROM deliveries d WHERE d.project_id = trigger_events.project_id
          AND d.delivery_id IN (SELECT a.delivery_id FROM delivery_attempts a
            WHERE a.project_id = trigger_events.project_id AND a.trace_id = trigger_events.trace_id)),
        failed_delivery_count = (SELECT count(*) FROM deliveries d WHERE d.project_id = trigger_events.project_id
          AND d.status = 'failed' AND d.delivery_id IN (SELECT a.delivery_id FROM delivery_attempts a
            WHERE a.project_id = trigger_events.project_id AND a.trace_id = trigger_events.trace_id));
    `,
  },
  {
    version: 16,
    name: 'logs of a trace stored in chunks',
    // Logs are read and deleted only a whole trace at a time, so each write's logs of a trace become one row
    // (log-chunks.ts): one index entry per trace and write instead of one per log. Entries are positional JSON
    // arrays; `log_ids` lists the chunk's IDs so a write can find the ones it replaces without reading entries.
    // Existing logs become one chunk per trace.
    sql: `
      CREATE TABLE log_chunks (
        project_id TEXT NOT NULL,
        trace_id   TEXT NOT NULL,
        log_ids    TEXT NOT NULL,
        entries    TEXT NOT NULL
      );
      CREATE INDEX log_chunks_by_trace ON log_chunks (project_id, trace_id);
      INSERT INTO log_chunks (project_id, trace_id, log_ids, entries)
        SELECT project_id, trace_id, json_group_array(id),
          json_group_array(json_array(id, span_id, parent_span_id, source, time_ms, sub_ms_nanos, level, kind, name,
            message, json(attributes), duration_ms, body, service_name, json(links)))
        FROM logs GROUP BY project_id, trace_id;
      DROP TABLE logs;
      DELETE FROM sqlite_stat1 WHERE tbl = 'logs';
      INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('log_chunks', 'log_chunks_by_trace', '2000000 2000000 2');
      ANALYZE sqlite_schema;
    `,
  },
  {
    version: 17,
    name: 'facet counts per day only',
    // Unfiltered facets sum the per-day counts (migration 9) over every day instead of reading a whole-project
    // count of their own: each write keeps half as many counts (store.write 1.1× faster in the bench), and the sum
    // reads one row per value and day, a few thousand for a busy month.
    sql: `
      DROP TABLE facet_counts;
      DELETE FROM sqlite_stat1 WHERE tbl = 'facet_counts';
      ANALYZE sqlite_schema;
    `,
  },
];
