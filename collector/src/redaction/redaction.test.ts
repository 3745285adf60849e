import { InvalidRedactionRuleError, REDACTED, type RedactionRules } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import type { AttributeValue, TracesRequest } from '../otlp/types.ts';
import { compileRedaction } from './compile.ts';
import { createRedactionStage } from './redact-request.ts';

const SECRET = 'S3cr3t-VALUE-9f8e7d6c';
const none: RedactionRules = { keys: [], patterns: [] };

/** One span whose attribute `key` holds `value`, run through the stage; returns the span after redaction. */
function redactAttribute(key: string, value: AttributeValue, rules: RedactionRules = none) {
  const request: TracesRequest = {
    resourceSpans: [
      {
        resource: {},
        scopeSpans: [
          {
            scope: { name: 's', version: '' },
            spans: [
              {
                ref: 'resourceSpans[0].scopeSpans[0].spans[0]',
                traceId: '0af7651916cd43dd8448eb211c80319c',
                spanId: 'b7ad6b7169203331',
                parentSpanId: '',
                name: 'span',
                kind: 1,
                startTimeUnixNano: '1',
                endTimeUnixNano: '2',
                traceState: '',
                flags: 0,
                attributes: { [key]: value },
                events: [],
                links: [],
                status: { code: 0, message: '' },
              },
            ],
          },
        ],
      },
    ],
  };
  const count = createRedactionStage().redact({ signal: 'traces', request }, rules);
  return { value: request.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.attributes[key], count };
}

const text = (value: string, rules: RedactionRules = none) => compileRedaction(rules).text.redact(value);

// [name, attribute key, value, what must be gone, what must stay]
const CASES: [string, string, AttributeValue, string[], string[]][] = [
  ['api_key attribute', 'api_key', SECRET, [SECRET], []],
  ['apiKey camelCase', 'apiKey', SECRET, [SECRET], []],
  ['API-KEY upper with dash', 'API-KEY', SECRET, [SECRET], []],
  ['x-api-key header attribute', 'http.request.header.x-api-key', SECRET, [SECRET], []],
  ['access_token', 'access_token', SECRET, [SECRET], []],
  ['refresh_token', 'oauth.refresh_token', SECRET, [SECRET], []],
  ['client_secret', 'client_secret', SECRET, [SECRET], []],
  ['password', 'db.password', SECRET, [SECRET], []],
  ['private_key', 'private_key', SECRET, [SECRET], []],
  ['authorization header as array', 'http.request.header.authorization', [`Bearer ${SECRET}`], [SECRET], []],
  ['cookie', 'http.request.header.cookie', `sid=${SECRET}`, [SECRET], []],
  ['numeric password', 'pin_password', 123456789, ['123456789'], []],
  ['token count is not a secret', 'gen_ai.usage.input_tokens', 1234, [], ['1234']],
  ['session.id of the semantic conventions stays', 'session.id', 'sess-42', [], ['sess-42']],
  ['plain value under a harmless key stays', 'gen_ai.tool.name', 'SLACK_SEND_MESSAGE', [], ['SLACK_SEND_MESSAGE']],
  [
    'JSON parameters with a nested secret',
    'gen_ai.tool.call.arguments',
    JSON.stringify({ channel: 'C1', auth: { access_token: SECRET } }),
    [SECRET],
    ['C1'],
  ],
  [
    'JSON inside a JSON string',
    'tooltrace.http.response.body',
    JSON.stringify({ wrapped: JSON.stringify({ token: SECRET, ok: false }) }),
    [SECRET],
    ['wrapped'],
  ],
  ['array of objects', 'payload', JSON.stringify([{ name: 'a' }, { password: SECRET }]), [SECRET], ['"name":"a"']],
  [
    'provider error body (Slack)',
    'tooltrace.http.response.body',
    `{"ok":false,"error":"invalid_auth","access_token":"${SECRET}"}`,
    [SECRET],
    ['invalid_auth'],
  ],
  [
    'truncated JSON body',
    'tooltrace.http.response.body',
    `{"ok":false,"refresh_token":"${SECRET}","more":"abc…`,
    [SECRET],
    ['"ok":false'],
  ],
  ['body that is not JSON', 'body', `error: password=${SECRET} rejected`, [SECRET], ['rejected']],
  ['form-encoded body', 'http.request.body', `grant_type=refresh&client_secret=${SECRET}&x=1`, [SECRET], ['x=1']],
  [
    'URL query parameter (hapikey)',
    'url.full',
    `https://api.hubapi.com/contacts?hapikey=${SECRET}&limit=10`,
    [SECRET],
    ['limit=10', 'api.hubapi.com'],
  ],
  [
    'URL fragment (OAuth implicit flow)',
    'url.full',
    `https://app.example.com/cb#access_token=${SECRET}&state=xyz`,
    [SECRET],
    ['state=xyz'],
  ],
  ['URL-encoded key name', 'url.full', `https://x.test/?api%5Fkey=${SECRET}`, [SECRET], []],
  [
    'Bearer credential in free text',
    'message',
    `sent Authorization: Bearer ${SECRET} upstream`,
    [SECRET],
    ['upstream'],
  ],
  [
    'Basic credential',
    'message',
    'header Basic dXNlcjpwYXNzd29yZA== was refused',
    ['dXNlcjpwYXNzd29yZA=='],
    ['refused'],
  ],
  ['prose "Basic authentication" stays', 'message', 'Basic authentication failed', [], ['Basic authentication']],
  ['Slack token anywhere', 'note', `got xoxb-1234567890-abcdefghij back`, ['xoxb-1234567890-abcdefghij'], ['back']],
  [
    'JWT anywhere',
    'note',
    'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    ['eyJhbGciOiJIUzI1NiJ9'],
    ['jwt'],
  ],
  ['NUL and non-UTF-8 replacement characters', 'body', `\u0000\uFFFDtoken=${SECRET}\u0000`, [SECRET], ['\u0000']],
  ['YAML-ish log line', 'log', `password: ${SECRET}\nuser: bob`, [SECRET], ['user: bob']],
  ['kvlist (map) value', 'http.request.header', { authorization: SECRET, accept: 'json' }, [SECRET], ['json']],
  ['empty value stays empty', 'password', '', [], []],
];

