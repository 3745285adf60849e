/**
 * Forwarding destinations (DESIGN §9): a project's own OTLP/HTTP receivers.
 * The schemas here are the one definition of a valid destination: the API,
 * the CLI and both store backends check input against them, so a bad URL or
 * header is refused with the same message everywhere.
 */
import { z } from 'zod';

export const FORWARD_ENCODINGS = ['protobuf', 'json'] as const;
export type ForwardEncoding = (typeof FORWARD_ENCODINGS)[number];
export const FORWARD_COMPRESSIONS = ['gzip', 'none'] as const;
export type ForwardCompression = (typeof FORWARD_COMPRESSIONS)[number];
export const FORWARD_FILTERS = ['all', 'tool_calls', 'trigger_events', 'errors_only'] as const;
export type ForwardFilter = (typeof FORWARD_FILTERS)[number];
export const FORWARD_STATES = ['ok', 'retrying', 'failing', 'disabled'] as const;
export type ForwardState = (typeof FORWARD_STATES)[number];

/** RFC 9110 `token`: the characters a header name may use. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Visible ASCII, space and tab, and obs-text; no CR, LF or NUL (header injection). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Headers the sender sets itself; a destination may not override them. */
const RESERVED_HEADERS = new Set(['content-type', 'content-encoding', 'content-length', 'host', 'transfer-encoding']);

const endpoint = z
  .string()
  .trim()
  .max(2048, 'must be at most 2048 characters')
  .superRefine((value, ctx) => {
    const problem = endpointProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const headers = z.record(z.string(), z.string()).superRefine((value, ctx) => {
  const entries = Object.entries(value);
  if (entries.length > 32) ctx.addIssue({ code: 'custom', message: 'at most 32 headers' });
  for (const [name, text] of entries) {
    if (!HEADER_NAME.test(name)) {
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: `${JSON.stringify(name)} is not a valid HTTP header name`,
      });
    } else if (RESERVED_HEADERS.has(name.toLowerCase())) {
      ctx.addIssue({ code: 'custom', path: [name], message: `${name} is set by the forwarder and cannot be given` });
    } else if (!HEADER_VALUE.test(text) || text.length > 8192) {
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: 'is not a valid HTTP header value (no line breaks or control characters, at most 8192 characters)',
      });
    }
  }
});

const destinationFields = {
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  endpoint,
  headers,
  encoding: z.enum(FORWARD_ENCODINGS),
  compression: z.enum(FORWARD_COMPRESSIONS),
  filter: z.enum(FORWARD_FILTERS),
  enabled: z.boolean(),
};

export const DestinationInputSchema = z
  .object({
    ...destinationFields,
    headers: headers.default({}),
    encoding: destinationFields.encoding.default('protobuf'),
    compression: destinationFields.compression.default('gzip'),
    filter: destinationFields.filter.default('all'),
    enabled: destinationFields.enabled.default(true),
  })
  .strict()
  .meta({ id: 'DestinationInput' });
export type DestinationInput = z.output<typeof DestinationInputSchema>;

/** Changes to a destination; `headers`, when given, replaces every header. */
export const DestinationPatchSchema = z.object(destinationFields).partial().strict().meta({ id: 'DestinationPatch' });
export type DestinationPatch = z.output<typeof DestinationPatchSchema>;

/** A destination as the store keeps it: header values included (the collector sends them). */
export interface ForwardDestination {
  id: string;
  projectId: string;
  name: string;
  endpoint: string;
  headers: Record<string, string>;
  encoding: ForwardEncoding;
  compression: ForwardCompression;
  filter: ForwardFilter;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

const isoTime = z.iso.datetime({ offset: true });

export const DestinationStatusSchema = z
  .object({
    state: z.enum(FORWARD_STATES),
    spansSent: z.number().int(),
    logsSent: z.number().int(),
    batchesQueued: z.number().int(),
    batchesRetried: z.number().int(),
    batchesRejected: z.number().int(),
    batchesDropped: z.number().int(),
    queueBytes: z.number().int(),
    /** Age of the oldest queued batch, ms; 0 when nothing waits. */
    lagMs: z.number().int(),
    lastSuccessAt: isoTime.nullable(),
    lastError: z.object({ at: isoTime, httpStatus: z.number().int().nullable(), message: z.string() }).nullable(),
  })
  .meta({ id: 'DestinationStatus' });
export type DestinationStatus = z.output<typeof DestinationStatusSchema>;

/** What the API answers for a destination: header names only, never their values. */
export const DestinationViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    endpoint: z.string(),
    headerNames: z.array(z.string()),
    encoding: z.enum(FORWARD_ENCODINGS),
    compression: z.enum(FORWARD_COMPRESSIONS),
    filter: z.enum(FORWARD_FILTERS),
    enabled: z.boolean(),
    createdAt: isoTime,
    updatedAt: isoTime,
    status: DestinationStatusSchema,
  })
  .meta({ id: 'Destination' });
