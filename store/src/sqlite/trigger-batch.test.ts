/** SQLite's per-batch trigger fold: the order it keeps deliveries in, and what a re-sent batch writes. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { attempt, batch, newTraceId, toolCallTrace, triggerRoot } from '../conformance/fixtures.ts';
import { openSqliteStore } from './index.ts';
import { tempStores } from './testing/temp-stores.ts';

const { newFile, track } = tempStores();
const AT = Date.UTC(2026, 10, 30, 12);

async function openStore() {
  const file = newFile();
  const store = track(openSqliteStore({ path: file, retentionSweepIntervalMs: 0, now: () => AT }));
  const { project } = await store.createProject({ name: 'p', plan: 'pro' });
  return { store, pid: project.projectId, file };
}

describe('SQLite trigger fold per batch', () => {
  it("when two deliveries start in the same millisecond, then the event's users follow the deliveries' stored order (IDs by code point, as SQLite sorts them), in one batch or in two", async () => {
    // UTF-16 puts the surrogate pair of U+1F600 before U+FFFF; SQLite (UTF-8 bytes) puts it after.
    const bmp = 'dlv_\uFFFF';
    const astral = 'dlv_\u{1F600}';
    const facts = (traceId: string) => ({
      root: triggerRoot({ traceId, at: AT, userId: null, eventId: `evt_${traceId.slice(0, 8)}` }),
      first: attempt({ traceId, deliveryId: astral, at: AT + 5, userId: 'user-astral' }),
      second: attempt({ traceId, deliveryId: bmp, at: AT + 5, userId: 'user-bmp' }),
    });
    const { store, pid } = await openStore();
    const together = facts(newTraceId());
    await store.write(pid, batch({ triggers: [together.root], deliveryAttempts: [together.first, together.second] }));
    const apart = facts(newTraceId());
    await store.write(pid, batch({ triggers: [apart.root], deliveryAttempts: [apart.first] }));
    await store.write(pid, batch({ deliveryAttempts: [apart.second] }));

    for (const { root } of [together, apart]) {
      const detail = await store.getTriggerEvent(pid, root.root!.eventId);
      expect(detail?.deliveries.map((d) => d.deliveryId)).toEqual([bmp, astral]);
      expect(detail?.event.userIds).toEqual(['user-bmp', 'user-astral']);
    }
  });

  it('when a batch is sent again, then no tool call, trigger event, event user or delivery row is rewritten; a changed attempt rewrites its delivery and event', async () => {
    const { store, pid, file } = await openStore();
    const traceId = newTraceId();
    const root = triggerRoot({ traceId, at: AT });
    const pending = attempt({ traceId, deliveryId: 'dlv_1', at: AT + 1, succeeded: false, httpStatus: 503 });
    const calls = toolCallTrace({ at: AT, toolName: 'search' }).batch;
    const sent = batch({ ...calls, triggers: [root], deliveryAttempts: [pending] });
    await store.write(pid, sent);

    // Another connection adds triggers that log every row change the store's connection makes from now on.
    const spy = new Database(file);
    spy.exec('CREATE TABLE row_writes (tbl TEXT NOT NULL)');
    for (const table of ['tool_calls', 'trigger_events', 'trigger_event_users', 'deliveries'])
      for (const op of ['INSERT', 'UPDATE', 'DELETE'])
        spy.exec(`CREATE TRIGGER spy_${table}_${op} AFTER ${op} ON ${table}
          BEGIN INSERT INTO row_writes VALUES ('${table}'); END`);
    const writes = () =>
      (spy.prepare('SELECT tbl FROM row_writes ORDER BY tbl').all() as { tbl: string }[]).map((r) => r.tbl);

    await store.write(pid, sent);
    expect(writes()).toEqual([]);

    await store.write(pid, batch({ deliveryAttempts: [{ ...pending, succeeded: true, httpStatus: 200 }] }));
    expect(new Set(writes())).toEqual(new Set(['deliveries', 'trigger_events']));
    spy.close();
    const detail = await store.getTriggerEvent(pid, root.root!.eventId);
    expect(detail?.event.status).toBe('success');
  });
});
