/** SQLite records: kept facet counts, hashed keys, and refusing bad input. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { attempt, batch, DAY, HOUR, toolCallTrace, triggerTrace } from '../conformance/fixtures.ts';
import type { Store } from '../store.ts';
import { openSqliteStore } from './index.ts';
import { MAX_CHUNKS_PER_TRACE } from './log-chunks.ts';
import { tempStores } from './testing/temp-stores.ts';

const { newFile, track } = tempStores();

/** Undoes migration 17: the whole-project facet count table is back (empty: only migration 3 fills it). */
function undoDayCountsOnly(db: Database.Database): void {
  db.exec(`CREATE TABLE facet_counts (project_id TEXT NOT NULL, kind TEXT NOT NULL, facet TEXT NOT NULL,
      value TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (project_id, kind, facet, value)) WITHOUT ROWID;
    DELETE FROM schema_migrations WHERE version >= 17`);
}

/** Undoes migrations 17 and 16: one row per log again, as version 15 kept them. */
function undoLogChunks(db: Database.Database): void {
  undoDayCountsOnly(db);
  const entry = (i: number) => `e.value ->> ${i}`;
  db.exec(`CREATE TABLE logs (project_id TEXT NOT NULL, trace_id TEXT NOT NULL, id TEXT NOT NULL, span_id TEXT,
      parent_span_id TEXT, source TEXT NOT NULL, level TEXT NOT NULL, kind TEXT, name TEXT, message TEXT NOT NULL,
      attributes TEXT NOT NULL, duration_ms REAL, body TEXT, service_name TEXT, links TEXT,
      time_ms INTEGER NOT NULL DEFAULT 0, sub_ms_nanos INTEGER NOT NULL DEFAULT 0);
    CREATE UNIQUE INDEX logs_by_trace ON logs (project_id, trace_id, id);
    INSERT INTO logs (project_id, trace_id, id, span_id, parent_span_id, source, time_ms, sub_ms_nanos, level, kind,
      name, message, attributes, duration_ms, body, service_name, links)
      SELECT c.project_id, c.trace_id, ${[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(entry).join(', ')}, e.value -> 10,
        ${[11, 12, 13].map(entry).join(', ')}, CASE json_type(e.value, '$[14]') WHEN 'null' THEN NULL ELSE e.value -> 14 END
      FROM log_chunks c, json_each(c.entries) e;
    DROP TABLE log_chunks; DELETE FROM sqlite_stat1 WHERE tbl = 'log_chunks';
    DELETE FROM schema_migrations WHERE version >= 16`);
}

/** Undoes migrations 17 to 15: trigger events without their delivery counts, as version 14 kept them. */
function undoDeliveryCounts(db: Database.Database): void {
  undoLogChunks(db);
  db.exec(`ALTER TABLE trigger_events DROP COLUMN delivery_count;
    ALTER TABLE trigger_events DROP COLUMN failed_delivery_count; DELETE FROM schema_migrations WHERE version >= 15`);
}

/**
 * Undoes migrations 17 to 14 (inherited users) and 12: logs back to ISO text and a nanosecond string, as version 11
 * kept them (13 only added a statistics row, which replaying adds again).
 */
function undoLogTimes(db: Database.Database): void {
  undoDeliveryCounts(db);
  db.exec(`DROP INDEX tool_calls_inheriting_user; ALTER TABLE tool_calls DROP COLUMN user_inherited;
    ALTER TABLE logs ADD COLUMN timestamp TEXT NOT NULL DEFAULT '';
    ALTER TABLE logs ADD COLUMN time_unix_nano TEXT NOT NULL DEFAULT '';
    UPDATE logs SET timestamp = strftime('%Y-%m-%dT%H:%M:%fZ', time_ms / 1000.0, 'unixepoch'),
      time_unix_nano = CAST(time_ms AS TEXT) || substr('00000' || sub_ms_nanos, -6);
    ALTER TABLE logs DROP COLUMN time_ms; ALTER TABLE logs DROP COLUMN sub_ms_nanos;
    DELETE FROM schema_migrations WHERE version >= 12`);
}

