/**
 * Forwarding (DESIGN §9): the collector's accepted stage. It tells the decode
 * stage a project's enabled destinations (`targets`), which cuts and encodes
 * each one's body there (./forward-bodies.ts, off the HTTP thread);
 * `onAccepted` commits those bodies to the outbox before the sender of the
 * request gets its 2xx; one loop per destination then sends them on. Also the
 * per-destination status and the "send test" probe.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import {
  ATTR_SERVICE_NAME,
  type DestinationStatus,
  type DestinationTestResult,
  emptyDestinationStatus,
  type ForwardDestination,
  type Logger,
} from '@tooltrace/conventions';
import type { DestinationSettings } from '@tooltrace/store';
import type { Signal } from '../otlp/types.ts';
import type { DecodedRequest } from '../pipeline/stages.ts';
import { type BackoffOptions, DEFAULT_BACKOFF } from './backoff.ts';
import { DestinationLoop } from './destination-loop.ts';
import { type ForwardBody, type ForwardTarget, forwardTargets } from './forward-bodies.ts';
import { encodeForSend, signalPath } from './otlp-encode.ts';
import { type Outbox, type OutboxLimits, openOutbox, stateOf } from './outbox.ts';
import { postOtlp, type SendOutcome } from './sender.ts';
import { startStatusReports } from './status-reports.ts';

export interface ForwardingOptions {
  destinations: Pick<DestinationSettings, 'list' | 'reportStatus'>;
  /** The outbox file (SQLite), e.g. `<data dir>/forwarding-outbox.db`. */
  outboxPath: string;
  /** Let destinations reach loopback/private addresses (TOOLTRACE_FORWARD_ALLOW_PRIVATE). */
  allowPrivate: boolean;
  limits?: Partial<OutboxLimits>;
  backoff?: BackoffOptions;
  /** How long a project's destination list is cached by ingest. Default 2 s. */
  settingsTtlMs?: number;
  lingerMs?: number;
  maxRequestBytes?: number;
  timeoutMs?: number;
  now?: () => number;
  /** How often each destination's status is written to the store (for a query API in another process). Default 5 s; 0: never. */
  statusReportIntervalMs?: number;
  /** Each retry or rejection of a destination, at `warn`. */
  logger?: Logger;
}

export interface Forwarding {
  /** Whether destinations may be on loopback/private addresses (the API checks new endpoints against it). */
  readonly allowPrivate: boolean;
  /** The project's enabled destinations, as the decode stage needs them (cached; `invalidate` refreshes). */
  targets(projectId: string): Promise<ForwardTarget[]>;
  /** The pipeline's stage after a request was stored: its bodies per destination; resolves once in the outbox. */
  onAccepted(projectId: string, signal: Signal, bodies: ForwardBody[]): Promise<void>;
  status(destination: ForwardDestination): DestinationStatus;
  /** Sends one marked span straight to the destination and reports its answer. */
  test(destination: ForwardDestination): Promise<DestinationTestResult>;
  /** Waits until every outbox queue is empty, or `timeoutMs` passed; true when empty. */
  drain(timeoutMs: number): Promise<boolean>;
  /** A project's destinations changed (the API calls this, so ingest does not wait for the cache). */
  invalidate(projectId: string): void;
  shutdown(): Promise<void>;
}

/** Read-only status for another process (`tooltrace forward list` while `start` runs). */
export function readForwardingStatus(
  outboxPath: string,
  destinations: ForwardDestination[],
  now = Date.now(),
): DestinationStatus[] {
  // No outbox yet: nothing was ever forwarded from this data directory.
  if (!fs.existsSync(outboxPath)) return destinations.map((d) => emptyDestinationStatus(d.enabled));
  const outbox = openOutbox(outboxPath, {}, { readonly: true });
  try {
    return destinations.map((d) => statusFrom(outbox, d, now));
  } finally {
    outbox.close();
  }
}

function statusFrom(outbox: Outbox, destination: ForwardDestination, now: number): DestinationStatus {
  const f = outbox.figures(destination.id);
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    state: stateOf(destination.enabled, f),
    spansSent: f.spansSent,
    logsSent: f.logsSent,
    batchesQueued: f.batchesQueued,
    batchesRetried: f.batchesRetried,
    batchesRejected: f.batchesRejected,
    batchesDropped: f.batchesDropped,
    queueBytes: f.queueBytes,
    lagMs: f.oldestEnqueuedAt === null ? 0 : Math.max(0, now - f.oldestEnqueuedAt),
    lastSuccessAt: iso(f.lastSuccessAt),
    lastError: f.lastError ? { ...f.lastError, at: iso(f.lastError.at) as string } : null,
  };
}

const TEST_TIMEOUT_MS = 10_000;

