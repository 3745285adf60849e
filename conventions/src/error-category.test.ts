import { describe, expect, it } from 'vitest';
import { type ErrorCategory, type ErrorEvidence, errorCategory } from './error-category.ts';

const provider = (httpStatus: number | null, body: string, codes: string[] = []): ErrorEvidence => ({
  httpStatus,
  codes,
  text: body,
});
/** What our SDK's ActionKit error puts on the tool-call span when it wraps a provider failure. */
const actionKitCall = (httpStatus: number, code: string): ErrorEvidence => ({
  httpStatus,
  codes: [code, 'ActionKitError'],
  text: 'Unable to run the tool',
});

interface Case {
  name: string;
  integration: string | null;
  providerFailures: ErrorEvidence[];
  call: ErrorEvidence;
  expected: ErrorCategory;
}

// Bodies as the providers document and send them.
const CASES: Case[] = [
  {
    name: 'Slack token_revoked (HTTP 200, ok:false)',
    integration: 'slack',
    providerFailures: [provider(200, '{"ok":false,"error":"token_revoked"}')],
    call: actionKitCall(401, '41010'),
    expected: 'auth_revoked',
  },
  {
    name: 'Slack ratelimited with Retry-After',
    integration: 'slack',
    providerFailures: [provider(429, '{"ok":false,"error":"ratelimited"}')],
    call: actionKitCall(429, '41290'),
    expected: 'rate_limited',
  },
  {
    name: 'Google OAuth refresh invalid_grant (400 at /oauth/token)',
    integration: 'googlecalendar',
    providerFailures: [
      provider(400, '{"error":"invalid_grant","error_description":"Token has been expired or revoked."}'),
      provider(
        401,
        '{"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}}',
      ),
    ],
    call: actionKitCall(401, '41010'),
    expected: 'auth_revoked',
  },
  {
    name: 'Google 403 insufficientPermissions',
    integration: 'googledrive',
    providerFailures: [
      provider(
        403,
        '{"error":{"errors":[{"domain":"global","reason":"insufficientPermissions","message":"Insufficient Permission: Request had insufficient authentication scopes."}],"code":403,"message":"Insufficient Permission: Request had insufficient authentication scopes."}}',
      ),
    ],
    call: actionKitCall(403, '41030'),
    expected: 'permission_denied',
  },
  {
    name: 'Salesforce INVALID_SESSION_ID',
    integration: 'salesforce',
    providerFailures: [provider(401, '[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]')],
    call: actionKitCall(401, '41010'),
    expected: 'auth_expired',
  },
  {
    name: 'HubSpot 429 secondly limit',
    integration: 'hubspot',
    providerFailures: [
      provider(
        429,
        '{"status":"error","message":"You have reached your secondly limit.","errorType":"RATE_LIMIT","correlationId":"c033cdaa-2c40-4a64-ae48-b4cec88dad24","policyName":"SECONDLY"}',
      ),
    ],
    call: actionKitCall(429, '41290'),
    expected: 'rate_limited',
  },
  {
    name: 'GitHub secondary rate limit (a 403, not a permission problem)',
    integration: 'github',
    providerFailures: [
      provider(
        403,
        '{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/rest/overview/resources-in-the-rest-api#secondary-rate-limits"}',
      ),
    ],
    call: actionKitCall(500, '41070'),
    expected: 'rate_limited',
  },
  {
    name: 'GitHub 403 without a rate-limit message stays a permission problem',
    integration: 'github',
    providerFailures: [provider(403, '{"message":"Resource not accessible by integration"}')],
    call: actionKitCall(403, '41030'),
    expected: 'permission_denied',
  },
  {
    name: '503 HTML page from a load balancer',
    integration: 'salesforce',
    providerFailures: [
      provider(
        503,
        '<html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1></body></html>',
      ),
    ],
    call: actionKitCall(500, '41070'),
    expected: 'provider_unavailable',
  },
  {
    name: 'a timeout: no HTTP status, the client aborted',
    integration: 'hubspot',
    providerFailures: [{ httpStatus: null, codes: ['TimeoutError'], text: 'The operation was aborted due to timeout' }],
    call: actionKitCall(500, '41070'),
    expected: 'timeout',
  },
  {
    name: 'a provider 404 with its own code',
    integration: 'slack',
    providerFailures: [provider(200, '{"ok":false,"error":"channel_not_found"}')],
    call: actionKitCall(500, '41070'),
    expected: 'not_found',
  },
  {
    name: 'a provider 500 with no marker',
    integration: 'notion',
    providerFailures: [provider(500, '{"message":"Server Error"}')],
    call: actionKitCall(500, '41070'),
    expected: 'internal',
  },
  {
    name: 'no provider request: the call alone, with the marker in its message details',
    integration: 'slack',
    providerFailures: [],
    call: {
      httpStatus: 401,
      codes: ['41010'],
      text: '{"message":"Unable to post a message","details":{"err":"token_revoked","ECODE":"OAUTH_027"}}',
    },
    expected: 'auth_revoked',
  },
  {
    name: 'a 400 of our own API (unknown integration)',
    integration: null,
    providerFailures: [],
    call: { httpStatus: 400, codes: ['40010'], text: 'Unknown integration: foo' },
    expected: 'invalid_request',
  },
  {
    name: 'nothing recognisable',
    integration: null,
    providerFailures: [],
    call: { httpStatus: null, codes: ['Error'], text: 'something odd happened' },
    expected: 'other',
  },
];

describe('errorCategory (the rule table)', () => {
  it.each(CASES)('$name → $expected', ({ integration, providerFailures, call, expected }) => {
    expect(errorCategory({ integration, providerFailures, call })).toBe(expected);
  });

  it('prefers a provider marker over the status of the call that wrapped it', () => {
    // The call says 500 (internal); the provider said token_revoked.
    const input = {
      integration: 'slack',
      providerFailures: [provider(200, '{"ok":false,"error":"token_revoked"}')],
      call: actionKitCall(500, '41070'),
    };
    expect(errorCategory(input)).toBe('auth_revoked');
    expect(errorCategory({ ...input, providerFailures: [] })).toBe('internal');
  });

  it('applies provider-specific wording only to that provider', () => {
    const body = provider(403, '{"message":"API rate limit exceeded for installation ID 123."}');
    expect(errorCategory({ integration: 'github', providerFailures: [body], call: actionKitCall(403, '41030') })).toBe(
      'rate_limited',
    );
    expect(errorCategory({ integration: 'jira', providerFailures: [body], call: actionKitCall(403, '41030') })).toBe(
      'permission_denied',
    );
  });
});
