import { describe, expect, it } from 'vitest';
import {
  destinationView,
  emptyDestinationStatus,
  endpointProblem,
  InvalidDestinationError,
  isPrivateHost,
  parseDestinationInput,
  parseDestinationPatch,
  reportedStatusNow,
} from './forwarding.ts';

describe('forwarding destinations', () => {
  it('fills the defaults of a minimal destination', () => {
    expect(parseDestinationInput({ name: ' mine ', endpoint: 'https://otlp.example.com/otel' })).toEqual({
      name: 'mine',
      endpoint: 'https://otlp.example.com/otel',
      headers: {},
      encoding: 'protobuf',
      compression: 'gzip',
      filter: 'all',
      enabled: true,
    });
  });

  it.each([
    [{ name: 'x', endpoint: 'ftp://example.com' }, /^endpoint: must be an http/],
    [{ name: 'x', endpoint: 'not a url' }, /^endpoint: "not a url" is not a URL/],
    [{ name: 'x', endpoint: 'https://user:pw@example.com' }, /^endpoint: must not contain credentials/],
    [{ name: 'x', endpoint: 'https://example.com?a=1' }, /^endpoint: must not have a query/],
    [
      { name: 'x', endpoint: 'https://example.com', headers: { 'bad name': 'v' } },
      /^headers\.bad name: .* header name/,
    ],
    [{ name: 'x', endpoint: 'https://example.com', headers: { 'x-k': 'a\r\nb: c' } }, /^headers\.x-k: .* header value/],
    [{ name: 'x', endpoint: 'https://example.com', headers: { Host: 'h' } }, /^headers\.Host: .*set by the forwarder/],
    [{ name: 'x', endpoint: 'https://example.com', filter: 'spans' }, /^filter: /],
    [{ name: 'x', endpoint: 'https://example.com', encoding: 'xml' }, /^encoding: /],
    [{ name: '', endpoint: 'https://example.com' }, /^name: must not be empty/],
    [{ name: 'x', endpoint: 'https://example.com', extra: 1 }, /^destination: |extra/],
  ])('refuses %j naming the field', (input, message) => {
    expect(() => parseDestinationInput(input)).toThrow(InvalidDestinationError);
    expect(() => parseDestinationInput(input)).toThrow(message);
  });

  it('takes partial changes and checks each field given', () => {
    expect(parseDestinationPatch({ enabled: false })).toEqual({ enabled: false });
    expect(() => parseDestinationPatch({ compression: 'br' })).toThrow(/^compression: /);
  });

  it.each([
    ['localhost', true],
    ['api.localhost', true],
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['[::1]', true],
    ['::', true],
    ['fd00::1', true],
    ['fe80::1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:8.8.8.8', false],
    ['2001:db8::1', false],
    ['8.8.8.8', false],
    ['otlp.example.com', false],
  ])('isPrivateHost(%s) is %s', (host, expected) => {
    expect(isPrivateHost(host)).toBe(expected);
  });

  it('never shows header values', () => {
    const view = destinationView(
      {
        id: 'd1',
        projectId: 'p',
        name: 'n',
        endpoint: 'https://e.example',
        headers: { 'x-api-key': 'secret-value' },
        encoding: 'json',
        compression: 'none',
        filter: 'all',
        enabled: true,
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
      },
      emptyDestinationStatus(true),
    );
    expect(view.headerNames).toEqual(['x-api-key']);
    expect(JSON.stringify(view)).not.toContain('secret-value');
    expect(endpointProblem('http://127.0.0.1:4318')).toBeNull();
  });
});

describe('a reported status as of now', () => {
  const at = '2026-11-30T12:00:00.000Z';
  const queued = { ...emptyDestinationStatus(true), state: 'retrying' as const, batchesQueued: 2, lagMs: 1000 };

  it('when batches are queued, then the lag grew by the time since the report', () => {
    const now = Date.parse(at) + 4000;
    expect(reportedStatusNow(true, { status: queued, reportedAt: at }, now)).toEqual({ ...queued, lagMs: 5000 });
    const empty = { ...emptyDestinationStatus(true), spansSent: 3 };
    expect(reportedStatusNow(true, { status: empty, reportedAt: at }, now)).toEqual(empty);
  });

  it('when the destination was switched since, then the state follows the switch; no report: nothing sent', () => {
    expect(reportedStatusNow(false, { status: queued, reportedAt: at }, Date.parse(at)).state).toBe('disabled');
    const off = { ...emptyDestinationStatus(false) };
    expect(reportedStatusNow(true, { status: off, reportedAt: at }, Date.parse(at)).state).toBe('ok');
    expect(reportedStatusNow(true, undefined, 0)).toEqual(emptyDestinationStatus(true));
  });
});