describe('redaction: default rules', () => {
  it('when a JSON string with a secret also has a `__proto__` key, then that key stays in the rewritten JSON', () => {
    const { text: out } = text(`{"__proto__": {"region": "eu"}, "password": "${SECRET}"}`);
    expect(out).not.toContain(SECRET);
    const parsed = JSON.parse(out) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['__proto__', 'password']);
    expect(Object.getOwnPropertyDescriptor(parsed, '__proto__')?.value).toEqual({ region: 'eu' });
  });

  it.each(CASES)('%s', (_name, key, value, gone, kept) => {
    const { value: out, count } = redactAttribute(key, value);
    const serialised = JSON.stringify(out);
    for (const secret of gone) expect(serialised).not.toContain(JSON.stringify(secret).slice(1, -1));
    for (const stays of kept) expect(serialised).toContain(JSON.stringify(stays).slice(1, -1));
    if (gone.length > 0) {
      expect(serialised).toContain(REDACTED);
      expect(count).toBeGreaterThan(0);
    } else {
      expect(out).toEqual(value);
      expect(count).toBe(0);
    }
  });

  it('a 1 MB value with a secret at the end is redacted in full and keeps its length order', () => {
    const big = `${'a'.repeat(1024 * 1024)} token=${SECRET}`;
    const { value, count } = redactAttribute('body', big);
    expect(String(value)).not.toContain(SECRET);
    expect(String(value).length).toBeGreaterThan(1024 * 1024);
    expect(count).toBe(1);
  });

  it('unchanged JSON keeps its exact spelling', () => {
    const json = '{ "a": 1,\n  "b": "two" }';
    expect(text(json)).toEqual({ text: json, count: 0 });
  });
});

