/**
 * CSV cells (RFC 4180) for exports. Text that a spreadsheet would run as a
 * formula (starting with = + - @ or a tab/CR) is prefixed with a quote, as
 * OWASP advises against CSV injection; numbers are written as they are.
 */

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = Array.isArray(value) ? value.join(';') : typeof value === 'string' ? value : JSON.stringify(value);
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One CSV line (CRLF-terminated, as RFC 4180 says) of the given columns of a record. */
export function csvLine(columns: readonly string[], record: Record<string, unknown>): string {
  return `${columns.map((column) => csvCell(record[column])).join(',')}\r\n`;
}

export function csvHeader(columns: readonly string[]): string {
  return `${columns.map(csvCell).join(',')}\r\n`;
}
