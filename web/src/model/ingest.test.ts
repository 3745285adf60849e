import type { ProjectIngest } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import {
  arrivalSummary,
  logsWithoutTrace,
  newestSampleTrace,
  rejectionRows,
  sampleLabel,
  windowForRange,
} from './ingest.ts';

const CHECKOUT_TRACE = 'c'.repeat(32);
const SEARCH_TRACE = '5e'.repeat(16);
const OLDER_SEARCH_TRACE = 'a'.repeat(32);
const empty = { totals: { accepted: 0, rejected: 0, throttled: 0 }, byReason: [], bySender: [] };
const ingest: ProjectIngest = {
  last24h: {
    totals: { accepted: 139_460, rejected: 3, throttled: 1 },
    byReason: [
      { reason: 'log_without_trace', count: 2 },
      { reason: 'overloaded', count: 1 },
    ],
    bySender: [
      {
        serviceName: 'checkout',
        accepted: 100_000,
        rejected: 2,
        throttled: 0,
        sampleTraces: [{ traceId: CHECKOUT_TRACE, name: 'GET /orders', at: '2026-11-30T19:00:00.000Z' }],
      },
      {
        serviceName: 'search',
        accepted: 39_000,
        rejected: 0,
        throttled: 0,
        sampleTraces: [
          { traceId: SEARCH_TRACE, name: null, at: '2026-11-30T20:30:00.000Z' },
          { traceId: OLDER_SEARCH_TRACE, name: 'GET /q', at: '2026-11-30T18:00:00.000Z' },
        ],
      },
      { serviceName: 'mailer', accepted: 460, rejected: 0, throttled: 0, sampleTraces: [] },
      { serviceName: '(refused before decoding)', accepted: 0, rejected: 0, throttled: 1, sampleTraces: [] },
    ],
  },
  last7d: empty,
  lastRejections: [
    { reason: 'overloaded', message: 'collector busy', at: '2026-11-30T20:00:00.000Z' },
    { reason: 'log_without_trace', message: 'logRecords[0].traceId: missing', at: '2026-11-30T19:00:00.000Z' },
  ],
};

describe('ingest view', () => {
  it('when spans arrived but none is a tool call, then the empty list says how many, from how many services', () => {
    expect(arrivalSummary(ingest, 'last24h', 'a tool call')).toBe(
      '139,460 spans and log records from 3 services arrived in the last 24 hours; none is a tool call.',
    );
    expect(arrivalSummary(ingest, 'last7d', 'a tool call')).toBeNull();
  });

  it('when senders kept sample traces, then the empty states link the newest of all, and a nameless one reads as its ID', () => {
    const newest = newestSampleTrace(ingest, 'last24h');
    expect(newest).toEqual({
      traceId: SEARCH_TRACE,
      name: null,
      at: '2026-11-30T20:30:00.000Z',
      serviceName: 'search',
    });
    expect(sampleLabel(newest!)).toBe('trace 5e5e5e5e…');
    expect(sampleLabel({ traceId: CHECKOUT_TRACE, name: 'GET /orders' })).toBe('GET /orders');
    expect(newestSampleTrace(ingest, 'last7d')).toBeNull();
  });

  it('when rejections are listed, then each kind carries its label and its newest message', () => {
    expect(rejectionRows(ingest, 'last24h')).toEqual([
      {
        reason: 'log_without_trace',
        label: 'Log record without a trace ID',
        count: 2,
        lastMessage: 'logRecords[0].traceId: missing',
        lastAt: '2026-11-30T19:00:00.000Z',
      },
      {
        reason: 'overloaded',
        label: 'Throttled: collector busy',
        count: 1,
        lastMessage: 'collector busy',
        lastAt: '2026-11-30T20:00:00.000Z',
      },
    ]);
    expect(logsWithoutTrace(ingest, 'last24h')).toBe(2);
    expect(logsWithoutTrace(ingest, 'last7d')).toBe(0);
  });

  it('when a list covers a day or less, then the 24-hour window describes it, and the 7-day one otherwise', () => {
    expect(windowForRange({ preset: '1h' })).toBe('last24h');
    expect(windowForRange({ preset: '24h' })).toBe('last24h');
    expect(windowForRange({ preset: '7d' })).toBe('last7d');
    expect(windowForRange({ preset: '30d' })).toBe('last7d');
  });
});
