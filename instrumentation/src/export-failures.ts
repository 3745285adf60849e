/**
 * Export failures must not be silent: OpenTelemetry's exporters only tell the
 * `diag` logger, which prints nothing by default, so a wrong ingest key would
 * drop every span without a word. The first failure of each kind is said once,
 * through `diag` and `console.warn`, with the collector's own message and what
 * to do; later ones of the same kind are only counted.
 */
import { diag } from '@opentelemetry/api';
import type { ExportSignal } from './reporting-exporter.ts';

export type ExportFailureKind = 'unauthorized' | 'unreachable' | 'too_large' | 'rejected' | 'other';

export interface ExportFailureDescription {
  kind: ExportFailureKind;
  /** The collector's message (from its answer), or the transport's. */
  reason: string;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

const ADVICE: Record<ExportFailureKind, string> = {
  unauthorized:
    "the collector refused the key: set TOOLTRACE_INGEST_KEY (or init's apiKey, or an Authorization header in OTEL_EXPORTER_OTLP_HEADERS) to the project's ingest key (`tooltrace project create`, or the ingest key `tooltrace start` printed)",
  unreachable:
    "the collector cannot be reached: is `tooltrace start` running, and does OTEL_EXPORTER_OTLP_ENDPOINT (or init's endpoint) point at its OTLP/HTTP port (4318 by default)?",
  too_large:
    "the collector refused a batch as too large: export smaller batches (OTEL_BSP_MAX_EXPORT_BATCH_SIZE) or raise the collector's TOOLTRACE_MAX_BODY_BYTES",
  rejected: 'the collector rejected a batch as malformed; the reason above says what it could not read',
  other: 'spans or logs were not exported',
};

/** What kind of failure `error` is, and the collector's reason when it answered. */
export function describeExportFailure(error: Error): ExportFailureDescription {
  const status = httpStatusOf(error);
  const reason = collectorMessage(error) ?? error.message;
  if (status === 401 || status === 403) return { kind: 'unauthorized', reason: `${status}: ${reason}` };
  if (status === 413) return { kind: 'too_large', reason: `${status}: ${reason}` };
  if (status !== undefined && status >= 400 && status < 500)
    return { kind: 'rejected', reason: `${status}: ${reason}` };
  if (isNetworkError(error)) return { kind: 'unreachable', reason };
  return { kind: 'other', reason: status === undefined ? reason : `${status}: ${reason}` };
}

export type Warn = (message: string) => void;

const defaultWarn: Warn = (message) => {
  diag.warn(message);
  console.warn(message);
};

/** Says the first failure of each kind once; counts every failure. */
export class ExportFailureNotices {
  readonly #counts = new Map<ExportFailureKind, number>();

  constructor(private readonly warn: Warn = defaultWarn) {}

  report(error: Error, signal: ExportSignal): void {
    const { kind, reason } = describeExportFailure(error);
    const seen = this.#counts.get(kind) ?? 0;
    this.#counts.set(kind, seen + 1);
    if (seen > 0) return;
    this.warn(
      `tooltrace: exporting ${signal} failed (${reason}); ${ADVICE[kind]}. Further failures of this kind are counted, not logged.`,
    );
  }

  /** Failures so far, by kind. */
  counts(): Partial<Record<ExportFailureKind, number>> {
    return Object.fromEntries(this.#counts);
  }
}

function httpStatusOf(error: Error): number | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

function isNetworkError(error: Error): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    if (e instanceof AggregateError && e.errors.some((inner) => inner instanceof Error && isNetworkError(inner))) {
      return true;
    }
  }
  return /ECONNREFUSED|ENOTFOUND|socket hang up/.test(error.message);
}

/**
 * The message of the collector's error answer: JSON (`{ message }` or `{ error: { message } }`)
 * or protobuf `google.rpc.Status` (field 2, the message), as the exporter kept it (`error.data`, text).
 */
function collectorMessage(error: Error): string | undefined {
  const data = (error as { data?: unknown }).data;
  if (typeof data !== 'string' || data === '') return undefined;
  try {
    const json = JSON.parse(data) as { message?: unknown; error?: { message?: unknown } };
    const message = json.error?.message ?? json.message;
    if (typeof message === 'string') return message;
  } catch {
    // not JSON: protobuf
  }
  return rpcStatusMessage(Buffer.from(data, 'utf8')) ?? longestText(data);
}

function rpcStatusMessage(bytes: Buffer): string | undefined {
  let i = 0;
  while (i < bytes.length) {
    const tag = bytes[i++]!;
    if (tag === 0x08) {
      while (i < bytes.length && bytes[i++]! & 0x80) {} // varint code
    } else if (tag === 0x12) {
      let length = 0;
      let shift = 0;
      let byte: number;
      do {
        byte = bytes[i++] ?? 0;
        length |= (byte & 0x7f) << shift;
        shift += 7;
      } while (byte & 0x80 && shift < 28);
      return i + length <= bytes.length ? bytes.subarray(i, i + length).toString('utf8') : undefined;
    } else {
      return undefined;
    }
  }
  return undefined;
}

function longestText(data: string): string | undefined {
  const runs = data.match(/[^\p{Cc}\uFFFD]{6,}/gu) ?? [];
  return runs.sort((a, b) => b.length - a.length)[0];
}
