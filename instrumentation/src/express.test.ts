import type { AddressInfo } from 'node:net';
import { SpanStatusCode } from '@opentelemetry/api';
import { toTraceId } from '@tooltrace/conventions';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { ActionKitError } from './errors.ts';
import { toolCallErrorHandler, toolCallMiddleware } from './express.ts';
import { type InMemorySdk, initInMemory, spanByKind } from './test-support.ts';

let sdk: InMemorySdk | undefined;
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  await sdk?.handle.shutdown();
  sdk = undefined;
});

async function startService(): Promise<string> {
  const app = express();
  app.use(express.json());
  app.use(
    toolCallMiddleware({
      describe: (req) =>
        req.path === '/actions'
          ? req.method === 'GET'
            ? { type: 'list_tools', userId: String(req.header('x-user-id')) }
            : {
                type: 'run_tool',
                toolName: req.body.action,
                userId: String(req.header('x-user-id')),
                parameters: req.body.parameters,
              }
          : null,
    }),
  );
  app.get('/actions', (_req, res) => {
    res.json({ actions: ['SLACK_SEND_MESSAGE'] });
  });
  app.post('/actions', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    throw new ActionKitError('Unable to send message', {
      code: 41070,
      status: 500,
      details: { err: 'channel_not_found' },
    });
  });
  app.get('/health', (_req, res) => {
    res.send('ok');
  });
  app.use(toolCallErrorHandler({ uiBaseUrl: 'http://ui.test' }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  close = () => new Promise((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('tool-call middleware', () => {
  it('when a tool call throws, then the answer is the ActionKit body whose requestId is the x-request-id and the trace', async () => {
    sdk = initInMemory();
    const base = await startService();
    const response = await fetch(`${base}/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-user-id': 'user-7' },
      body: JSON.stringify({ action: 'SLACK_SEND_MESSAGE', parameters: { channel: '#nope' } }),
    });
    const body = (await response.json()) as { meta: { requestId: string } };
    expect(response.status).toBe(500);
    expect(body).toEqual({
      message: '{"message":"Unable to send message","details":{"err":"channel_not_found"}}',
      code: '41070',
      status: 500,
      meta: {
        requestId: response.headers.get('x-request-id'),
        traceUrl: `http://ui.test/traces/${body.meta.requestId}`,
      },
    });
    const [root] = spanByKind(await sdk.finished(), 'tool_call');
    expect(root?.spanContext().traceId).toBe(toTraceId(body.meta.requestId));
    expect(root?.status.code).toBe(SpanStatusCode.ERROR);
    expect(root?.attributes).toMatchObject({
      'gen_ai.tool.name': 'SLACK_SEND_MESSAGE',
      'user.id': 'user-7',
      'http.request.method': 'POST',
      'url.path': '/actions',
      'http.response.status_code': 500,
      'tooltrace.error.code': '41070',
    });
  });

  it('when the caller sends a traceparent, then the tool call continues that trace', async () => {
    sdk = initInMemory();
    const base = await startService();
    const traceId = '4c7445d219724ed69e4746053bf1d45f';
    const response = await fetch(`${base}/actions`, {
      headers: { 'x-user-id': 'user-8', traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('4c7445d2-1972-4ed6-9e47-46053bf1d45f');
    const [root] = spanByKind(await sdk.finished(), 'tool_call');
    expect(root?.spanContext().traceId).toBe(traceId);
    expect(root?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(root?.status.code).not.toBe(SpanStatusCode.ERROR);
  });

  it('when a request is not a tool call, then it is not traced and has no x-request-id', async () => {
    sdk = initInMemory();
    const base = await startService();
    const response = await fetch(`${base}/health`);
    expect(await response.text()).toBe('ok');
    expect(response.headers.get('x-request-id')).toBeNull();
    expect(await sdk.finished()).toHaveLength(0);
  });
});
