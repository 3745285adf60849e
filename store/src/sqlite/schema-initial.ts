/** Migration 1 of the SQLite schema (./schema.ts): the tables and indexes tooltrace started with. */
import type { Migration } from './schema.ts';

export const INITIAL_SCHEMA: Migration = {
  version: 1,
  name: 'initial schema',
  sql: `
    CREATE TABLE projects (
      project_id   TEXT PRIMARY KEY,
      name         TEXT NOT NULL,
      plan         TEXT NOT NULL,
      max_age_days INTEGER,
      max_logs     INTEGER,
      created_at   INTEGER NOT NULL,
      -- Maintained on every log insert/delete so the post-write retention check never counts rows.
      log_count    INTEGER NOT NULL DEFAULT 0,
      logs_dropped INTEGER NOT NULL DEFAULT 0
    );

    CREATE TABLE api_keys (
      key_hash   BLOB PRIMARY KEY,
      project_id TEXT NOT NULL REFERENCES projects (project_id),
      role       TEXT NOT NULL CHECK (role IN ('ingest', 'read')),
      created_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX api_keys_by_project ON api_keys (project_id);

    -- One row per trace that has any record: the unit retention deletes.
    CREATE TABLE traces (
      project_id TEXT NOT NULL,
      trace_id   TEXT NOT NULL,
      started_at INTEGER NOT NULL,
      log_count  INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (project_id, trace_id)
    ) WITHOUT ROWID;
    CREATE INDEX traces_by_age ON traces (project_id, started_at, trace_id);

    CREATE TABLE logs (
      project_id     TEXT NOT NULL,
      trace_id       TEXT NOT NULL,
      id             TEXT NOT NULL,
      span_id        TEXT,
      parent_span_id TEXT,
      source         TEXT NOT NULL,
      timestamp      TEXT NOT NULL,
      time_unix_nano TEXT NOT NULL,
      level          TEXT NOT NULL,
      kind           TEXT,
      name           TEXT,
      message        TEXT NOT NULL,
      attributes     TEXT NOT NULL,
      duration_ms    REAL,
      body           TEXT,
      service_name   TEXT
    );
    CREATE UNIQUE INDEX logs_by_trace ON logs (project_id, trace_id, id);

    CREATE TABLE tool_calls (
      project_id    TEXT NOT NULL,
      trace_id      TEXT NOT NULL,
      span_id       TEXT NOT NULL,
      type          TEXT NOT NULL,
      tool_name     TEXT,
      integration   TEXT,
      user_id       TEXT,
      status        TEXT NOT NULL,
      http_status   INTEGER,
      error_code    TEXT,
      error_message TEXT,
      started_at    INTEGER NOT NULL,
      duration_ms   REAL NOT NULL,
      parameters    TEXT
    );
    CREATE UNIQUE INDEX tool_calls_by_trace ON tool_calls (project_id, trace_id, span_id);
    -- Also covers the histogram (status is the last column), so it never touches the table.
    CREATE INDEX tool_calls_by_time ON tool_calls (project_id, started_at, trace_id, span_id, status);
    CREATE INDEX tool_calls_by_user ON tool_calls (project_id, user_id, started_at, trace_id, span_id);
    CREATE INDEX tool_calls_by_integration ON tool_calls (project_id, integration, started_at, trace_id, span_id);
    CREATE INDEX tool_calls_by_status ON tool_calls (project_id, status, started_at, trace_id, span_id);
    CREATE INDEX tool_calls_by_tool ON tool_calls (project_id, tool_name, started_at, trace_id, span_id);
    CREATE INDEX tool_calls_by_type ON tool_calls (project_id, type, started_at, trace_id, span_id);

    -- Merged from every trigger fact and delivery attempt of one trace.
    CREATE TABLE trigger_events (
      project_id         TEXT NOT NULL,
      trace_id           TEXT NOT NULL,
      event_id           TEXT,
      type               TEXT NOT NULL,
      trigger_id         TEXT,
      trigger_name       TEXT,
      integration        TEXT,
      subscription_model TEXT,
      root_user_id       TEXT,
      user_ids           TEXT NOT NULL,
      received_at        INTEGER NOT NULL,
      root_seen          INTEGER NOT NULL,
      processing_failed  INTEGER NOT NULL,
      status             TEXT NOT NULL,
      PRIMARY KEY (project_id, trace_id)
    );
    CREATE INDEX trigger_events_by_event_id ON trigger_events (project_id, event_id);
    CREATE INDEX trigger_events_by_time ON trigger_events (project_id, received_at, trace_id, status);
    CREATE INDEX trigger_events_by_integration ON trigger_events (project_id, integration, received_at, trace_id);
    CREATE INDEX trigger_events_by_status ON trigger_events (project_id, status, received_at, trace_id);
    CREATE INDEX trigger_events_by_type ON trigger_events (project_id, type, received_at, trace_id);
    CREATE INDEX trigger_events_by_name ON trigger_events (project_id, trigger_name, received_at, trace_id);

    -- userIds is a list (root user + delivery users); this table makes "events of user X" an index scan.
    CREATE TABLE trigger_event_users (
      project_id  TEXT NOT NULL,
      trace_id    TEXT NOT NULL,
      user_id     TEXT NOT NULL,
      received_at INTEGER NOT NULL,
      PRIMARY KEY (project_id, trace_id, user_id)
    ) WITHOUT ROWID;
    CREATE INDEX trigger_event_users_by_user ON trigger_event_users (project_id, user_id, received_at, trace_id);

    CREATE TABLE delivery_attempts (
      project_id  TEXT NOT NULL,
      trace_id    TEXT NOT NULL,
      span_id     TEXT NOT NULL,
      delivery_id TEXT NOT NULL,
      event_id    TEXT,
      trigger_id  TEXT,
      attempt     INTEGER NOT NULL,
      final       INTEGER NOT NULL,
      user_id     TEXT,
      webhook_url TEXT,
      http_status INTEGER,
      succeeded   INTEGER NOT NULL,
      started_at  INTEGER NOT NULL,
      duration_ms REAL NOT NULL,
      PRIMARY KEY (project_id, trace_id, span_id)
    ) WITHOUT ROWID;
    CREATE INDEX delivery_attempts_by_delivery ON delivery_attempts (project_id, delivery_id);

    CREATE TABLE deliveries (
      project_id      TEXT NOT NULL,
      delivery_id     TEXT NOT NULL,
      trace_id        TEXT NOT NULL,
      event_id        TEXT,
      trigger_id      TEXT,
      user_id         TEXT,
      webhook_url     TEXT,
      status          TEXT NOT NULL,
      attempts        INTEGER NOT NULL,
      created_at      INTEGER NOT NULL,
      last_attempt_at INTEGER NOT NULL,
      duration_ms     REAL NOT NULL,
      last_http_status INTEGER,
      PRIMARY KEY (project_id, delivery_id)
    ) WITHOUT ROWID;
    CREATE INDEX deliveries_by_trace ON deliveries (project_id, trace_id);
  `,
};
