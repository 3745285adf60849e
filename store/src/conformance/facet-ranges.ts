/**
 * Facets over a time range equal the exact answer, whatever a backend keeps
 * to answer them (SQLite: counts per UTC day plus a scan of the partial days
 * at the edges). Ranges fall on day boundaries, inside one day, across
 * several days with partial edges, and open on one side; records sit on and
 * next to the boundaries. The exact answer for tool calls is counted here from
 * the facts written; for trigger events (whose status and users the store
 * derives) from the store's own list of the records in the range.
 */
import type { ToolCallFact } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import type {
  FacetValue,
  TimeRange,
  ToolCallFacets,
  ToolCallFilters,
  TriggerEventFacets,
  TriggerEventFilters,
} from '../store.ts';
import type { ConformanceContext } from './context.ts';
import {
  attempt,
  batch,
  DAY,
  HOUR,
  toolCall,
  toolCallTrace,
  triggerChild,
  triggerRoot,
  triggerTrace,
} from './fixtures.ts';

const INTEGRATIONS = ['slack', 'github', 'notion'];
const USERS = ['alice', 'bob', 'carol', null];
/** Offsets inside a day: on the boundary, just after it, inside, just before the next one. */
const OFFSETS = [0, 1, 5 * HOUR, 12 * HOUR, DAY - 1];

