import { describe, expect, it } from 'vitest';
import { errorGroup, maskErrorMessage } from './error-group.ts';

const base = {
  integration: 'slack',
  toolName: 'SLACK_SEND_MESSAGE',
  category: 'not_found' as const,
  errorCode: '41070',
};

describe('maskErrorMessage', () => {
  it.each([
    ["Channel 'C0123ABCD' not found", 'Channel <value> not found'],
    ['Record 0015g00000XyZ1AAK is locked', 'Record <id> is locked'],
    ['request 4c7445d2-1972-4ed6-9e47-46053bf1d45f failed after 3 retries', 'request <id> failed after <n> retries'],
    [
      'An unexpected error occurred. Please include this ErrorId: 1482936-51212',
      'An unexpected error occurred. Please include this ErrorId: <n>-<n>',
    ],
    ['user ada@example.com has no seat', 'user <email> has no seat'],
  ])('%s → %s', (message, masked) => {
    expect(maskErrorMessage(message)).toBe(masked);
  });

  it('keeps the keys and codes of a JSON message, masking only what varies', () => {
    expect(
      maskErrorMessage('{"message":"Unable to post","details":{"err":"token_revoked","retryAfterSeconds":30}}'),
    ).toBe('{"message":"Unable to post","details":{"err":"token_revoked","retryAfterSeconds":<n>}}');
  });
});

describe('errorGroup', () => {
  it('puts calls that differ only in IDs, numbers and quoted values in one group', () => {
    const a = errorGroup({ ...base, errorMessage: "Channel 'C0123ABCD' not found (request 81723)" });
    const b = errorGroup({ ...base, errorMessage: "Channel 'C9999ZZZZ' not found (request 5)" });
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(b).toBe(a);
  });

  it('keeps distinct errors apart', () => {
    const groups = new Set([
      errorGroup({ ...base, errorMessage: "Channel 'C0123ABCD' not found" }),
      errorGroup({ ...base, errorMessage: "User 'U0123ABCD' not found" }),
      errorGroup({ ...base, errorCode: '41010', errorMessage: "Channel 'C0123ABCD' not found" }),
      errorGroup({ ...base, category: 'auth_revoked', errorMessage: "Channel 'C0123ABCD' not found" }),
      errorGroup({ ...base, toolName: 'SLACK_LIST_CHANNELS', errorMessage: "Channel 'C0123ABCD' not found" }),
      errorGroup({ ...base, integration: 'hubspot', errorMessage: "Channel 'C0123ABCD' not found" }),
      errorGroup({ ...base, errorMessage: '{"details":{"err":"token_revoked"}}' }),
      errorGroup({ ...base, errorMessage: '{"details":{"err":"ratelimited"}}' }),
    ]);
    expect(groups.size).toBe(8);
  });

  it('is stable across runs and versions (stored fingerprints stay valid): FNV-1a 64 of the NUL-joined key', () => {
    // Checked independently: python3 FNV-1a 64 over b"slack\0SLACK_SEND_MESSAGE\0not_found\041070\0boom".
    expect(errorGroup({ ...base, errorMessage: 'boom' })).toBe('6d91ec95521aad15');
  });
});
