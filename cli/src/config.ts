/**
 * Configuration, read once from the environment at start-up (DESIGN §8). A bad
 * value stops the process with a message naming the variable.
 */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65_535);

export const EnvSchema = z.object({
  TOOLTRACE_DATA_DIR: z.string().min(1).default('./data'),
  TOOLTRACE_COLLECTOR_PORT: port.default(4318),
  /** OTLP/gRPC (TraceService, LogsService). */
  TOOLTRACE_GRPC_PORT: port.default(4317),
  TOOLTRACE_API_PORT: port.default(8080),
  TOOLTRACE_HOST: z.string().min(1).default('127.0.0.1'),
  TOOLTRACE_DEMO: z.enum(['on', 'off']).default('on'),
  TOOLTRACE_STORE: z.enum(['sqlite', 'elasticsearch']).default('sqlite'),
  ELASTICSEARCH_URL: z.url().optional(),
  /** Largest OTLP request body accepted, after decompression. */
  TOOLTRACE_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024 * 1024),
  /** Bytes of OTLP request bodies held at once across requests; past it the collector answers 429. */
  /** Worker threads decoding OTLP off the HTTP thread; 0 decodes inline. Default: one per core but one, at least 1, at most 4. */
  TOOLTRACE_DECODE_WORKERS: z.coerce
    .number()
    .int()
    .min(0)
    .max(64)
    .default(Math.max(1, Math.min(4, os.availableParallelism() - 1))),
  /** Query API requests per minute per key (one read key often serves a whole team's dashboards), or `off`. */
  TOOLTRACE_API_RATE_LIMIT: z.union([z.literal('off'), z.coerce.number().int().positive()]).default(1200),
  TOOLTRACE_MAX_INFLIGHT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(256 * 1024 * 1024),
  /** The most an overload 429's Retry-After grows to while the collector keeps refusing (1 keeps it at 1 s). */
  TOOLTRACE_MAX_RETRY_AFTER_SECONDS: z.coerce.number().int().min(1).max(3600).default(8),
  /** `on` lets forwarding destinations reach loopback/private addresses; default: on with the demo, else off. */
  TOOLTRACE_FORWARD_ALLOW_PRIVATE: z.enum(['on', 'off']).optional(),
  /** Bytes queued per forwarding destination before the oldest batches are dropped. */
  TOOLTRACE_FORWARD_MAX_QUEUE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(256 * 1024 * 1024),
  /** Age of the oldest batch kept queued per forwarding destination. */
  TOOLTRACE_FORWARD_MAX_QUEUE_AGE_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(24 * 60 * 60),
  /** What `start` runs: everything in one process, or only the collector or only the query API + UI (on one store). */
  TOOLTRACE_SERVE: z.enum(['all', 'collector', 'api']).default('all'),
  /** Request logs go to stderr; stdout is kept for the lines `start` prints. */
  TOOLTRACE_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('warn'),
});

export interface Config {
  dataDir: string;
  collectorPort: number;
  grpcPort: number;
  apiPort: number;
  host: string;
  demo: boolean;
  store: 'sqlite' | 'elasticsearch';
  elasticsearchUrl: string | undefined;
  maxBodyBytes: number;
  maxInflightBytes: number;
  maxRetryAfterSeconds: number;
  decodeWorkers: number;
  /** Per key per minute; null: no limit. */
  apiRateLimit: number | null;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** What `start` runs (TOOLTRACE_SERVE). */
  serve: 'all' | 'collector' | 'api';
  forwarding: ForwardingConfig;
}

export interface ForwardingConfig {
  /** The outbox file, local to the collector process whatever the store. */
  outboxPath: string;
  allowPrivate: boolean;
  maxQueueBytes: number;
  maxQueueAgeMs: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `${name}=${JSON.stringify(env[name])}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  if (e.TOOLTRACE_STORE === 'elasticsearch' && !e.ELASTICSEARCH_URL) {
    throw new ConfigError('invalid configuration:\n  ELASTICSEARCH_URL is required when TOOLTRACE_STORE=elasticsearch');
  }
  return {
    dataDir: path.resolve(e.TOOLTRACE_DATA_DIR),
    collectorPort: e.TOOLTRACE_COLLECTOR_PORT,
    grpcPort: e.TOOLTRACE_GRPC_PORT,
    apiPort: e.TOOLTRACE_API_PORT,
    host: e.TOOLTRACE_HOST,
    demo: e.TOOLTRACE_DEMO === 'on',
    store: e.TOOLTRACE_STORE,
    elasticsearchUrl: e.ELASTICSEARCH_URL,
    maxBodyBytes: e.TOOLTRACE_MAX_BODY_BYTES,
    maxInflightBytes: e.TOOLTRACE_MAX_INFLIGHT_BYTES,
    maxRetryAfterSeconds: e.TOOLTRACE_MAX_RETRY_AFTER_SECONDS,
    decodeWorkers: e.TOOLTRACE_DECODE_WORKERS,
    apiRateLimit: e.TOOLTRACE_API_RATE_LIMIT === 'off' ? null : e.TOOLTRACE_API_RATE_LIMIT,
    logLevel: e.TOOLTRACE_LOG_LEVEL,
    serve: e.TOOLTRACE_SERVE,
    forwarding: {
      outboxPath: path.join(path.resolve(e.TOOLTRACE_DATA_DIR), 'forwarding-outbox.db'),
      allowPrivate: (e.TOOLTRACE_FORWARD_ALLOW_PRIVATE ?? e.TOOLTRACE_DEMO) === 'on',
      maxQueueBytes: e.TOOLTRACE_FORWARD_MAX_QUEUE_BYTES,
      maxQueueAgeMs: e.TOOLTRACE_FORWARD_MAX_QUEUE_AGE_SECONDS * 1000,
    },
  };
}