describe('SQLite backend specifics', () => {
  describe('facet counts', () => {
    /** Writes, re-sends, changes and retention, then compares the kept counts with a scan of the records. */
    async function churn(store: Store, pid: string, now: number) {
      const traces = Array.from({ length: 30 }, (_, i) =>
        toolCallTrace(
          {
            at: now - (30 - i) * 3 * HOUR, // the kept ones span more than a day
            userId: `u${i % 4}`,
            integration: i % 3 ? 'slack' : 'github',
            status: i % 5 ? 'success' : 'error',
          },
          1,
        ),
      );
      for (const t of traces) await store.write(pid, t.batch);
      await store.write(pid, traces[3]!.batch);
      const changed = { ...traces[29]!.call, status: 'error' as const, userId: 'u9', integration: null };
      await store.write(pid, batch({ toolCalls: [changed] }));
      for (let i = 0; i < 6; i += 1) {
        const event = triggerTrace({
          at: now - (6 - i) * HOUR,
          userId: `u${i % 2}`,
          failed: i === 2,
          deliveries: i % 3,
        });
        const [root, ...children] = [event.batch.triggers[0]!, ...event.batch.deliveryAttempts];
        // Children first, then the root, then everything again.
        await store.write(pid, batch({ deliveryAttempts: children as typeof event.batch.deliveryAttempts }));
        await store.write(pid, batch({ triggers: [root as (typeof event.batch.triggers)[0]] }));
        await store.write(pid, event.batch);
      }
      await store.setPlan(pid, 'enterprise', { maxLogs: 30 });
    }

    it('unfiltered facets (the day counts summed) equal a scan of the records after churn and retention', async () => {
      const now = Date.now();
      const file = newFile();
      const store = track(openSqliteStore({ path: file, retentionSweepIntervalMs: 0 }));
      const pid = (await store.createProject({ name: 'f', plan: 'pro' })).project.projectId;
      await churn(store, pid, now);
      expect((await store.retentionStatus(pid)).logsDropped).toBeGreaterThan(0);
      const db = new Database(file, { readonly: true });
      const scanned = (from: string, column: string) =>
        db
          .prepare(`SELECT ${column} AS value, count(*) AS count FROM ${from} WHERE project_id = ? AND ${column} IS NOT NULL
            GROUP BY ${column} ORDER BY count DESC, value ASC`)
          .all(pid);
      try {
        expect(await store.toolCallFacets(pid, {})).toEqual({
          integrations: scanned('tool_calls', 'integration'),
          toolNames: scanned('tool_calls', 'tool_name'),
          userIds: scanned('tool_calls', 'user_id'),
          statuses: scanned('tool_calls', 'status'),
          types: scanned('tool_calls', 'type'),
        });
        expect(await store.triggerEventFacets(pid, {})).toEqual({
          integrations: scanned('trigger_events', 'integration'),
          triggerNames: scanned('trigger_events', 'trigger_name'),
          userIds: scanned('trigger_event_users', 'user_id'),
          statuses: scanned('trigger_events', 'status'),
          types: scanned('trigger_events', 'type'),
        });
      } finally {
        db.close();
      }
      // A facet ignores its own filter, so it reads the kept counts too.
      const own = await store.toolCallFacets(pid, { integration: 'slack' });
      expect(own.integrations).toEqual((await store.toolCallFacets(pid, {})).integrations);
      expect((await store.toolCallFacets(pid, {})).userIds.map((u) => u.value)).toContain('u9');
    });

    it('the migration that adds them counts the records already stored', async () => {
      const file = newFile();
      const now = Date.now();
      const store = openSqliteStore({ path: file, retentionSweepIntervalMs: 0 });
      const pid = (await store.createProject({ name: 'm', plan: 'pro' })).project.projectId;
      await churn(store, pid, now);
      // A range with partial days at both edges reads day counts and scans the edges.
      const range = { from: now - 40 * HOUR, to: now - 3 * HOUR };
      const expected = {
        tools: await store.toolCallFacets(pid, {}),
        triggers: await store.triggerEventFacets(pid, {}),
        rangedTools: await store.toolCallFacets(pid, range),
        rangedTriggers: await store.triggerEventFacets(pid, range),
      };
      await store.close();
      const db = new Database(file);
      undoLogTimes(db);
      const dayCounts = () =>
        db.prepare('SELECT * FROM facet_day_counts ORDER BY project_id, kind, facet, day, value').all();
      const kept = dayCounts();
      expect(kept.length).toBeGreaterThan(0);
      // Back to schema version 2: undo version 14 (inherited users, with 12 in undoLogTimes), 13 (its statistics row
      // goes with the index it describes), 12 (log times), 11 (forwarding status: columns of the table dropped with 4),
      // 10 (span links), 9 (facet counts per day), 8 (tool call IDs),
      // 7 (ingest status), 6 (admin keys: the column), 5 (error groups), 4 (forwarding) and 3 (facet counts), so
      // reopening replays them and recounts from the records: the counts kept by writes and retention must equal them.
      db.exec(`ALTER TABLE logs DROP COLUMN links; DROP INDEX tool_calls_by_tool_call_id; ALTER TABLE tool_calls DROP COLUMN tool_call_id;
        DROP INDEX tool_calls_by_error_group; DROP INDEX tool_calls_by_error_category;
        DROP INDEX tool_calls_by_error_code; DROP INDEX tool_calls_by_http_status;
        ALTER TABLE tool_calls DROP COLUMN error_category; ALTER TABLE tool_calls DROP COLUMN error_group;
        ALTER TABLE projects DROP COLUMN redaction_rules;
        DROP TABLE facet_counts; DROP TABLE forward_destinations; DROP TABLE ingest_status;
        DROP TABLE facet_day_counts; DELETE FROM schema_migrations WHERE version >= 3`);
      const reopened = track(openSqliteStore({ path: file, retentionSweepIntervalMs: 0 }));
      expect(await reopened.toolCallFacets(pid, {})).toEqual(expected.tools);
      expect(await reopened.triggerEventFacets(pid, {})).toEqual(expected.triggers);
      expect(await reopened.toolCallFacets(pid, range)).toEqual(expected.rangedTools);
      expect(await reopened.triggerEventFacets(pid, range)).toEqual(expected.rangedTriggers);
      expect(dayCounts()).toEqual(kept);
      db.close();
    });
  });

  describe('delivery counts', () => {
    it('the migration that keeps them counts the deliveries already stored, as writes keep them', async () => {
      const file = newFile();
      const store = openSqliteStore({ path: file, retentionSweepIntervalMs: 0 });
      const pid = (await store.createProject({ name: 'd', plan: 'pro' })).project.projectId;
      const event = triggerTrace({ at: Date.now() - HOUR, deliveries: 3 });
      const [first, second] = event.batch.deliveryAttempts;
      const failing = (a: typeof first) => ({ ...a!, succeeded: false, httpStatus: 500, final: true });
      await store.write(pid, {
        ...event.batch,
        deliveryAttempts: [failing(first), failing(second), ...event.batch.deliveryAttempts.slice(2)],
      });
      const counts = async (s: Store) =>
        (await s.listTriggerEvents(pid, {}, { limit: 10 })).items.map((e) => [e.deliveryCount, e.failedDeliveryCount]);
      const kept = await counts(store);
      expect(kept).toEqual([[3, 2]]);
      await store.close();
      const db = new Database(file);
      undoDeliveryCounts(db);
      db.close();
      expect(await counts(track(openSqliteStore({ path: file, retentionSweepIntervalMs: 0 })))).toEqual(kept);
    });
  });

  describe('log times', () => {
    it('the migration that makes them numbers keeps every log at its time, to the nanosecond', async () => {
      const file = newFile();
      const store = openSqliteStore({ path: file, retentionSweepIntervalMs: 0 });
      const pid = (await store.createProject({ name: 'm', plan: 'pro' })).project.projectId;
      const trace = toolCallTrace({ at: Date.now() - HOUR }, 3);
      const logs = trace.batch.logs.map((l, i) => ({
        ...l,
        timeMs: l.timeMs + (i % 2),
        subMsNanos: [7, 999_999, 0, 120_000][i] ?? 1,
      }));
      await store.write(pid, { ...trace.batch, logs });
      const before = (await store.getTrace(pid, trace.call.traceId))?.logs;
      await store.close();
      const db = new Database(file);
      undoLogTimes(db);
      const old = db.prepare('SELECT timestamp, time_unix_nano FROM logs ORDER BY time_unix_nano LIMIT 1').get();
      db.close();
      expect(old).toEqual({
        timestamp: new Date(Math.min(...logs.map((l) => l.timeMs))).toISOString(),
        time_unix_nano: expect.stringMatching(/^\d{19}$/),
      });
      const reopened = track(openSqliteStore({ path: file, retentionSweepIntervalMs: 0 }));
      const after = (await reopened.getTrace(pid, trace.call.traceId))?.logs;
      expect(after).toHaveLength(4);
      expect(after).toEqual(before);
      expect(after?.map((l) => l.subMsNanos).sort((a, b) => a - b)).toEqual([0, 7, 120_000, 999_999]);
    });
  });

  describe('log chunks', () => {
    it('a write that brings some IDs already stored replaces just those, wherever they were, and counts only new ones', async () => {
      const file = newFile();
      const store = track(openSqliteStore({ path: file, retentionSweepIntervalMs: 0 }));
      const pid = (await store.createProject({ name: 'r', plan: 'pro' })).project.projectId;
      const trace = toolCallTrace({ at: Date.now() - HOUR }, 3);
      const [a, b, c, d] = trace.batch.logs;
      await store.write(pid, { ...trace.batch, logs: [a!, b!] });
      await store.write(pid, batch({ logs: [c!] }));
      const changed = { ...b!, message: 'changed b' };
      const changedC = { ...c!, message: 'changed c' };
      await store.write(pid, batch({ logs: [changed, d!, changedC, { ...d!, message: 'later d' }] }));
      const logs = (await store.getTrace(pid, trace.call.traceId))?.logs ?? [];
      expect(logs.map((l) => [l.id, l.message]).sort()).toEqual(
        [
          [a!.id, a!.message],
          [b!.id, 'changed b'],
          [c!.id, 'changed c'],
          [d!.id, 'later d'],
        ].sort(),
      );
      expect((await store.retentionStatus(pid)).logCount).toBe(4);
      const db = new Database(file, { readonly: true });
      const chunks = db.prepare('SELECT log_ids FROM log_chunks ORDER BY rowid').all() as { log_ids: string }[];
      db.close();
      // The first chunk kept a, the second (c alone) went, the third holds the replacements and d.
      expect(chunks.map((chunk) => (JSON.parse(chunk.log_ids) as string[]).sort())).toEqual([
        [a!.id],
        [b!.id, c!.id, d!.id].sort(),
      ]);
    });

    it('a trace written many times keeps at most MAX_CHUNKS_PER_TRACE chunks, every log, and exact counts', async () => {
      const file = newFile();
      const store = track(openSqliteStore({ path: file, retentionSweepIntervalMs: 0 }));
      const pid = (await store.createProject({ name: 'l', plan: 'pro' })).project.projectId;
      const trace = toolCallTrace({ at: Date.now() - HOUR }, 1);
      const template = trace.batch.logs[0]!;
      const logOf = (i: number, message = `log ${i}`) => ({
        ...template,
        id: `log:${i}`,
        message,
        timeMs: template.timeMs + i,
      });
      const db = new Database(file, { readonly: true });
      const chunkCount = () =>
        (db.prepare('SELECT count(*) AS n FROM log_chunks WHERE trace_id = ?').get(template.traceId) as { n: number })
          .n;
      const counts: number[] = [];
      for (let i = 0; i < 40; i += 1) {
        // The write that merges every chunk also re-sends log 3, changed.
        const logs = i === MAX_CHUNKS_PER_TRACE ? [logOf(i), logOf(3, 'log 3 again')] : [logOf(i)];
        await store.write(pid, batch({ logs }));
        counts.push(chunkCount());
      }
      db.close();
      expect(Math.max(...counts)).toBe(MAX_CHUNKS_PER_TRACE);
      expect(counts[MAX_CHUNKS_PER_TRACE]).toBe(1);
      const logs = (await store.getTrace(pid, template.traceId))?.logs ?? [];
      expect(logs.map((l) => l.id)).toEqual(Array.from({ length: 40 }, (_, i) => `log:${i}`));
      expect(logs[3]?.message).toBe('log 3 again');
      expect((await store.retentionStatus(pid)).logCount).toBe(40);
    });

    it("the migration that stores a trace's logs in chunks keeps every log, its links and its attributes", async () => {
      const file = newFile();
      const store = openSqliteStore({ path: file, retentionSweepIntervalMs: 0 });
      const pid = (await store.createProject({ name: 'c', plan: 'pro' })).project.projectId;
      const trace = toolCallTrace({ at: Date.now() - HOUR }, 3);
      const [first, ...rest] = trace.batch.logs;
      const linked = {
        ...first!,
        attributes: { nested: { list: [1, 'two', null] }, n: 1.5, flag: false },
        links: [{ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), attributes: { why: 'retry' } }],
      };
      await store.write(pid, { ...trace.batch, logs: [linked, ...rest] });
      const before = (await store.getTrace(pid, trace.call.traceId))?.logs;
      expect(before?.find((l) => l.id === linked.id)).toMatchObject({
        links: linked.links,
        attributes: linked.attributes,
      });
      await store.close();
      const db = new Database(file);
      undoLogChunks(db);
      expect(db.prepare('SELECT count(*) AS n FROM logs').get()).toEqual({ n: 4 });
      db.close();
      const reopened = track(openSqliteStore({ path: file, retentionSweepIntervalMs: 0 }));
      expect((await reopened.getTrace(pid, trace.call.traceId))?.logs).toEqual(before);
      expect((await reopened.retentionStatus(pid)).logCount).toBe(4);
      // Written again after the migration: the same logs replace their migrated versions, nothing is counted twice.
      await reopened.write(pid, trace.batch);
      expect((await reopened.getTrace(pid, trace.call.traceId))?.logs).toHaveLength(4);
      expect((await reopened.retentionStatus(pid)).logCount).toBe(4);
    });
  });

  describe('keys', () => {
    it('stores only SHA-256 hashes of the keys', async () => {
      const file = newFile();
      const store = track(openSqliteStore({ path: file, retentionSweepIntervalMs: 0 }));
      const { ingestKey, readKey, adminKey } = await store.createProject({ name: 'k', plan: 'trial' });
      await store.close();
      const db = new Database(file, { readonly: true });
      const hashes = db.prepare('SELECT key_hash, role FROM api_keys').all() as { key_hash: Buffer; role: string }[];
      db.close();
      const sha = (key: string) => createHash('sha256').update(key).digest('hex');
      expect(hashes.map((h) => [h.role, h.key_hash.toString('hex')]).sort()).toEqual(
        [
          ['ingest', sha(ingestKey)],
          ['read', sha(readKey)],
          ['admin', sha(adminKey)],
        ].sort(),
      );
      const raw = Buffer.concat(
        [file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)),
      ).toString('latin1');
      expect(raw).not.toContain(ingestKey.slice('tt_ingest_'.length));
      expect(raw).not.toContain(readKey.slice('tt_read_'.length));
      expect(raw).not.toContain(adminKey.slice('tt_admin_'.length));
    });
  });

  describe('bad input', () => {
    it('rejects a malformed batch before writing anything', async () => {
      const store = track(openSqliteStore({ path: ':memory:', retentionSweepIntervalMs: 0 }));
      const pid = (await store.createProject({ name: 'b', plan: 'pro' })).project.projectId;
      const good = toolCallTrace({ at: Date.now() }, 1);
      const bad = toolCallTrace({ at: Date.now() }, 0);
      bad.call.startedAtMs = Number.NaN;
      await expect(store.write(pid, { ...good.batch, toolCalls: [...good.batch.toolCalls, bad.call] })).rejects.toThrow(
        /toolCall.startedAtMs/,
      );
      await expect(store.write(pid, batch({ logs: [{ ...good.logs[0]!, traceId: "' OR 1=1 --" }] }))).rejects.toThrow(
        /log.traceId/,
      );
      // Facts carry epoch ms: ISO text where a number belongs is refused, naming the field.
      const stale = attempt({ traceId: good.call.traceId, deliveryId: 'd', at: 0 });
      const isoTime = { ...stale, startedAtMs: new Date().toISOString() as unknown as number };
      await expect(store.write(pid, batch({ deliveryAttempts: [isoTime] }))).rejects.toThrow(
        /deliveryAttempt.startedAtMs/,
      );
      expect((await store.retentionStatus(pid)).logCount).toBe(0);
      expect((await store.listToolCalls(pid, {}, { limit: 10 })).items).toEqual([]);
    });

    it('rejects page limits and histogram ranges outside their bounds', async () => {
      const store = track(openSqliteStore({ path: ':memory:', retentionSweepIntervalMs: 0 }));
      const pid = (await store.createProject({ name: 'b', plan: 'pro' })).project.projectId;
      await expect(store.listToolCalls(pid, {}, { limit: 0 })).rejects.toThrow(/limit/);
      await expect(store.listTriggerEvents(pid, {}, { limit: 501 })).rejects.toThrow(/limit/);
      await expect(store.toolCallHistogram(pid, {}, { from: 10, to: 5, bucketMs: 1 })).rejects.toThrow(/range/);
      await expect(store.toolCallHistogram(pid, {}, { from: 0, to: DAY, bucketMs: 1 })).rejects.toThrow(/bucketMs/);
    });

    it('counts the same with the most buckets as with few', async () => {
      const from = Date.parse('2026-01-01T00:00:00Z');
      const store = track(openSqliteStore({ path: ':memory:', now: () => from + DAY, retentionSweepIntervalMs: 0 }));
      const pid = (await store.createProject({ name: 'h', plan: 'pro' })).project.projectId;
      const calls = Array.from({ length: 40 }, (_, i) =>
        toolCallTrace({ at: from + i * 7 * 60_000 + 13, status: i % 3 === 0 ? 'error' : 'success' }),
      );
      await store.write(pid, batch({ toolCalls: calls.map((c) => c.call) }));
      const to = from + 10 * HOUR;
      const fine = await store.toolCallHistogram(pid, {}, { from, to, bucketMs: 72_000 }); // 500 buckets
      const coarse = await store.toolCallHistogram(pid, {}, { from, to, bucketMs: HOUR }); // 10 buckets
      expect(fine).toHaveLength(500);
      const rollUp = coarse.map((bucket) => {
        const counts: Record<string, number> = {};
        for (const f of fine.filter((x) => x.start >= bucket.start && x.start < bucket.start + HOUR)) {
          for (const [status, n] of Object.entries(f.counts)) counts[status] = (counts[status] ?? 0) + n;
        }
        return counts;
      });
      expect(coarse.map((b) => b.counts)).toEqual(rollUp);
      expect(coarse.reduce((n, b) => n + (b.counts.error ?? 0) + (b.counts.success ?? 0), 0)).toBe(40);
      expect(coarse.reduce((n, b) => n + (b.counts.error ?? 0), 0)).toBe(14);
    });

    it('a cursor from the other list is refused', async () => {
      const store = track(openSqliteStore({ path: ':memory:', retentionSweepIntervalMs: 0 }));
      const pid = (await store.createProject({ name: 'b', plan: 'pro' })).project.projectId;
      for (let i = 0; i < 3; i += 1) await store.write(pid, toolCallTrace({ at: Date.now() - i }, 0).batch);
      const page = await store.listToolCalls(pid, {}, { limit: 1 });
      await expect(store.listTriggerEvents(pid, {}, { limit: 1, cursor: page.nextCursor! })).rejects.toThrow(
        /another list/,
      );
    });
  });
});
