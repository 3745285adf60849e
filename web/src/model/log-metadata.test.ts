import type { LogEntry } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import { logEntry } from './log-entry.fixture.ts';
import { deliveryAttempts, describeErrorMessage, logContextFacts, logMetadata, sortLogs } from './log-metadata.ts';

/** A delivery log unless the test says otherwise. */
function log(partial: Partial<LogEntry>): LogEntry {
  return logEntry({
    id: 'l',
    kind: 'trigger_delivery',
    name: 'deliver',
    message: 'm',
    durationMs: 10,
    serviceName: null,
    ...partial,
  });
}

describe('log metadata', () => {
  it('when a provider request failed, then method, URL, status and error are picked out', () => {
    const meta = logMetadata(
      log({
        level: 'error',
        attributes: {
          'http.request.method': 'POST',
          'url.full': 'https://slack.com/api/chat.postMessage',
          'http.response.status_code': 403,
          'error.type': '403',
          'tooltrace.error.message': 'not_in_channel',
        },
      }),
    );
    expect(meta).toEqual({
      http: { method: 'POST', url: 'https://slack.com/api/chat.postMessage', status: 403 },
      error: { type: '403', code: null, message: 'not_in_channel', stack: null },
    });
  });

  it('when a log has neither HTTP nor error attributes, then both are null', () => {
    expect(logMetadata(log({ attributes: { 'user.id': 'u' } }))).toEqual({ http: null, error: null });
  });
});

describe('delivery attempts', () => {
  it('when a delivery was retried, then its attempts come in order with outcome and timing', () => {
    const logs = [
      log({
        timeUnixNano: '1795867205000000000',
        level: 'error',
        durationMs: 30,
        attributes: {
          'tooltrace.delivery.id': 'd1',
          'tooltrace.delivery.attempt': 2,
          'http.response.status_code': 500,
          'tooltrace.delivery.final': true,
        },
      }),
      log({
        timeUnixNano: '1795867200000000000',
        level: 'error',
        attributes: {
          'tooltrace.delivery.id': 'd1',
          'tooltrace.delivery.attempt': 1,
          'http.response.status_code': 502,
        },
      }),
      log({ attributes: { 'tooltrace.delivery.id': 'other', 'http.response.status_code': 200 } }),
    ];
    expect(
      deliveryAttempts(logs, 'd1').map((a) => [a.attempt, a.httpStatus, a.succeeded, a.final, a.durationMs]),
    ).toEqual([
      [1, 502, false, false, 10],
      [2, 500, false, true, 30],
    ]);
    expect(deliveryAttempts(logs, 'other')[0]?.succeeded).toBe(true);
  });

  it('when logs arrive out of order, then sorting uses nanosecond time', () => {
    const sorted = sortLogs([
      log({ id: 'b', timeUnixNano: '1795867200000000002' }),
      log({ id: 'a', timeUnixNano: '1795867200000000001' }),
    ]);
    expect(sorted.map((l) => l.id)).toEqual(['a', 'b']);
  });
});

describe('error messages', () => {
  it('when the message is an ActionKit JSON error, then its sentence leads and the details become facts', () => {
    expect(
      describeErrorMessage(
        '{"message":"Unable to update Task","details":{"err":"Team not authorized","ECODE":"OAUTH_027"}}',
      ),
    ).toEqual({
      headline: 'Unable to update Task',
      facts: [
        { key: 'err', value: 'Team not authorized' },
        { key: 'ECODE', value: 'OAUTH_027' },
      ],
    });
  });

  it('when the message is plain text or other JSON, then it is shown as it is', () => {
    expect(describeErrorMessage('Team not authorized')).toEqual({ headline: 'Team not authorized', facts: [] });
    expect(describeErrorMessage('[1,2]')).toEqual({ headline: '[1,2]', facts: [] });
  });
});

describe('log context facts', () => {
  it('when a log has no parent span or service, then those facts are left out and the rest keep their order', () => {
    const facts = logContextFacts(log({ parentSpanId: null, serviceName: null, name: 'deliver' }));
    expect(facts.map((f) => f.label)).toEqual(['Span ID', 'Time', 'Name']);
    expect(facts[0]?.value).toBe('1111111111111111');
  });
});
