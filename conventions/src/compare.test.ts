import { describe, expect, it } from 'vitest';
import { alignRequests, diffJson, parseParameters, type RequestSummary } from './compare.ts';

describe('diffJson', () => {
  it('lists added, removed and changed keys, nested, in path order', () => {
    const before = { channel: '#general', text: 'hi', opts: { unfurl: true, thread: 'a' }, tags: ['x', 'y'] };
    const after = { channel: '#deals', text: 'hi', opts: { unfurl: true, mrkdwn: false }, tags: ['x'], 'as-user': 1 };
    expect(diffJson(before, after)).toEqual([
      { path: '$["as-user"]', change: 'added', after: 1 },
      { path: '$.channel', change: 'changed', before: '#general', after: '#deals' },
      { path: '$.opts.mrkdwn', change: 'added', after: false },
      { path: '$.opts.thread', change: 'removed', before: 'a' },
      { path: '$.tags[1]', change: 'removed', before: 'y' },
    ]);
  });

  it('finds nothing between equal values, and compares unparsable parameters as text', () => {
    expect(diffJson({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
    expect(diffJson(parseParameters('not json'), parseParameters('{"a":1}'))).toEqual([
      { path: '$', change: 'changed', before: 'not json', after: { a: 1 } },
    ]);
  });
});

const req = (method: string, path: string, status = 200): RequestSummary => ({
  method,
  host: 'slack.com',
  path,
  status,
  durationMs: 10,
});

describe('alignRequests', () => {
  it('pairs requests by method, host and path, leaving an extra call on its own row', () => {
    const baseline = [req('GET', '/api/users.info'), req('POST', '/api/chat.postMessage')];
    const failing = [
      req('GET', '/api/users.info'),
      req('POST', '/api/oauth.v2.access', 400),
      req('POST', '/api/chat.postMessage', 401),
    ];
    expect(alignRequests(failing, baseline).map((r) => [r.failing?.path ?? null, r.baseline?.path ?? null])).toEqual([
      ['/api/users.info', '/api/users.info'],
      ['/api/oauth.v2.access', null],
      ['/api/chat.postMessage', '/api/chat.postMessage'],
    ]);
  });

  it('shows a request only the last success made', () => {
    const aligned = alignRequests([req('POST', '/b')], [req('GET', '/a'), req('POST', '/b')]);
    expect(aligned.map((r) => [r.failing?.path ?? null, r.baseline?.path ?? null])).toEqual([
      [null, '/a'],
      ['/b', '/b'],
    ]);
  });
});