export type DestinationView = z.output<typeof DestinationViewSchema>;

export const DestinationListSchema = z
  .object({ items: z.array(DestinationViewSchema) })
  .meta({ id: 'DestinationList' });

/** The answer of `POST …/test`: what the destination said to one marked span. */
export const DestinationTestResultSchema = z
  .object({
    ok: z.boolean(),
    httpStatus: z.number().int().nullable(),
    message: z.string(),
    durationMs: z.number(),
  })
  .meta({ id: 'DestinationTestResult' });
export type DestinationTestResult = z.output<typeof DestinationTestResultSchema>;

/**
 * A status the collector reported (to the store, for readers in other
 * processes) as of `nowMs`: the lag kept growing since the report while
 * batches were queued, and enabling or disabling shows at once. No report:
 * nothing sent yet.
 */
export function reportedStatusNow(
  enabled: boolean,
  report: { status: DestinationStatus; reportedAt: string } | undefined,
  nowMs: number,
): DestinationStatus {
  if (!report) return emptyDestinationStatus(enabled);
  const { status } = report;
  const since = Math.max(0, nowMs - Date.parse(report.reportedAt));
  const lagMs = status.batchesQueued > 0 ? status.lagMs + since : status.lagMs;
  const state = !enabled ? 'disabled' : status.state === 'disabled' ? 'ok' : status.state;
  return { ...status, state, lagMs };
}

export function emptyDestinationStatus(enabled: boolean): DestinationStatus {
  return {
    state: enabled ? 'ok' : 'disabled',
    spansSent: 0,
    logsSent: 0,
    batchesQueued: 0,
    batchesRetried: 0,
    batchesRejected: 0,
    batchesDropped: 0,
    queueBytes: 0,
    lagMs: 0,
    lastSuccessAt: null,
    lastError: null,
  };
}

export function destinationView(destination: ForwardDestination, status: DestinationStatus): DestinationView {
  const { projectId: _project, headers: sent, ...rest } = destination;
  return { ...rest, headerNames: Object.keys(sent), status };
}

/** Why `value` cannot be a destination endpoint, or null when it can. */
export function endpointProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${JSON.stringify(value)} is not a URL: give the receiver's base URL, e.g. https://otlp.example.com`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `must be an http:// or https:// URL`;
  if (url.username || url.password) return 'must not contain credentials: put them in a header instead';
  if (url.search || url.hash) return 'must not have a query or fragment: /v1/traces and /v1/logs are appended to it';
  return null;
}

/**
 * True for hosts that reach this machine or a private network: localhost
 * names and loopback, private, link-local, unique-local and unspecified IP
 * addresses. Forwarding refuses them unless allowed, so a destination cannot
 * be used to probe an internal network. Hostnames are checked again after DNS
 * by the sender; this is the literal check.
 */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host === '') return true;
  const v4 = ipv4Octets(host);
  if (v4) return isPrivateIpv4(v4);
  if (host.includes(':')) return isPrivateIpv6(host);
  return false;
}

function ipv4Octets(host: string): number[] | null {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return null;
  const octets = parts.map(Number);
  return octets.every((o) => o <= 255) ? octets : null;
}

function isPrivateIpv4([a = 0, b = 0]: number[]): boolean {
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    a >= 224
  );
}

function isPrivateIpv6(host: string): boolean {
  if (host === '::' || host === '::1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
  if (mapped?.[1]) {
    const octets = ipv4Octets(mapped[1]);
    return octets === null || isPrivateIpv4(octets);
  }
  if (host.startsWith('::ffff:')) return true;
  const first = Number.parseInt(host.split(':')[0] || '0', 16);
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00;
}

/** The message for an endpoint refused by {@link isPrivateHost}. */
export function privateEndpointMessage(endpoint: string): string {
  return `${endpoint} is on a loopback or private network; set TOOLTRACE_FORWARD_ALLOW_PRIVATE=on to allow it`;
}

/** Why a (valid) endpoint may not be used under this configuration, or null. */
export function privateEndpointProblem(endpoint: string, allowPrivate: boolean): string | null {
  if (allowPrivate) return null;
  return isPrivateHost(new URL(endpoint).hostname) ? privateEndpointMessage(endpoint) : null;
}

/** A destination that breaks a rule; the message starts with the field, e.g. `endpoint: must be …`. */
export class InvalidDestinationError extends Error {
  override readonly name = 'InvalidDestinationError';
}

function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.map(String).join('.') || 'destination';
  throw new InvalidDestinationError(`${field}: ${issue?.message ?? 'invalid'}`);
}

export function parseDestinationInput(value: unknown): DestinationInput {
  return parseWith(DestinationInputSchema, value);
}

export function parseDestinationPatch(value: unknown): DestinationPatch {
  return parseWith(DestinationPatchSchema, value);
}
