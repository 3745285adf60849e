/** Parsing of the API's time parameters: ISO 8601 or epoch milliseconds. */

const EPOCH_MS = /^\d{1,15}$/;
// A calendar date, optionally with a time and then a mandatory zone (Z or ±hh:mm): no local times, which would
// silently depend on the server's time zone.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/i;

export const TIME_FORMAT_HINT =
  'must be an ISO 8601 time with a zone (2026-11-28T12:00:00Z), a date (2026-11-28, midnight UTC) or epoch milliseconds (1795867200000)';

/** Epoch milliseconds, or null when the text is neither form. */
export function parseApiTime(text: string): number | null {
  const value = text.trim();
  if (EPOCH_MS.test(value)) return Number(value);
  if (!ISO_8601.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}
