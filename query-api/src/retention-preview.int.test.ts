/**
 * POST /api/v1/project/retention/preview over real HTTP against a real SQLite
 * store: the exact number of logs a plan change deletes now, with either read
 * or admin key, deleting nothing; the change itself then deletes that many.
 */
import { PLAN_LIMITS } from '@tooltrace/conventions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { merge, toolCallTrace } from './testing/fixtures.ts';
import { startTestApi, type TestApi } from './testing/harness.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

const send = (method: 'POST' | 'PUT', path: string, key: string, body: unknown) =>
  t.call(path, { method, key, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('POST /api/v1/project/retention/preview', () => {
  it('when previewing a change, then it answers exactly what the change then deletes, and deletes nothing itself', async () => {
    const pid = t.a.project.projectId;
    const now = Date.now();
    // Three traces of 2 logs (a call and its log): one 20 days old, two recent; a trial keeps 7 days.
    const old = toolCallTrace({ at: now - 20 * DAY });
    await t.store.write(
      pid,
      merge([old.batch, toolCallTrace({ at: now - 2 * HOUR }).batch, toolCallTrace({ at: now - HOUR }).batch]),
    );
    const before = await t.store.retentionStatus(pid);

    const asReader = await send('POST', '/api/v1/project/retention/preview', t.a.readKey, { plan: 'trial' });
    expect(asReader.status).toBe(200);
    const preview = (await asReader.json()) as { logsDeleted: number };
    expect(preview).toEqual({
      plan: 'trial',
      limits: PLAN_LIMITS.trial,
      logCount: before.logCount,
      logsDeleted: old.batch.logs.length,
      tracesDeleted: 1,
    });
    const capped = await send('POST', '/api/v1/project/retention/preview', t.a.adminKey, {
      plan: 'enterprise',
      limits: { maxAgeDays: null, maxLogs: 1 },
    });
    expect(await capped.json()).toMatchObject({ logsDeleted: before.logCount, tracesDeleted: 3 });
    expect(await t.store.retentionStatus(pid)).toEqual(before);

    expect((await send('PUT', '/api/v1/project/retention', t.a.adminKey, { plan: 'trial' })).status).toBe(200);
    const after = await t.store.retentionStatus(pid);
    expect(after.logsDropped - before.logsDropped).toBe(preview.logsDeleted);
  });

  it('when the change is invalid, then it is a 400 naming the field; an ingest key is refused', async () => {
    const limitsOnPro = await send('POST', '/api/v1/project/retention/preview', t.b.readKey, {
      plan: 'pro',
      limits: { maxLogs: 5 },
    });
    expect(limitsOnPro.status).toBe(400);
    expect(JSON.stringify(await limitsOnPro.json())).toContain('limits');
    const zero = await send('POST', '/api/v1/project/retention/preview', t.b.readKey, {
      plan: 'enterprise',
      limits: { maxLogs: 0 },
    });
    expect(zero.status).toBe(400);
    expect(JSON.stringify(await zero.json())).toContain('maxLogs');
    expect((await send('POST', '/api/v1/project/retention/preview', t.b.ingestKey, { plan: 'pro' })).status).toBe(401);
  });
});
