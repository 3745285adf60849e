/**
 * The one table that decides a failed tool call's `errorCategory` (DESIGN §4).
 *
 * A call is judged from its failing provider requests first (the provider's
 * own answer names the cause: Slack answers 200 `{"ok":false,"error":"token_revoked"}`,
 * Google 400 `invalid_grant`) and then from the call itself, whose ActionKit
 * code and message often repeat the provider's marker. Marker rules are tried
 * on every piece of evidence before any status-only rule, so a 400 carrying
 * `invalid_grant` is a revoked grant, not an invalid request.
 */
export const ERROR_CATEGORIES = [
  'auth_revoked',
  'auth_expired',
  'permission_denied',
  'rate_limited',
  'not_found',
  'invalid_request',
  'provider_unavailable',
  'timeout',
  'internal',
  'other',
] as const;
export type ErrorCategory = (typeof ERROR_CATEGORIES)[number];

export const ERROR_CATEGORY_LABELS: Record<ErrorCategory, string> = {
  auth_revoked: 'Auth revoked',
  auth_expired: 'Auth expired',
  permission_denied: 'Permission denied',
  rate_limited: 'Rate limited',
  not_found: 'Not found',
  invalid_request: 'Invalid request',
  provider_unavailable: 'Provider unavailable',
  timeout: 'Timeout',
  internal: 'Internal error',
  other: 'Other',
};

/** One thing that failed: a provider request or the call itself. */
export interface ErrorEvidence {
  httpStatus: number | null;
  /** Error code, `error.type`, exception type… anything short that names the failure. */
  codes: readonly (string | null)[];
  /** Error message and response body text. */
  text: string | null;
}

export interface ErrorCategoryInput {
  integration: string | null;
  /** Failing provider requests, the deepest (the root cause) first. */
  providerFailures: readonly ErrorEvidence[];
  call: ErrorEvidence;
}

interface Rule {
  category: ErrorCategory;
  /** Only for this integration (provider-specific wording); any integration when absent. */
  integration?: string;
  /** Matched against the evidence's codes and text. */
  marker?: RegExp;
  /** HTTP statuses the rule needs; with a marker both must match. */
  statuses?: readonly number[];
}

/** Provider markers, from the providers' documented error bodies. First match wins. */
const MARKER_RULES: readonly Rule[] = [
  // GitHub answers its secondary rate limit with 403, which would otherwise read as a permission problem.
  { category: 'rate_limited', integration: 'github', marker: /secondary rate limit|API rate limit exceeded/i },
  { category: 'rate_limited', marker: /\brate_?limit(?:ed|_exceeded)?\b|ratelimited|\bRATE_LIMITS?\b/i },
  {
    category: 'rate_limited',
    marker: /REQUEST_LIMIT_EXCEEDED|RESOURCE_EXHAUSTED|(?:user)?RateLimitExceeded|quota exceeded/i,
  },
  { category: 'auth_revoked', marker: /\btoken_revoked\b|\binvalid_grant\b|\baccount_inactive\b|\bapp_uninstalled\b/ },
  { category: 'auth_revoked', marker: /\bexpired or revoked\b/i },
  {
    category: 'auth_expired',
    marker: /\btoken_expired\b|\bexpired_token\b|\bINVALID_SESSION_ID\b|EXPIRED_AUTHENTICATION/,
  },
  { category: 'auth_expired', marker: /\bsession expired\b|\bUNAUTHENTICATED\b|\binvalid_auth\b|\bnot_authed\b/i },
  {
    category: 'permission_denied',
    marker: /\bmissing_scope\b|insufficientPermissions|\bPERMISSION_DENIED\b|INSUFFICIENT_ACCESS|MISSING_SCOPES/,
  },
  { category: 'permission_denied', marker: /insufficient (?:authentication )?scopes?|not accessible by integration/i },
  { category: 'timeout', marker: /\btime(?:d)? ?out\b|ETIMEDOUT|ESOCKETTIMEDOUT|TimeoutError|\bAbortError\b/i },
  { category: 'provider_unavailable', marker: /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|service unavailable/i },
  { category: 'not_found', marker: /\b\w*_not_found\b|\bNOT_FOUND\b|\bnotFound\b/ },
  { category: 'invalid_request', marker: /\binvalid_arguments?\b|\bINVALID_FIELD\b|\bbadRequest\b|VALIDATION_ERROR/ },
];

/** Status-only rules, tried after every marker rule found nothing. */
const STATUS_RULES: readonly Rule[] = [
  { category: 'auth_expired', statuses: [401] },
  { category: 'permission_denied', statuses: [403] },
  { category: 'not_found', statuses: [404, 410] },
  { category: 'timeout', statuses: [408, 504] },
  { category: 'rate_limited', statuses: [429] },
  { category: 'invalid_request', statuses: [400, 405, 409, 413, 415, 422] },
  { category: 'provider_unavailable', statuses: [502, 503] },
  { category: 'internal', statuses: [500] },
];

function matches(rule: Rule, integration: string | null, evidence: ErrorEvidence): boolean {
  if (rule.integration !== undefined && rule.integration !== integration?.toLowerCase()) return false;
  if (rule.statuses && (evidence.httpStatus === null || !rule.statuses.includes(evidence.httpStatus))) return false;
  if (rule.marker) {
    const haystack = [...evidence.codes.filter((c) => c !== null), evidence.text ?? ''].join('\n');
    if (!rule.marker.test(haystack)) return false;
  }
  return true;
}

function firstMatch(rules: readonly Rule[], input: ErrorCategoryInput): ErrorCategory | null {
  const evidence = [...input.providerFailures, input.call];
  for (const item of evidence) {
    const rule = rules.find((r) => matches(r, input.integration, item));
    if (rule) return rule.category;
  }
  return null;
}

/** The category of a failed call; `other` when no rule recognises it. */
export function errorCategory(input: ErrorCategoryInput): ErrorCategory {
  return firstMatch(MARKER_RULES, input) ?? firstMatch(STATUS_RULES, input) ?? 'other';
}
