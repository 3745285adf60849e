/** GET|PUT /api/v1/project/redaction over real HTTP and a real SQLite store. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './testing/harness.ts';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

const put = (body: unknown, key: string) =>
  t.call('/api/v1/project/redaction', {
    method: 'PUT',
    key,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('project redaction rules', () => {
  it('when read with the read key, then the defaults and the (empty) own rules come back', async () => {
    const body = await t.json<{ keys: string[]; patterns: string[]; defaultKeys: string[] }>(
      '/api/v1/project/redaction',
    );
    expect(body).toMatchObject({ keys: [], patterns: [] });
    expect(body.defaultKeys).toEqual(expect.arrayContaining(['password', 'token', 'apikey', 'authorization']));
  });

  it('when the read key changes them, then it is a 403 admin_key_required and nothing changes', async () => {
    const response = await put({ keys: ['ssn'], patterns: [] }, t.a.readKey);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('admin_key_required');
    expect(await t.store.getRedactionRules(t.a.project.projectId)).toEqual({ keys: [], patterns: [] });
  });

  it('when the admin key sets them, then they are stored for that project only', async () => {
    const response = await put({ keys: ['ssn'], patterns: ['acct_[0-9]{6}'] }, t.a.adminKey);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ keys: ['ssn'], patterns: ['acct_[0-9]{6}'] });
    expect(await t.json('/api/v1/project/redaction')).toMatchObject({ keys: ['ssn'] });
    expect(await t.json('/api/v1/project/redaction', t.b.readKey)).toMatchObject({ keys: [], patterns: [] });
  });

  it.each([
    ['a lookbehind (not RE2)', { keys: [], patterns: ['(?<=x)y'] }, '"(?<=x)y" is not a valid RE2 expression'],
    ['an unclosed group', { keys: [], patterns: ['(acct'] }, '"(acct" is not a valid RE2 expression'],
    ['a key without letters', { keys: ['--'], patterns: [] }, 'a key must contain a letter or digit'],
    ['an unknown field', { keys: [], patterns: [], regex: 'x' }, 'unknown body field "regex"'],
  ])('when the body has %s, then it is a 400 naming it and nothing changes', async (_name, body, message) => {
    const response = await put(body, t.a.adminKey);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(message);
    expect(await t.json('/api/v1/project/redaction')).toMatchObject({ keys: ['ssn'], patterns: ['acct_[0-9]{6}'] });
  });
});