/** One span that says what it is, with fresh IDs, for `forward test`. */
function testRequest(destination: ForwardDestination, nowMs: number): DecodedRequest {
  const nanos = `${BigInt(nowMs) * 1_000_000n}`;
  return {
    signal: 'traces',
    request: {
      resourceSpans: [
        {
          resource: { [ATTR_SERVICE_NAME]: 'tooltrace' },
          scopeSpans: [
            {
              scope: { name: 'tooltrace.forwarding', version: '1' },
              spans: [
                {
                  ref: 'test',
                  traceId: randomBytes(16).toString('hex'),
                  spanId: randomBytes(8).toString('hex'),
                  parentSpanId: '',
                  name: 'tooltrace forwarding test',
                  kind: 1,
                  startTimeUnixNano: nanos,
                  endTimeUnixNano: nanos,
                  traceState: '',
                  flags: 0,
                  links: [],
                  attributes: {
                    'tooltrace.forwarding.test': true,
                    'tooltrace.forwarding.destination': destination.name,
                  },
                  events: [],
                  status: { code: 0, message: '' },
                },
              ],
            },
          ],
        },
      ],
    },
  };
}

/** Sends one marked span straight to `destination` (not through the outbox) and reports its answer. */
export async function testDestination(
  destination: ForwardDestination,
  options: { allowPrivate: boolean; now?: number },
): Promise<DestinationTestResult> {
  const started = performance.now();
  const { body, headers } = encodeForSend(
    testRequest(destination, options.now ?? Date.now()),
    destination.encoding,
    destination.compression,
  );
  const outcome = await postOtlp({
    url: `${destination.endpoint.replace(/\/+$/, '')}${signalPath('traces')}`,
    headers: { ...destination.headers, ...headers },
    body,
    timeoutMs: TEST_TIMEOUT_MS,
    allowPrivate: options.allowPrivate,
  });
  return {
    ok: outcome.kind === 'sent',
    httpStatus: outcome.httpStatus,
    message: outcome.message,
    durationMs: Math.round(performance.now() - started),
  };
}

export function createForwarding(options: ForwardingOptions): Forwarding {
  const now = options.now ?? Date.now;
  const ttl = options.settingsTtlMs ?? 2_000;
  const outbox = openOutbox(options.outboxPath, options.limits);
  const cache = new Map<string, { at: number; list: Promise<ForwardDestination[]> }>();
  const loops = new Map<string, DestinationLoop>();
  /** Projects with a loop here: their status is reported to the store. */
  const projects = new Set<string>();
  let stopped = false;

  const destinationsOf = (projectId: string): Promise<ForwardDestination[]> => {
    const hit = cache.get(projectId);
    if (hit && now() - hit.at < ttl) return hit.list;
    const list = options.destinations.list(projectId);
    cache.set(projectId, { at: now(), list });
    list.catch(() => cache.delete(projectId));
    return list;
  };

  const onFailure = (id: string, outcome: Exclude<SendOutcome, { kind: 'sent' }>) =>
    options.logger?.warn(
      { destinationId: id, outcome: outcome.kind, error: outcome.message },
      `forwarding to destination ${id}: ${outcome.kind === 'retry' ? 'will retry' : 'batch rejected'}`,
    );

  const loopFor = (projectId: string, destinationId: string): DestinationLoop => {
    let loop = loops.get(destinationId);
    if (!loop) {
      loop = new DestinationLoop(destinationId, {
        outbox,
        settings: async () => (await destinationsOf(projectId)).find((d) => d.id === destinationId) ?? null,
        allowPrivate: options.allowPrivate,
        backoff: options.backoff ?? DEFAULT_BACKOFF,
        maxRequestBytes: options.maxRequestBytes ?? 4 * 1024 * 1024,
        maxRequestBatches: 256,
        lingerMs: options.lingerMs ?? 200,
        timeoutMs: options.timeoutMs ?? 10_000,
        now,
        onFailure,
      });
      loops.set(destinationId, loop);
      projects.add(projectId);
    }
    return loop;
  };
  const status = (destination: ForwardDestination) => statusFrom(outbox, destination, now());
  const reports = startStatusReports({
    destinations: options.destinations,
    projects: () => projects,
    destinationsOf,
    status,
    intervalMs: options.statusReportIntervalMs ?? 5_000,
    ...(options.logger ? { logger: options.logger } : {}),
  });

  // Batches left by an earlier run (a crash or a restart) are sent first.
  for (const { projectId, destinationId } of outbox.queued()) loopFor(projectId, destinationId);

  return {
    allowPrivate: options.allowPrivate,
    targets: async (projectId) => forwardTargets(await destinationsOf(projectId)),
    async onAccepted(projectId, signal, bodies) {
      if (stopped) throw new Error('forwarding is shut down');
      outbox.enqueue(
        bodies.map((body) => ({ ...body, projectId, signal })),
        now(),
      );
      for (const body of bodies) loopFor(projectId, body.destinationId).wake();
    },
    status,
    test: (destination) => testDestination(destination, { allowPrivate: options.allowPrivate, now: now() }),
    async drain(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (outbox.queued().length > 0) {
        if (Date.now() >= deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return true;
    },
    invalidate(projectId) {
      cache.delete(projectId);
      for (const loop of loops.values()) loop.wake();
    },
    async shutdown() {
      if (stopped) return;
      stopped = true;
      await Promise.all([...loops.values()].map((loop) => loop.stop()));
      // The last word of this process, while the outbox is still open.
      await reports.close();
      outbox.close();
    },
  };
}
