/**
 * The live-feed endpoints of both tabs share one behaviour: poll the list with
 * the client's filters, narrowed to the feed's look-back window, and push what
 * is new as SSE events.
 */
import type { Page, PageRequest } from '@tooltrace/store';
import type { Response } from 'express';
import { LIVE_FEED_POLL_LIMIT, type LiveFeedSource, serveLiveFeed } from '../live-feed.ts';
import { type RouteContext, STREAMED } from '../route.ts';
import type { RouteDeps } from './deps.ts';

interface WindowedFilters {
  from?: number;
  to?: number;
}

/** Narrows a `from` filter to a live feed's window, or null when the window is past the filter's `to`. */
function windowFilters<F extends WindowedFilters>(filters: F, since: number): F | null {
  const from = Math.max(filters.from ?? since, since);
  if (filters.to !== undefined && from >= filters.to) return null;
  return { ...filters, from };
}

/** Tells the client why the feed ends (the UI then asks to sign in again), and ends it. */
function endRotated(res: Response): void {
  if (res.writableEnded) return;
  if (res.headersSent) {
    const error = { code: 'key_rotated', message: 'this key was rotated; sign in with the new key' };
    res.write(`event: key_rotated\ndata: ${JSON.stringify({ error })}\n\n`);
    res.end();
  } else res.destroy();
}

export function liveFeedHandler<F extends WindowedFilters, T>(
  { liveFeed: options, streams, now, sessions }: Pick<RouteDeps, 'liveFeed' | 'streams' | 'now' | 'sessions'>,
  fetchPage: (projectId: string, filters: F, page: PageRequest) => Promise<Page<T>>,
  rows: Omit<LiveFeedSource<T>, 'recent'>,
) {
  return async ({ query }: { query: F }, { project, caller, req, res }: RouteContext): Promise<typeof STREAMED> => {
    const recent = async (since: number) => {
      const filters = windowFilters(query, since);
      if (!filters) return [];
      return (await fetchPage(project.projectId, filters, { limit: LIVE_FEED_POLL_LIMIT })).items;
    };
    const untrack = sessions.track(caller.key, () => endRotated(res));
    res.once('close', untrack);
    await serveLiveFeed<T>(req, res, { ...rows, recent }, options, streams.acquire(project.projectId), now);
    return STREAMED;
  };
}
