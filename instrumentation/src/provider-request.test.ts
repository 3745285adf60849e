import { SpanStatusCode } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { traceProviderRequest } from './provider-request.ts';
import { createRedactor, REDACTED } from './redaction.ts';
import { type InMemorySdk, initInMemory, spanByKind, startTestServer, type TestServer } from './test-support.ts';
import { traceToolCall } from './tool-call.ts';

const SUCCESS_BODY = JSON.stringify({ ok: true, secretPayload: 'SUCCESS-BODY-MUST-NOT-LEAVE' });
const ERROR_BODY = JSON.stringify({
  ok: false,
  error: 'missing_scope',
  needed: 'chat:write',
  access_token: 'xoxb-LEAK',
});

// Stands in for a provider API (Slack's), which cannot be reached from here.
let provider: TestServer;
beforeAll(async () => {
  provider = await startTestServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/ok') res.end(SUCCESS_BODY);
    else if (req.url === '/forbidden') {
      res.statusCode = 403;
      res.end(ERROR_BODY);
    } else if (req.url === '/huge-error') {
      res.statusCode = 500;
      res.end('x'.repeat(100_000));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
});
afterAll(() => provider.close());

let sdk: InMemorySdk | undefined;
afterEach(async () => {
  await sdk?.handle.shutdown();
  sdk = undefined;
});

async function inToolCall<T>(fn: () => Promise<T>): Promise<T> {
  return (await traceToolCall({ type: 'run_tool', toolName: 'SLACK_SEND_MESSAGE', userId: 'u' }, fn)).result;
}

describe('automatic fetch capture', () => {
  it('when a fetch inside a tool call succeeds, then it is a provider_request child without the response body', async () => {
    sdk = initInMemory({ integrationOf: (url) => (url.hostname === '127.0.0.1' ? 'slack' : undefined) });
    const text = await inToolCall(async () => (await fetch(`${provider.url}/ok`)).text());
    expect(text).toBe(SUCCESS_BODY);
    const spans = await sdk.finished();
    const [request] = spanByKind(spans, 'provider_request');
    const [root] = spanByKind(spans, 'tool_call');
    expect(request?.parentSpanContext?.spanId).toBe(root?.spanContext().spanId);
    expect(request?.attributes['http.response.status_code']).toBe(200);
    expect(request?.attributes['tooltrace.integration']).toBe('slack');
    expect(request?.attributes['tooltrace.http.response.body']).toBeUndefined();
    expect(JSON.stringify(spans.map((span) => span.attributes))).not.toContain('SUCCESS-BODY-MUST-NOT-LEAVE');
  });

  it('when a fetch inside a tool call gets 403, then the span is an error holding the redacted body, and the app still reads it', async () => {
    sdk = initInMemory();
    const { status, text } = await inToolCall(async () => {
      const response = await fetch(`${provider.url}/forbidden`);
      return { status: response.status, text: await response.text() };
    });
    expect(status).toBe(403);
    expect(text).toBe(ERROR_BODY);
    const [request] = spanByKind(await sdk.finished(), 'provider_request');
    expect(request?.status.code).toBe(SpanStatusCode.ERROR);
    // The end was held back for the body read; it keeps a real, small duration.
    expect(request!.duration[0]).toBeLessThan(30);
    expect(request!.duration[0] * 1e9 + request!.duration[1]).toBeGreaterThan(0);
    const body = JSON.parse(String(request?.attributes['tooltrace.http.response.body']));
    expect(body).toEqual({ ok: false, error: 'missing_scope', needed: 'chat:write', access_token: REDACTED });
  });

  it('when an error body is larger than the cap, then only the capped prefix is recorded', async () => {
    sdk = initInMemory({ maxResponseBodyBytes: 1000 });
    await inToolCall(async () => (await fetch(`${provider.url}/huge-error`)).text());
    const [request] = spanByKind(await sdk.finished(), 'provider_request');
    const body = String(request?.attributes['tooltrace.http.response.body']);
    expect(body.startsWith('x'.repeat(1000))).toBe(true);
    expect(body).toMatch(/truncated/);
    expect(body.length).toBeLessThan(1100);
  });

  it('when a fetch happens outside any traced operation, then no span is made', async () => {
    sdk = initInMemory();
    await (await fetch(`${provider.url}/ok`)).text();
    expect(await sdk.finished()).toHaveLength(0);
  });

  it('when autoInstrumentFetch is off, then fetches inside a tool call are not traced', async () => {
    sdk = initInMemory({ autoInstrumentFetch: false });
    await inToolCall(async () => (await fetch(`${provider.url}/forbidden`)).text());
    expect(spanByKind(await sdk.finished(), 'provider_request')).toHaveLength(0);
  });
});

describe('traceProviderRequest', () => {
  it('when the traced fetch fails, then exactly one provider_request span records status and body', async () => {
    sdk = initInMemory();
    await inToolCall(() =>
      traceProviderRequest({ method: 'post', url: `${provider.url}/forbidden`, integration: 'slack' }, () =>
        fetch(`${provider.url}/forbidden`, { method: 'POST' }),
      ),
    );
    const spans = await sdk.finished();
    const requests = spanByKind(spans, 'provider_request');
    expect(requests).toHaveLength(1);
    // the fetch inside is the span's transport, not a second HTTP span
    expect(spans).toHaveLength(2);
    expect(requests[0]?.attributes).toMatchObject({
      'http.request.method': 'POST',
      'url.full': `${provider.url}/forbidden`,
      'server.address': '127.0.0.1',
      'http.response.status_code': 403,
      'tooltrace.integration': 'slack',
      'error.type': '403',
    });
    expect(String(requests[0]?.attributes['tooltrace.http.response.body'])).toContain('missing_scope');
  });

  it('when a non-fetch client reports a success with setResponse, then the body is not recorded', async () => {
    sdk = initInMemory();
    await inToolCall(() =>
      traceProviderRequest({ method: 'GET', url: 'https://api.hubapi.com/crm/v3/objects/contacts' }, (call) => {
        call.setResponse(200, { results: ['SUCCESS-BODY-MUST-NOT-LEAVE'] });
        return null;
      }),
    );
    const [request] = spanByKind(await sdk.finished(), 'provider_request');
    expect(request?.attributes['http.response.status_code']).toBe(200);
    expect(request?.attributes['tooltrace.http.response.body']).toBeUndefined();
  });

  it('when a client throws an HTTP error with a status and data, then both are recorded and the error rethrown', async () => {
    sdk = initInMemory();
    const failure = Object.assign(new Error('Request failed with status code 429'), {
      response: { status: 429, data: { message: 'rate limited' } },
      status: 429,
    });
    await expect(
      inToolCall(() =>
        traceProviderRequest({ method: 'GET', url: 'https://api.github.com/repos' }, () => {
          throw failure;
        }),
      ),
    ).rejects.toBe(failure);
    const [request] = spanByKind(await sdk.finished(), 'provider_request');
    expect(request?.attributes['http.response.status_code']).toBe(429);
    expect(request?.attributes['tooltrace.http.response.body']).toBe('{"message":"rate limited"}');
  });
});

describe('response body guard', () => {
  it('when application code puts a response body on a span that did not fail, then it is dropped before export', async () => {
    sdk = initInMemory();
    const { trace } = await import('@opentelemetry/api');
    await inToolCall(async () => {
      trace.getActiveSpan()?.setAttribute('tooltrace.http.response.body', 'SUCCESS-BODY-MUST-NOT-LEAVE');
    });
    const [root] = await sdk.finished();
    expect(root?.attributes['tooltrace.http.response.body']).toBeUndefined();
  });
});

describe('redaction', () => {
  it('when attributes hold credentials, then keys and nested JSON keys are masked by default', async () => {
    sdk = initInMemory();
    await traceToolCall(
      {
        type: 'run_tool',
        toolName: 'X',
        userId: 'u',
        parameters: { channel: 'c', auth: { password: 'hunter2' }, apiToken: 't' },
      },
      async () => {
        const { trace } = await import('@opentelemetry/api');
        trace.getActiveSpan()?.setAttribute('http.request.header.authorization', 'Bearer abc');
      },
    );
    const [span] = await sdk.finished();
    expect(span?.attributes['http.request.header.authorization']).toBe(REDACTED);
    expect(JSON.parse(String(span?.attributes['gen_ai.tool.call.arguments']))).toEqual({
      channel: 'c',
      auth: { password: REDACTED },
      apiToken: REDACTED,
    });
  });

  it('when a custom redactor is given, then it decides what is exported', async () => {
    sdk = initInMemory({ redact: createRedactor(/^user\.id$/) });
    await traceToolCall({ type: 'list_tools', userId: 'person@example.com' }, () => null);
    const [span] = await sdk.finished();
    expect(span?.attributes['user.id']).toBe(REDACTED);
  });

  it('when a redactor throws, then the values are dropped rather than exported unredacted', async () => {
    sdk = initInMemory({
      redact: () => {
        throw new Error('bug');
      },
    });
    await traceToolCall({ type: 'list_tools', userId: 'person@example.com' }, () => null);
    const [span] = await sdk.finished();
    expect(JSON.stringify(span?.attributes)).not.toContain('person@example.com');
  });

  it('when a URL carries a credential in its query, then only that parameter is masked', () => {
    const redact = createRedactor();
    expect(redact({ 'url.full': 'https://www.googleapis.com/drive/v3/files?access_token=ya29.x&pageSize=20' })).toEqual(
      {
        'url.full': `https://www.googleapis.com/drive/v3/files?access_token=${encodeURIComponent(REDACTED)}&pageSize=20`,
      },
    );
    expect(redact({ 'url.full': 'https://slack.com/api/chat.postMessage?channel=C1' })).toEqual({
      'url.full': 'https://slack.com/api/chat.postMessage?channel=C1',
    });
  });

  it('when a truncated error body is not valid JSON, then sensitive pairs are still masked', () => {
    const redact = createRedactor();
    expect(redact({ body: '{"password": "hunter2", "name": "x", "token": "abc' })).toEqual({
      body: `{"password": "${REDACTED}", "name": "x", "token": "${REDACTED}`,
    });
  });
});