/** Most frequent first, ties by value: the order every backend returns. */
function ranked(values: (string | null)[]): FacetValue[] {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

const inRange = (ms: number, r: TimeRange) =>
  (r.from === undefined || ms >= r.from) && (r.to === undefined || ms < r.to);

/** The exact tool-call facets of `calls` (their stored state) under `f`, each facet ignoring its own filter. */
function exactToolCallFacets(calls: readonly ToolCallFact[], f: ToolCallFilters): ToolCallFacets {
  const own = { integration: 'integration', toolName: 'toolName', userId: 'userId', status: 'status', type: 'type' };
  const kept = (omit: keyof typeof own) =>
    calls.filter(
      (c) =>
        inRange(c.startedAtMs, f) &&
        (Object.keys(own) as (keyof typeof own)[]).every((k) => k === omit || f[k] === undefined || c[k] === f[k]),
    );
  return {
    integrations: ranked(kept('integration').map((c) => c.integration)),
    toolNames: ranked(kept('toolName').map((c) => c.toolName)),
    userIds: ranked(kept('userId').map((c) => c.userId)),
    statuses: ranked(kept('status').map((c) => c.status)),
    types: ranked(kept('type').map((c) => c.type)),
  };
}

export function facetRangesConformance(ctx: ConformanceContext): void {
  /** Start of today (UTC); every record is written in the past. */
  const today = () => ctx.now - (ctx.now % DAY);

  /** The range cases, relative to the start of today. */
  const ranges = (): [string, TimeRange][] => {
    const d = today();
    return [
      ['partial days at both edges', { from: d - 4 * DAY + 5 * HOUR, to: d - DAY + 5 * HOUR }],
      ['whole days, on the boundaries', { from: d - 4 * DAY, to: d - DAY }],
      ['one boundary off by a millisecond', { from: d - 4 * DAY + 1, to: d - DAY - 1 }],
      ['inside one day', { from: d - 3 * DAY + 1, to: d - 3 * DAY + 12 * HOUR + 1 }],
      ['across one boundary, no whole day', { from: d - 3 * DAY + 12 * HOUR, to: d - 2 * DAY + 5 * HOUR }],
      ['open end', { from: d - 3 * DAY + 12 * HOUR }],
      ['open start', { to: d - 2 * DAY + 1 }],
      ['the last 30 days, as the UI asks', { from: ctx.now - 30 * DAY, to: ctx.now }],
    ];
  };

  async function writeCallsAcrossDays(pid: string): Promise<ToolCallFact[]> {
    const calls: ToolCallFact[] = [];
    let i = 0;
    for (let back = 5; back >= 1; back--) {
      for (const offset of OFFSETS) {
        calls.push(
          toolCall({
            at: today() - back * DAY + offset,
            integration: INTEGRATIONS[i % 3]!,
            toolName: `TOOL_${i % 4}`,
            userId: USERS[i % 4] ?? null,
            status: i % 5 === 0 ? 'error' : 'success',
            type: i % 7 === 0 ? 'list_tools' : 'run_tool',
          }),
        );
        i++;
      }
    }
    await ctx.store.write(pid, batch({ toolCalls: calls }));
    return calls;
  }

  describe('facets over a time range', () => {
    it('tool calls: every range equals the exact count, with its own filter ignored and other filters applied', async () => {
      const pid = await ctx.project();
      const calls = await writeCallsAcrossDays(pid);
      for (const [name, range] of ranges()) {
        for (const filters of [
          range,
          { ...range, integration: 'slack' },
          { ...range, userId: 'alice', status: 'success' as const },
        ]) {
          const got = await ctx.store.toolCallFacets(pid, filters);
          expect(got, `${name} ${JSON.stringify(filters)}`).toEqual(exactToolCallFacets(calls, filters));
        }
      }
      // Spot check against literal figures: 5 days × 5 calls, the partial-edge range keeps 3 of day −4
      // (5 h, 12 h, end of day), days −3 and −2 whole, and 2 of day −1 (the boundary and 1 ms after it).
      const [, edges] = ranges()[0]!;
      const total = (await ctx.store.toolCallFacets(pid, edges)).types.reduce((n, t) => n + t.count, 0);
      expect(total).toBe(3 + 5 + 5 + 2);
    });

    it('tool calls: a re-sent call that moves to another day and value is counted where it is now', async () => {
      const pid = await ctx.project();
      const calls = await writeCallsAcrossDays(pid);
      const moved = {
        ...calls[calls.length - 1]!,
        startedAtMs: today() - 4 * DAY + 12 * HOUR + 7,
        integration: 'jira',
      };
      await ctx.store.write(pid, batch({ toolCalls: [moved] }));
      const now = calls.map((c) => (c.spanId === moved.spanId ? moved : c));
      for (const [name, range] of ranges()) {
        expect(await ctx.store.toolCallFacets(pid, range), name).toEqual(exactToolCallFacets(now, range));
      }
      expect((await ctx.store.toolCallFacets(pid, {})).integrations).toContainEqual({ value: 'jira', count: 1 });
    });

    it('tool calls: after retention deletes the oldest days, ranges count only what is left', async () => {
      const pid = await ctx.project('trial'); // 7 days
      const traces = [1, 2, 3, 5, 6, 8, 9].map((back, i) =>
        toolCallTrace({ at: ctx.now - back * DAY - HOUR, integration: INTEGRATIONS[i % 3]!, userId: `u${i % 2}` }, 1),
      );
      for (const t of traces) await ctx.store.write(pid, t.batch);
      await ctx.store.enforceRetention(pid, ctx.now);
      const left = traces.slice(0, 5).map((t) => t.call);
      const range = { from: ctx.now - 10 * DAY, to: ctx.now };
      expect(await ctx.store.toolCallFacets(pid, range)).toEqual(exactToolCallFacets(left, range));
      const gone = await ctx.store.toolCallFacets(pid, { from: ctx.now - 10 * DAY, to: ctx.now - 7 * DAY });
      expect(gone).toEqual({ integrations: [], toolNames: [], userIds: [], statuses: [], types: [] });
      for (const [name, r] of ranges()) {
        expect(await ctx.store.toolCallFacets(pid, r), name).toEqual(exactToolCallFacets(left, r));
      }
    });

    it('trigger events: ranges equal the counts of the listed events, users from roots and deliveries', async () => {
      const pid = await ctx.project('trial');
      let i = 0;
      for (let back = 9; back >= 1; back--) {
        for (const offset of back % 2 ? OFFSETS : OFFSETS.slice(1, 3)) {
          const e = triggerTrace({
            at: today() - back * DAY + offset,
            integration: INTEGRATIONS[i % 3]!,
            triggerName: `TRG_${i % 3}`,
            userId: USERS[i % 4] ?? null,
            type: i % 4 === 0 ? 'subscription' : 'event',
            failed: i % 6 === 0,
            deliveries: i % 3,
          });
          if (i % 5 === 0) {
            const at = today() - back * DAY + offset + 1;
            e.batch.deliveryAttempts.push(attempt({ traceId: e.traceId, deliveryId: `d${i}`, at, userId: 'dave' }));
          }
          await ctx.store.write(pid, e.batch);
          i++;
        }
      }
      // A root that arrives after its children moves the event back to the root's day (two days earlier).
      const late = triggerChild({ traceId: 'f'.repeat(32), at: today() - DAY + 2 * HOUR });
      await ctx.store.write(pid, batch({ triggers: [late] }));
      const root = triggerRoot({ traceId: late.traceId, at: today() - 3 * DAY + 2 * HOUR, userId: 'erin' });
      await ctx.store.write(pid, batch({ triggers: [root] }));

      const check = async (label: string) => {
        for (const [name, range] of ranges()) {
          for (const filters of [range, { ...range, userId: 'alice' }, { ...range, integration: 'github' }]) {
            expect(
              await ctx.store.triggerEventFacets(pid, filters),
              `${label}: ${name} ${JSON.stringify(filters)}`,
            ).toEqual(await exactTriggerEventFacets(ctx, pid, filters));
          }
        }
      };
      await check('as written');
      const erin = await ctx.store.triggerEventFacets(pid, { from: today() - 3 * DAY, to: today() - 2 * DAY });
      expect(erin.userIds).toContainEqual({ value: 'erin', count: 1 });
      await ctx.store.enforceRetention(pid, ctx.now);
      expect((await ctx.store.triggerEventFacets(pid, { to: ctx.now - 7 * DAY - HOUR })).integrations).toEqual([]);
      await check('after retention');
    });
  });
}

/** Every trigger event in the store matching `f` but `omit`, by paging its list. */
async function listEvents(ctx: ConformanceContext, pid: string, f: TriggerEventFilters) {
  const events = [];
  let cursor: string | undefined;
  do {
    const page = await ctx.store.listTriggerEvents(pid, f, { limit: 500, ...(cursor ? { cursor } : {}) });
    events.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return events;
}

async function exactTriggerEventFacets(
  ctx: ConformanceContext,
  pid: string,
  f: TriggerEventFilters,
): Promise<TriggerEventFacets> {
  const without = (key: keyof TriggerEventFilters) => listEvents(ctx, pid, { ...f, [key]: undefined });
  return {
    integrations: ranked((await without('integration')).map((e) => e.integration)),
    triggerNames: ranked((await without('triggerName')).map((e) => e.triggerName)),
    userIds: ranked((await without('userId')).flatMap((e) => e.userIds)),
    statuses: ranked((await without('status')).map((e) => e.status)),
    types: ranked((await without('type')).map((e) => e.type)),
  };
}
