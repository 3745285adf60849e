import { SpanStatusCode } from '@opentelemetry/api';
import { toTraceId } from '@tooltrace/conventions';
import { afterEach, describe, expect, it } from 'vitest';
import { ActionKitError, actionKitErrorBody, INTERNAL_ERROR_CODE, requestIdOf } from './errors.ts';
import { AlreadyInitializedError, init } from './init.ts';
import { type InMemorySdk, initInMemory } from './test-support.ts';
import { traceToolCall } from './tool-call.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let sdk: InMemorySdk | undefined;
afterEach(async () => {
  await sdk?.handle.shutdown();
  sdk = undefined;
});

describe('traceToolCall', () => {
  it('when a run_tool call succeeds, then its root span carries the conventions and the requestId is its trace ID', async () => {
    sdk = initInMemory();
    const { result, requestId } = await traceToolCall(
      {
        type: 'run_tool',
        toolName: 'SLACK_SEND_MESSAGE',
        integration: 'slack',
        userId: 'user-1',
        parameters: { channel: '#general', text: 'hi' },
      },
      () => 42,
    );
    expect(result).toBe(42);
    expect(requestId).toMatch(UUID);
    const [span] = await sdk.finished();
    expect(span?.name).toBe('run_tool SLACK_SEND_MESSAGE');
    expect(span?.spanContext().traceId).toBe(toTraceId(requestId!));
    expect(span?.attributes).toMatchObject({
      'tooltrace.kind': 'tool_call',
      'tooltrace.tool_call.type': 'run_tool',
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'SLACK_SEND_MESSAGE',
      'tooltrace.integration': 'slack',
      'user.id': 'user-1',
      'gen_ai.tool.call.arguments': '{"channel":"#general","text":"hi"}',
    });
    expect(span?.status.code).not.toBe(SpanStatusCode.ERROR);
  });

  it('when a list_tools call runs, then it is named list_tools and has no gen_ai operation', async () => {
    sdk = initInMemory();
    await traceToolCall({ type: 'list_tools', userId: 'user-2' }, () => []);
    const [span] = await sdk.finished();
    expect(span?.name).toBe('list_tools');
    expect(span?.attributes['gen_ai.operation.name']).toBeUndefined();
  });

  it('when the call throws an ActionKitError, then the span is an error and the rethrown error carries the requestId', async () => {
    sdk = initInMemory({ uiBaseUrl: 'http://127.0.0.1:8080/' });
    const failure = new ActionKitError('Unable to update Task', {
      code: 41070,
      status: 500,
      details: { err: 'Team not authorized', ECODE: 'OAUTH_027' },
    });
    const thrown = await traceToolCall({ type: 'run_tool', toolName: 'ASANA_UPDATE_TASK', userId: 'u' }, () => {
      throw failure;
    }).catch((error: unknown) => error);
    expect(thrown).toBe(failure);
    const requestId = requestIdOf(thrown);
    expect(requestId).toMatch(UUID);
    expect((thrown as { requestId?: string }).requestId).toBe(requestId);

    const [span] = await sdk.finished();
    expect(span?.spanContext().traceId).toBe(toTraceId(requestId!));
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes['error.type']).toBe('ActionKitError');
    expect(span?.attributes['tooltrace.error.code']).toBe('41070');
    expect(span?.attributes['tooltrace.error.message']).toContain('Team not authorized');
    expect(span?.events.map((event) => event.name)).toContain('exception');

    const body = actionKitErrorBody(thrown);
    expect(body).toEqual({
      message: '{"message":"Unable to update Task","details":{"err":"Team not authorized","ECODE":"OAUTH_027"}}',
      code: '41070',
      status: 500,
      meta: { requestId, traceUrl: `http://127.0.0.1:8080/traces/${requestId}` },
    });
  });

  it('when the provider details carry a token, then neither the span status, its attributes and events nor the error body hold it', async () => {
    sdk = initInMemory();
    const token = 'xoxb-2611-secret-token-value';
    const failure = new ActionKitError('Unable to send message', {
      code: 41070,
      status: 403,
      details: { error: 'invalid_auth', access_token: token, response: `{"ok":false,"token":"${token}"}` },
    });
    const thrown = await traceToolCall({ type: 'run_tool', toolName: 'SLACK_SEND_MESSAGE', userId: 'u' }, () => {
      throw failure;
    }).catch((error: unknown) => error);
    const [span] = await sdk.finished();
    expect(span?.status.message).toContain('invalid_auth');
    expect(span?.status.message).not.toContain(token);
    expect(JSON.stringify(span?.attributes)).not.toContain(token);
    const body = actionKitErrorBody(thrown);
    expect(body.message).toContain('invalid_auth');
    expect(body.message).not.toContain(token);
    expect(JSON.parse(body.message)).toMatchObject({ details: { access_token: '[REDACTED]' } });
  });

  it('when a status message quotes a Bearer credential in prose, then the exported status hides it', async () => {
    sdk = initInMemory();
    await traceToolCall({ type: 'list_tools', userId: 'u' }, () => {
      throw new Error('upstream refused Authorization: Bearer abc.def-123456789');
    }).catch(() => undefined);
    const [span] = await sdk.finished();
    expect(span?.status.message).toBe('upstream refused Authorization: Bearer [REDACTED]');
  });

  it('when an unexpected error escapes, then the body hides its message but keeps the requestId', async () => {
    sdk = initInMemory();
    const thrown = await traceToolCall({ type: 'list_tools', userId: 'u' }, () => {
      throw new TypeError('cannot read properties of undefined (internal detail)');
    }).catch((error: unknown) => error);
    const body = actionKitErrorBody(thrown);
    expect(body).toEqual({
      message: 'Internal error',
      code: INTERNAL_ERROR_CODE,
      status: 500,
      meta: { requestId: requestIdOf(thrown) },
    });
    expect(Object.keys(body.meta)).toEqual(['requestId']);
  });

  it('when actionKitErrorBody gets an error without a requestId, then it says where one comes from', () => {
    expect(() => actionKitErrorBody(new Error('x'))).toThrow(/no requestId/);
  });

  it('when a type is not list_tools/run_tool, then the call is refused with a clear message', async () => {
    sdk = initInMemory();
    await expect(traceToolCall({ type: 'call_tool' as 'run_tool', userId: 'u' }, () => 1)).rejects.toThrow(
      /'list_tools' or 'run_tool'/,
    );
  });
});

describe('init', () => {
  it('when init is called twice, then the second call is refused until the first is shut down', async () => {
    sdk = initInMemory();
    expect(() => init({ serviceName: 'again', exportToOtlp: false })).toThrow(AlreadyInitializedError);
    await sdk.handle.shutdown();
    sdk = initInMemory();
    await traceToolCall({ type: 'list_tools', userId: 'u' }, () => null);
    expect(await sdk.finished()).toHaveLength(1);
  });

  it('when the endpoint is not a URL, then init names the option', () => {
    expect(() => init({ serviceName: 's', endpoint: 'localhost:4318' })).toThrow(/endpoint must be an absolute URL/);
  });
});
