/**
 * The forwarding routes on the real API and a real SQLite store. The
 * collector's forwarding is replaced by a small stand-in (the query API may not
 * import the collector); the real one behind these routes is tested end to end
 * in cli/src/commands/forward.int.test.ts.
 */
import type { DestinationStatus, ForwardDestination } from '@tooltrace/conventions';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ForwardingControl } from './routes/forwarding.ts';
import { startTestApi, type TestApi } from './testing/harness.ts';

const PATH = '/api/v1/forwarding/destinations';
const valid = { name: 'honeycomb', endpoint: 'https://api.honeycomb.io', headers: { 'x-honeycomb-team': 'hc-secret' } };

let t: TestApi;
const invalidated: string[] = [];
const tested: ForwardDestination[] = [];
const control: ForwardingControl = {
  allowPrivate: false,
  status: (d): DestinationStatus => ({
    state: d.enabled ? 'retrying' : 'disabled',
    spansSent: 7,
    logsSent: 1,
    batchesQueued: 2,
    batchesRetried: 3,
    batchesRejected: 0,
    batchesDropped: 0,
    queueBytes: 1234,
    lagMs: 5000,
    lastSuccessAt: null,
    lastError: { at: '2026-11-30T12:00:00.000Z', httpStatus: 503, message: 'HTTP 503' },
  }),
  test: async (d) => {
    tested.push(d);
    return { ok: true, httpStatus: 200, message: 'HTTP 200', durationMs: 3 };
  },
  invalidate: (projectId) => invalidated.push(projectId),
};

beforeEach(async () => {
  invalidated.length = 0;
  tested.length = 0;
  t = await startTestApi({ forwarding: control });
});
afterEach(() => t.close());

// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field below
type Json = any;
const send = (method: string, path: string, body: unknown, key = t.a.adminKey) =>
  t.call(path, { method, key, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('forwarding destinations API', () => {
  it('when the admin key adds a destination, then it is listed with its status and without header values', async () => {
    const created = await send('POST', PATH, valid);
    expect(created.status).toBe(200);
    const body: Json = await created.json();
    expect(body).toMatchObject({
      name: 'honeycomb',
      headerNames: ['x-honeycomb-team'],
      encoding: 'protobuf',
      compression: 'gzip',
      filter: 'all',
      enabled: true,
      status: { state: 'retrying', queueBytes: 1234, lastError: { httpStatus: 503 } },
    });
    expect(invalidated).toEqual([t.a.project.projectId]);
    const listed = await t.call(PATH);
    const text = await listed.text();
    expect(listed.status).toBe(200);
    expect(text).not.toContain('hc-secret');
    expect(JSON.parse(text).items.map((d: { id: string }) => d.id)).toEqual([body.id]);
    expect(await t.json(`${PATH}/${body.id}`)).toMatchObject({ id: body.id, name: 'honeycomb' });
  });

  it('when the read key tries to change destinations, then 403 names the admin key', async () => {
    const refused = await send('POST', PATH, valid, t.a.readKey);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as Json).error).toMatchObject({ code: 'admin_key_required' });
    expect((await t.json<{ items: unknown[] }>(PATH)).items).toEqual([]);
  });

  it.each([
    [{ ...valid, endpoint: 'ftp://x.example.com' }, /body field "endpoint": must be an http/],
    [{ ...valid, endpoint: 'https://user:pw@x.example.com' }, /body field "endpoint": must not contain credentials/],
    [{ ...valid, headers: { 'bad header': 'v' } }, /body field "headers.bad header": .*not a valid HTTP header name/],
    [{ ...valid, filter: 'everything' }, /body field "filter"/],
    [{ ...valid, endpoint: 'http://127.0.0.1:4318' }, /body field "endpoint": .*TOOLTRACE_FORWARD_ALLOW_PRIVATE=on/],
    [{ ...valid, endpoint: 'http://[::1]:4318' }, /TOOLTRACE_FORWARD_ALLOW_PRIVATE=on/],
  ])('when the destination is %j, then 400 names the field', async (input, message) => {
    const answer = await send('POST', PATH, input);
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as Json).error.message).toMatch(message);
    expect((await t.json<{ items: unknown[] }>(PATH)).items).toEqual([]);
  });

  it('when a destination is patched, tested and deleted, then each answers for this project only', async () => {
    const { id } = (await (await send('POST', PATH, valid)).json()) as Json;
    const patched = await send('PATCH', `${PATH}/${id}`, { enabled: false, encoding: 'json' });
    expect(await patched.json()).toMatchObject({ enabled: false, encoding: 'json', status: { state: 'disabled' } });
    expect((await send('PATCH', `${PATH}/${id}`, { endpoint: 'http://10.0.0.1' })).status).toBe(400);

    const answer = await send('POST', `${PATH}/${id}/test`, {});
    expect(await answer.json()).toEqual({ ok: true, httpStatus: 200, message: 'HTTP 200', durationMs: 3 });
    expect(tested[0]?.headers).toEqual(valid.headers);

    expect((await send('DELETE', `${PATH}/${id}`, {}, t.b.adminKey)).status).toBe(404);
    expect((await t.call(`${PATH}/${id}`, { key: t.b.readKey })).status).toBe(404);
    expect((await send('DELETE', `${PATH}/${id}`, {})).status).toBe(200);
    expect((await send('DELETE', `${PATH}/${id}`, {})).status).toBe(404);
    expect((await t.call(`${PATH}/${id}`)).status).toBe(404);
  });

  it('when the collector runs in another process, then the status comes from its last report in the store', async () => {
    const alone = await startTestApi({ forwarding: { ...control, status: undefined } });
    try {
      const call = (method: string, path: string, body?: unknown) =>
        alone.call(path, {
          method,
          key: alone.a.adminKey,
          headers: { 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      const { id } = (await (await call('POST', PATH, valid)).json()) as Json;
      expect(((await (await call('GET', PATH)).json()) as Json).items[0].status).toMatchObject({
        state: 'ok',
        spansSent: 0,
      });
      const reported: DestinationStatus = {
        ...(control.status?.({ enabled: true } as ForwardDestination) as DestinationStatus),
        lagMs: 60_000,
      };
      await alone.store.destinations.reportStatus(alone.a.project.projectId, { [id]: reported });
      const [listed]: Json[] = ((await (await call('GET', PATH)).json()) as Json).items;
      expect(listed.status).toMatchObject({ state: 'retrying', spansSent: 7, batchesQueued: 2, queueBytes: 1234 });
      // The lag kept growing since the report, while batches were queued.
      expect(listed.status.lagMs).toBeGreaterThanOrEqual(60_000);
      const disabled: Json = await (await call('PATCH', `${PATH}/${id}`, { enabled: false })).json();
      expect(disabled.status).toMatchObject({ state: 'disabled', spansSent: 7 });
      expect((await alone.call(PATH, { key: alone.b.readKey }).then((r) => r.json())) as Json).toEqual({ items: [] });
    } finally {
      await alone.close();
    }
  });
});
