/**
 * One log line per OTLP request, whichever transport it came by: who sent
 * (project), how (protocol, encoding, compression), what became of the items
 * (accepted, rejected with reasons), the answer and how long it took. Never
 * the key, never the payload. 2xx without rejections is `info`; rejected
 * items or a refused request `warn`, so "sent" on the sender's side is never
 * a silent "dropped" on ours; a failure of ours `error`.
 */
import type { Logger } from '@tooltrace/conventions';
import type { OtlpEncoding, Signal } from '../otlp/types.ts';
import type { ItemCounts } from './ingest-pipeline.ts';

export interface IngestRequestRecord {
  protocol: 'http' | 'grpc';
  signal: Signal | null;
  /** Null until the key was checked (and for a refused key). */
  projectId: string | null;
  encoding: OtlpEncoding | null;
  compression: string;
  /** HTTP status (http) or gRPC status name (grpc). */
  status: number | string;
  /** The HTTP status of the same answer, whichever transport (for the ingest status's reasons). */
  httpStatus: number;
  /** Whether the answer is an error of ours (5xx / INTERNAL), not of the request. */
  serverError: boolean;
  ok: boolean;
  items: ItemCounts | null;
  /** The message of a refused request. */
  error: string | null;
  durationMs: number;
}

/** Reasons written per line; the count says how many there were. */
const MAX_REASONS_LOGGED = 3;

export function logIngestRequest(logger: Logger, record: IngestRequestRecord): void {
  const { items } = record;
  const fields = {
    protocol: record.protocol,
    signal: record.signal,
    projectId: record.projectId,
    encoding: record.encoding,
    compression: record.compression,
    status: record.status,
    accepted: items?.accepted ?? 0,
    rejected: items?.rejected ?? 0,
    redacted: items?.redacted ?? 0,
    ...(items && items.rejected > 0 ? { reasons: items.reasons.slice(0, MAX_REASONS_LOGGED) } : {}),
    ...(record.error ? { error: record.error } : {}),
    durationMs: Math.round(record.durationMs * 10) / 10,
  };
  const what = `OTLP/${record.protocol === 'http' ? 'HTTP' : 'gRPC'} ${record.signal ?? 'request'}`;
  if (record.serverError) logger.error(fields, `${what} failed on our side`);
  else if (!record.ok) logger.warn(fields, `${what} refused`);
  else if (fields.rejected > 0) logger.warn(fields, `${what} accepted with ${fields.rejected} item(s) rejected`);
  else logger.info(fields, `${what} accepted`);
}
