/** Log levels from span status, HTTP status and OTLP severity. */
import { ATTR_EXCEPTION_MESSAGE, ATTR_EXCEPTION_TYPE, type LogLevel } from '@tooltrace/conventions';
import { type OtlpLogRecord, STATUS_CODE } from '../otlp/types.ts';

/**
 * A span is an error when its status is ERROR or its HTTP status is 4xx/5xx
 * (DESIGN §3), or when it names an `error.type` (semantic conventions set it
 * only on failed operations, e.g. MCP tool calls that returned an error).
 */
export function isErrorSpan(statusCode: number, httpStatus: number | null, errorType: string | null): boolean {
  return statusCode === STATUS_CODE.error || (httpStatus !== null && httpStatus >= 400) || errorType !== null;
}

/**
 * OTLP severity numbers: 1–8 trace/debug, 9–12 info, 13–16 warn, 17–24
 * error/fatal. Without a number, the severity text decides.
 */
export function severityLevel(severityNumber: number, severityText: string): LogLevel {
  if (severityNumber >= 1 && severityNumber <= 8) return 'debug';
  if (severityNumber >= 9 && severityNumber <= 12) return 'info';
  if (severityNumber >= 13 && severityNumber <= 16) return 'warn';
  if (severityNumber >= 17) return 'error';
  const text = severityText.trim().toLowerCase();
  if (/^(trace|debug|fine|verbose)/.test(text)) return 'debug';
  if (/^warn/.test(text)) return 'warn';
  if (/^(err|fatal|crit|alert|emerg|severe|panic)/.test(text)) return 'error';
  return 'info';
}

/** A log record's level: any record with `exception.*` attributes is an error (the newer exception convention). */
export function recordLevel(record: Pick<OtlpLogRecord, 'attributes' | 'severityNumber' | 'severityText'>): LogLevel {
  const attrs = record.attributes;
  if (attrs[ATTR_EXCEPTION_TYPE] !== undefined || attrs[ATTR_EXCEPTION_MESSAGE] !== undefined) return 'error';
  return severityLevel(record.severityNumber, record.severityText);
}
