/**
 * Child process of the benchmark: runs the collector or the query API on its
 * own store connection, so its RSS and CPU are its own and the load
 * generator in the parent does not share its event loop.
 *
 *   node --import tsx bench/server-child.ts <collector|query-api|start> <sqlite file>
 *
 * `start` runs both as `tooltrace start` wires them: the store's writes in a writer thread with its own
 * connection, reads on this thread's (collector with BENCH_DECODE_WORKERS decode workers, default 1; the
 * query API without its rate limit).
 *
 * BENCH_WRITER (`worker`|`inline`) and BENCH_DECODE_WORKERS override those defaults in any mode (the
 * ingest phase runs the collector as `tooltrace start` wires it). BENCH_RETRY_AFTER (seconds) sets the
 * Retry-After of a full write queue (default 1) and BENCH_MAX_RETRY_AFTER the most it grows to while
 * refusals go on (default 8), for A/B runs of the overload phase.
 *
 * With BENCH_STORE=elasticsearch the store is Elasticsearch at ELASTICSEARCH_URL, and the second argument is its
 * resource prefix (bootstrapped by the parent; `es-writer-ab.ts`).
 *
 * With BENCH_FORWARD=on the collector also forwards (outbox `<file>.outbox`) to the
 * destinations the parent stored for the project.
 *
 * Messages: → { type: 'ready', url, rssKb }; ← { type: 'stop' }; → { type: 'stopped', maxRssKb }.
 */
import { openSqliteStore } from '@tooltrace/store';

export type ChildMode = 'collector' | 'query-api' | 'start';

export type ChildMessage =
  | { type: 'ready'; url: string; apiUrl: string | null; rssKb: number }
  | { type: 'stopped'; maxRssKb: number }
  | { type: 'failed'; message: string };

async function main(): Promise<void> {
  const [mode, file] = process.argv.slice(2);
  if ((mode !== 'collector' && mode !== 'query-api' && mode !== 'start') || !file) {
    throw new Error('usage: server-child.ts <collector|query-api|start> <sqlite file | elasticsearch prefix>');
  }
  // The benchmark measures retention on its own; a timer sweep would land at random in the figures.
  const writer =
    (process.env.BENCH_WRITER ?? (mode === 'start' ? 'worker' : 'inline')) === 'worker' ? 'worker' : 'inline';
  const store =
    process.env.BENCH_STORE === 'elasticsearch'
      ? await (await import('@tooltrace/store/elasticsearch')).openElasticsearchStore({
          node: process.env.ELASTICSEARCH_URL as string,
          prefix: file,
          bootstrap: false,
          retentionSweepIntervalMs: 0,
          writer,
        })
      : openSqliteStore({
          path: file,
          retentionSweepIntervalMs: 0,
          writer,
          // An A/B knob: BENCH_CHECKPOINTS=inline checkpoints the WAL in the committing thread, as before.
          ...(process.env.BENCH_CHECKPOINTS === 'inline' ? { backgroundCheckpoints: false } : {}),
        });
  const forwarding =
    mode === 'collector' && process.env.BENCH_FORWARD === 'on'
      ? (await import('@tooltrace/collector')).createForwarding({
          destinations: store.destinations,
          outboxPath: `${file}.outbox`,
          allowPrivate: true,
        })
      : undefined;
  const decodeWorkers = Number(process.env.BENCH_DECODE_WORKERS ?? (mode === 'start' ? 1 : 0));
  // An A/B knob for the overload phase: what a full write queue tells clients (default 1 s).
  const retryAfterSeconds = Number(process.env.BENCH_RETRY_AFTER ?? 0);
  // And the most it grows to while refusals go on (default 8 s; 1 keeps it at 1 s).
  const maxRetryAfterSeconds = Number(process.env.BENCH_MAX_RETRY_AFTER ?? 0);
  const collector =
    mode === 'query-api'
      ? null
      : await (await import('@tooltrace/collector')).startCollector({
          store,
          host: '127.0.0.1',
          port: 0,
          decodeWorkers,
          writeQueue: {
            // As `tooltrace start` wires a writer thread; BENCH_WRITE_CONCURRENCY overrides it (es-writer-ab.ts).
            concurrency: Number(process.env.BENCH_WRITE_CONCURRENCY ?? (writer === 'worker' ? 2 : 1)),
            ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
          },
          ...(maxRetryAfterSeconds ? { maxRetryAfterSeconds } : {}),
          ...(forwarding ? { accepted: forwarding } : {}),
        });
  const api =
    mode === 'collector'
      ? null
      : await (await import('@tooltrace/query-api')).startQueryApi({
          store,
          host: '127.0.0.1',
          port: 0,
          // The per-key limit (1200/min) protects a shared server; the benchmark is deliberately above it.
          rateLimit: false,
        });
  const servers = [collector, api].filter((s) => s !== null);
  const url = (collector ?? api)!.url;
  send({ type: 'ready', url, apiUrl: api?.url ?? null, rssKb: Math.round(process.memoryUsage().rss / 1024) });
  process.on('message', async (message: { type?: string }) => {
    if (message?.type !== 'stop') return;
    for (const server of servers) await server.close();
    // What was accepted goes out before the child ends, so the receiver's count covers the whole run.
    await forwarding?.drain(30_000);
    await forwarding?.shutdown();
    await store.close();
    send({ type: 'stopped', maxRssKb: process.resourceUsage().maxRSS });
    process.disconnect?.();
  });
}

function send(message: ChildMessage): void {
  process.send?.(message);
}

main().catch((error: unknown) => {
  send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
  process.disconnect?.();
});
