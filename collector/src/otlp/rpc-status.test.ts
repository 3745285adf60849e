import { describe, expect, it } from 'vitest';
import { decodeRpcStatus, encodeRpcStatus, RETRY_INFO_TYPE_URL, RPC_CODE, rpcStatusJson } from './rpc-status.ts';

describe('google.rpc.Status', () => {
  it('when a refusal is retryable, then the protobuf Status carries RetryInfo with the delay', () => {
    const bytes = encodeRpcStatus(RPC_CODE.resourceExhausted, 'busy', 7);
    expect(decodeRpcStatus(bytes)).toEqual({ code: 8, message: 'busy', retryDelaySeconds: 7 });
    expect(bytes.includes(Buffer.from(RETRY_INFO_TYPE_URL))).toBe(true);
  });

  it('when it is not retryable, then there are no details', () => {
    expect(decodeRpcStatus(encodeRpcStatus(RPC_CODE.notFound, 'no such route'))).toEqual({
      code: 5,
      message: 'no such route',
    });
  });

  it('when written as JSON, then Any carries @type and the delay is a Duration string', () => {
    expect(rpcStatusJson(RPC_CODE.unavailable, 'down', 5)).toEqual({
      code: 14,
      message: 'down',
      details: [{ '@type': RETRY_INFO_TYPE_URL, retryDelay: '5s' }],
    });
    expect(rpcStatusJson(RPC_CODE.unauthenticated, 'no key')).toEqual({ code: 16, message: 'no key' });
  });
});