describe('redaction: a project’s own rules', () => {
  it('an extra key name is redacted wherever it appears', () => {
    const rules = { keys: ['ssn'], patterns: [] };
    expect(redactAttribute('customer.ssn', '123-45-6789', rules).value).toBe(REDACTED);
    expect(text('{"ssn":"123-45-6789","n":1}', rules).text).toBe(`{"ssn":"${REDACTED}","n":1}`);
  });

  it('an extra pattern is redacted in any text, unparseable or not', () => {
    const rules = { keys: [], patterns: ['acct_[0-9]{6}'] };
    expect(text('moved acct_123456 to acct_654321', rules)).toEqual({
      text: `moved ${REDACTED} to ${REDACTED}`,
      count: 2,
    });
    expect(text('{"note":"acct_123456"}', rules).text).toBe(`{"note":"${REDACTED}"}`);
  });

  it('a catastrophic-backtracking pattern runs in linear time (RE2), on 100 000 characters', () => {
    const rules = { keys: [], patterns: ['(a+)+$'] };
    const input = `${'a'.repeat(100_000)}!`;
    // With a backtracking engine this call would not return; RE2 finds no match and returns the text unchanged.
    expect(text(input, rules)).toEqual({ text: input, count: 0 });
  });

  it('a pattern RE2 cannot compile is refused with its text', () => {
    expect(() => compileRedaction({ keys: [], patterns: ['(?<=x)a'] })).toThrow(InvalidRedactionRuleError);
    expect(() => compileRedaction({ keys: [], patterns: ['(unclosed'] })).toThrow(/"\(unclosed"/);
  });
});

describe('redaction: every place of a request', () => {
  it('redacts resource, span, event and status text of traces, and body and attributes of logs', () => {
    const stage = createRedactionStage();
    const traces: TracesRequest = {
      resourceSpans: [
        {
          resource: { 'service.api_key': SECRET },
          scopeSpans: [
            {
              scope: { name: 's', version: '' },
              spans: [
                {
                  ref: 'r',
                  traceId: '0af7651916cd43dd8448eb211c80319c',
                  spanId: 'b7ad6b7169203331',
                  parentSpanId: '',
                  name: `GET /x?token=${SECRET}`,
                  kind: 3,
                  startTimeUnixNano: '1',
                  endTimeUnixNano: '2',
                  traceState: '',
                  flags: 0,
                  attributes: {},
                  events: [
                    { timeUnixNano: '1', name: 'exception', attributes: { 'exception.message': `Bearer ${SECRET}` } },
                  ],
                  links: [
                    {
                      traceId: '4c7445d219724ed69e4746053bf1d45f',
                      spanId: '0102030405060708',
                      traceState: '',
                      flags: 0,
                      attributes: { 'link.note': `password=${SECRET}` },
                    },
                  ],
                  status: { code: 2, message: `{"error":"bad","access_token":"${SECRET}"}` },
                },
              ],
            },
          ],
        },
      ],
    };
    expect(stage.redact({ signal: 'traces', request: traces }, none)).toBe(5);
    expect(JSON.stringify(traces)).not.toContain(SECRET);
    const logs = {
      resourceLogs: [
        {
          resource: {},
          scopeLogs: [
            {
              scope: { name: 's', version: '' },
              logRecords: [
                {
                  ref: 'l',
                  timeUnixNano: '1',
                  observedTimeUnixNano: '1',
                  severityNumber: 17,
                  severityText: 'ERROR',
                  eventName: '',
                  body: { message: 'failed', credentials: { password: SECRET } },
                  attributes: { 'http.url': `https://h/?secret=${SECRET}` },
                  flags: 0,
                  traceId: '',
                  spanId: '',
                },
              ],
            },
          ],
        },
      ],
    };
    expect(stage.redact({ signal: 'logs', request: logs }, none)).toBe(2);
    expect(JSON.stringify(logs)).not.toContain(SECRET);
    expect(JSON.stringify(logs)).toContain('failed');
  });
});
