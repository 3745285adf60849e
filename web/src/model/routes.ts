/**
 * The UI's routes as history-API paths, so a link or a reload lands on the same view and the
 * query API's SPA fallback can serve index.html for any of them.
 */
import { isTraceIdLike, toTraceId } from '@tooltrace/conventions';

export type Route =
  | { name: 'tools' }
  | { name: 'errors' }
  /** `tab`: the tab the trace was opened from (a trigger event's waterfall stays under Triggers). */
  | { name: 'trace'; traceId: string; valid: boolean; tab?: Tab }
  | { name: 'triggers' }
  | { name: 'event'; eventId: string }
  | { name: 'forwarding' }
  /** What arrived for the project and what became of it (reached from the quota meter). */
  | { name: 'ingest' }
  | { name: 'not-found'; path: string };

/** `ingest` is no tab of the bar: no tab is current there. */
export type Tab = 'tools' | 'triggers' | 'forwarding' | 'ingest';

export function parseRoute(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean).map(safeDecode);
  const [first, second, third, ...rest] = parts;
  if (rest.length > 0) return { name: 'not-found', path: pathname };
  if (first === undefined) return { name: 'tools' };
  if (first === 'tools' && second === undefined) return { name: 'tools' };
  if (first === 'tools' && second === 'errors' && third === undefined) return { name: 'errors' };
  if (first === 'tools' && second === 'trace' && third) return traceRoute(third);
  if (first === 'traces' && second && third === undefined) return traceRoute(second);
  if (first === 'triggers' && second === undefined) return { name: 'triggers' };
  if (first === 'forwarding' && second === undefined) return { name: 'forwarding' };
  if (first === 'ingest' && second === undefined) return { name: 'ingest' };
  if (first === 'triggers' && second === 'event' && third) return { name: 'event', eventId: third };
  if (first === 'triggers' && second === 'trace' && third) return { ...traceRoute(third), tab: 'triggers' } as Route;
  return { name: 'not-found', path: pathname };
}

function traceRoute(raw: string): Route {
  return isTraceIdLike(raw)
    ? { name: 'trace', traceId: toTraceId(raw), valid: true }
    : { name: 'trace', traceId: raw, valid: false };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function routePath(route: Route): string {
  switch (route.name) {
    case 'tools':
      return '/tools';
    case 'errors':
      return '/tools/errors';
    case 'trace':
      return `/${route.tab === 'triggers' ? 'triggers' : 'tools'}/trace/${encodeURIComponent(route.traceId)}`;
    case 'triggers':
      return '/triggers';
    case 'event':
      return `/triggers/event/${encodeURIComponent(route.eventId)}`;
    case 'forwarding':
      return '/forwarding';
    case 'ingest':
      return '/ingest';
    case 'not-found':
      return route.path;
  }
}

/** The tab a route belongs to, for the tab bar and for which filters the URL carries. */
export function tabOf(route: Route): Tab {
  if (route.name === 'trace') return route.tab ?? 'tools';
  if (route.name === 'forwarding') return 'forwarding';
  if (route.name === 'ingest') return 'ingest';
  return route.name === 'triggers' || route.name === 'event' ? 'triggers' : 'tools';
}
