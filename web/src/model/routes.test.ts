import { describe, expect, it } from 'vitest';
import { parseRoute, routePath, tabOf } from './routes.ts';

const TRACE = '4c7445d219724ed69e4746053bf1d45f';

describe('routes', () => {
  it('when the path is empty or /tools, then it is the Tools tab', () => {
    expect(parseRoute('/')).toEqual({ name: 'tools' });
    expect(parseRoute('/tools/')).toEqual({ name: 'tools' });
  });

  it('when a trace path holds a requestId in any case, then the route carries the normalised trace ID', () => {
    expect(parseRoute('/tools/trace/4C7445D2-1972-4ED6-9E47-46053BF1D45F')).toEqual({
      name: 'trace',
      traceId: TRACE,
      valid: true,
    });
    expect(parseRoute(`/traces/${TRACE}`)).toMatchObject({ name: 'trace', traceId: TRACE });
  });

  it('when a trace path holds something else, then the route says it is not valid', () => {
    expect(parseRoute('/tools/trace/nope')).toEqual({ name: 'trace', traceId: 'nope', valid: false });
  });

  it('when the path is a trigger event, then the event ID is decoded', () => {
    expect(parseRoute('/triggers/event/evt%20123')).toEqual({ name: 'event', eventId: 'evt 123' });
    expect(tabOf(parseRoute('/triggers/event/x'))).toBe('triggers');
  });

  it('when a trace is opened from a trigger event, then it stays under the Triggers tab', () => {
    expect(tabOf(parseRoute(`/triggers/trace/${TRACE}`))).toBe('triggers');
    expect(tabOf(parseRoute(`/tools/trace/${TRACE}`))).toBe('tools');
    expect(tabOf(parseRoute('/tools/errors'))).toBe('tools');
    expect(parseRoute('/ingest')).toEqual({ name: 'ingest' });
    expect(routePath({ name: 'ingest' })).toBe('/ingest');
    expect(tabOf(parseRoute('/ingest'))).toBe('ingest');
  });

  it('when the path is unknown, then it is not-found', () => {
    expect(parseRoute('/settings')).toEqual({ name: 'not-found', path: '/settings' });
    expect(parseRoute('/tools/trace/a/b')).toMatchObject({ name: 'not-found' });
  });

  it('when a route is turned into a path and parsed back, then it is the same route', () => {
    for (const route of [
      { name: 'tools' },
      { name: 'triggers' },
      { name: 'trace', traceId: TRACE, valid: true },
      { name: 'trace', traceId: TRACE, valid: true, tab: 'triggers' },
      { name: 'errors' },
      { name: 'event', eventId: 'evt/1?x' },
    ] as const) {
      expect(parseRoute(routePath(route))).toEqual(route);
    }
  });
});
