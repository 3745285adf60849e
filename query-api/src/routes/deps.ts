import type { Store } from '@tooltrace/store';
import type { CursorSigner } from '../cursor.ts';
import type { LiveFeedOptions, StreamSlots } from '../live-feed.ts';

/** What route modules need; built once per app. */
export interface RouteDeps {
  store: Store;
  cursors: CursorSigner;
  liveFeed: LiveFeedOptions;
  /** Open live feeds per project, shared by both feeds of one app. */
  streams: StreamSlots;
  now: () => number;
}

/** Narrows a `from` filter to a live feed's window, or null when the window is past the filter's `to`. */
export function windowFilters<F extends { from?: number; to?: number }>(filters: F, since: number): F | null {
  const from = Math.max(filters.from ?? since, since);
  if (filters.to !== undefined && from >= filters.to) return null;
  return { ...filters, from };
}
