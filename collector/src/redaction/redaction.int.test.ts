/**
 * End to end, for senders that are not our SDK: a raw OTLP/JSON batch (what a
 * Python service on plain OpenTelemetry or the official Collector sends) and
 * an OTLP/protobuf batch made by the official JS exporter, both full of
 * secrets, through the real collector into a real SQLite file. Then the raw
 * bytes of the database and of its WAL are searched for every secret.
 */
import fs from 'node:fs';
import { REDACTED } from '@tooltrace/conventions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExporterHarness, startExporterHarness } from '../testing/harness.ts';
import { EXPORT_SUCCESS, newSpanId, newTraceId, readableSpan, T0 } from '../testing/telemetry.ts';

let h: ExporterHarness;
beforeAll(async () => {
  h = await startExporterHarness();
  await h.store.setRedactionRules(h.projectId, { keys: ['ssn'], patterns: ['acct_[0-9]{6}'] });
});
afterAll(() => h?.close());

/** Every secret is unique to this run, so a hit in the file can only come from this test. */
const run = Date.now().toString(36);
const secret = (name: string) => `${name}-${run}-Zq81`;
const S = {
  apiKey: secret('apikey'),
  accessToken: secret('accesstoken'),
  password: secret('password'),
  hapikey: secret('hapikey'),
  bodyToken: secret('bodytoken'),
  statusToken: secret('statustoken'),
  eventBearer: secret('eventbearer'),
  logBearer: secret('logbearer'),
  logPassword: secret('logpassword'),
  formSecret: secret('formsecret'),
  ssn: secret('ssn'),
  account: 'acct_918273',
  protoApiKey: secret('protoapikey'),
  protoStatus: secret('protostatus'),
  protoUrlToken: secret('protourltoken'),
  protoEventSecret: secret('protoeventsecret'),
};
const VISIBLE = `visible-marker-${run}`;

const str = (value: string) => ({ stringValue: value });
const attr = (key: string, value: string) => ({ key, value: str(value) });
const ns = (ms: number) => `${BigInt(ms) * 1_000_000n}`;

async function postJson(signal: 'traces' | 'logs', body: unknown) {
  return fetch(`${h.collector.url}/v1/${signal}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${h.ingestKey}` },
    body: JSON.stringify(body),
  });
}

function databaseBytes(): string {
  return [h.dbFile, `${h.dbFile}-wal`]
    .filter((file) => fs.existsSync(file))
    .map((file) => fs.readFileSync(file).toString('latin1'))
    .join('\n');
}

describe('collector redaction for senders that are not our SDK', () => {
  const jsonTrace = newTraceId();
  const protoTrace = newTraceId();

  it('when a raw OTLP/JSON batch carries secrets, then it is accepted and the stored trace shows [REDACTED]', async () => {
    const traces = {
      resourceSpans: [
        {
          resource: { attributes: [attr('service.name', 'python-agent'), attr('deployment.api_key', S.apiKey)] },
          scopeSpans: [
            {
              scope: { name: 'opentelemetry.instrumentation.requests' },
              spans: [
                {
                  traceId: jsonTrace,
                  spanId: newSpanId(),
                  name: 'POST',
                  kind: 3,
                  startTimeUnixNano: ns(T0),
                  endTimeUnixNano: ns(T0 + 120),
                  attributes: [
                    attr('url.full', `https://api.hubapi.com/crm/v3/objects?hapikey=${S.hapikey}&limit=5`),
                    attr('access_token', S.accessToken),
                    attr('db.password', S.password),
                    attr('customer.ssn', S.ssn),
                    attr('note', `moved ${S.account} for ${VISIBLE}`),
                    attr('http.request.body', `grant_type=refresh_token&client_secret=${S.formSecret}`),
                    { key: 'http.response.status_code', value: { intValue: '401' } },
                    attr(
                      'tooltrace.http.response.body',
                      `{"ok":false,"error":"invalid_auth","token":"${S.bodyToken}"}`,
                    ),
                  ],
                  events: [
                    {
                      timeUnixNano: ns(T0 + 50),
                      name: 'exception',
                      attributes: [attr('exception.message', `upstream said Authorization: Bearer ${S.eventBearer}`)],
                    },
                  ],
                  status: { code: 2, message: `{"error":"invalid_grant","access_token":"${S.statusToken}"}` },
                },
              ],
            },
          ],
        },
      ],
    };
    expect((await postJson('traces', traces)).status).toBe(200);
    const logs = {
      resourceLogs: [
        {
          resource: { attributes: [attr('service.name', 'python-agent')] },
          scopeLogs: [
            {
              scope: { name: 'logging' },
              logRecords: [
                {
                  timeUnixNano: ns(T0 + 60),
                  severityNumber: 17,
                  severityText: 'ERROR',
                  traceId: jsonTrace,
                  spanId: newSpanId(),
                  body: str(`retrying with Bearer ${S.logBearer}`),
                  attributes: [attr('config', JSON.stringify({ db: { password: S.logPassword } }))],
                },
              ],
            },
          ],
        },
      ],
    };
    expect((await postJson('logs', logs)).status).toBe(200);

    const detail = await h.trace(jsonTrace);
    const stored = JSON.stringify(detail);
    expect(stored).toContain(REDACTED);
    expect(stored).toContain(VISIBLE);
    expect(stored).toContain('invalid_auth');
  });

  it('when the official OTLP/protobuf exporter sends secrets (no tooltrace SDK), then they are redacted too', async () => {
    const span = readableSpan({
      traceId: protoTrace,
      name: 'GET',
      kind: 3,
      attributes: {
        'http.request.header.x-api-key': [S.protoApiKey],
        'url.full': `https://slack.com/api/users.list?token=${S.protoUrlToken}#top`,
        'http.response.status_code': 403,
      },
      status: { code: 2, message: `provider said {"client_secret":"${S.protoStatus}"}` },
      events: [{ name: 'log', attributes: { 'log.message': `password=${S.protoEventSecret}` } }],
    });
    expect((await h.exporters.sendProto([span])).code).toBe(EXPORT_SUCCESS);
    expect(JSON.stringify(await h.trace(protoTrace))).toContain(REDACTED);
  });

  it('then neither the database file nor its WAL holds any secret, and /health counts what was redacted', async () => {
    const bytes = databaseBytes();
    // The search can find things: the harmless marker sent beside the secrets is there.
    expect(bytes).toContain(VISIBLE);
    for (const [name, value] of Object.entries(S)) {
      expect(bytes.includes(value), `${name} (${value}) found in the database or WAL`).toBe(false);
    }
    const health = (await (await fetch(`${h.collector.url}/health`)).json()) as {
      redaction: { batches: number; batchesWithSecrets: number; valuesRedacted: number };
    };
    expect(health.redaction.batchesWithSecrets).toBe(3);
    expect(health.redaction.valuesRedacted).toBeGreaterThanOrEqual(Object.keys(S).length);
  });
});
