/**
 * Time sanity (DESIGN §5): an item more than a day in the future, or older
 * than the project's age limit, is not stored; the reason names its field and
 * says which rule it broke, for OTLP `partial_success`. Without this a
 * timestamp of 2^64−1 ns (year 2554) would sit on top of every newest-first
 * list and outlive retention.
 */
import { DAY_MS } from '@tooltrace/conventions';
import type { MappingOptions } from './options.ts';
import { nanosToIso, nanosToMs } from './time.ts';

/** How far ahead of the collector's clock an item may be (clock skew between hosts). */
export const MAX_FUTURE_MS = DAY_MS;

export interface TimeWindow {
  check(field: string, nanos: string): string | null;
}

export function timeWindow(options: Pick<MappingOptions, 'receivedAtMs' | 'maxAgeDays'>): TimeWindow {
  const latestMs = options.receivedAtMs + MAX_FUTURE_MS;
  const maxAgeDays = options.maxAgeDays ?? null;
  const earliestMs = maxAgeDays === null ? Number.NEGATIVE_INFINITY : options.receivedAtMs - maxAgeDays * DAY_MS;
  return {
    check(field, nanos) {
      const ms = nanosToMs(nanos);
      if (ms > latestMs) {
        return `${field}: ${nanosToIso(nanos)} is more than 1 day in the future (received at ${new Date(options.receivedAtMs).toISOString()})`;
      }
      if (ms < earliestMs) {
        return `${field}: ${nanosToIso(nanos)} is older than the project's age limit of ${maxAgeDays} day${maxAgeDays === 1 ? '' : 's'}`;
      }
      return null;
    },
  };
}
