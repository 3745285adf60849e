/**
 * The collector's Express app: OTLP/HTTP `POST /v1/traces` and `/v1/logs`
 * (protobuf or JSON; gzip, deflate, br or zstd), `GET /health`. Routes stay
 * thin: check the key and media type, read the body (size-limited after
 * decompression), hand it to the pipeline, translate its outcome into the
 * OTLP answer, and log one line per request.
 */
import {
  AuthThrottle,
  type AuthThrottleOptions,
  DEFAULT_AUTH_THROTTLE,
  errorFields,
  type Logger,
  silentLogger,
} from '@tooltrace/conventions';
import type { Store } from '@tooltrace/store';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { MappingLimits } from '../mapping/options.ts';
import type { OtlpEncoding, Signal } from '../otlp/types.ts';
import { type Admission, createAdmission } from '../pipeline/admission.ts';
import { type DecodeMapStage, inlineDecodeMap, workerDecodeMap } from '../pipeline/decode-map-stage.ts';
import { DEFAULT_MAX_INFLIGHT_BYTES } from '../pipeline/inflight-bytes.ts';
import { createIngestPipeline, type IngestPipeline, type ItemCounts } from '../pipeline/ingest-pipeline.ts';
import { createIngestRecorder, type IngestRecorder } from '../pipeline/ingest-recorder.ts';
import { createProjectLimits } from '../pipeline/project-limits.ts';
import { type IngestRequestRecord, logIngestRequest } from '../pipeline/request-log.ts';
import type { AcceptedStage } from '../pipeline/stages.ts';
import { createWriteQueue, type WriteQueue, type WriteQueueOptions } from '../pipeline/write-queue.ts';
import { cachedRedactionRules, RedactionStats } from '../redaction/index.ts';
import { authenticateIngest, headerSource } from './auth.ts';
import { CONTENT_TYPE_OF, encodingOf, SUPPORTED_CONTENT_TYPES } from './content-type.ts';
import { CollectorHttpError, httpErrors, refusalError } from './http-error.ts';
import { outcomeError } from './outcome-error.ts';
import { readBody, tooLarge } from './read-body.ts';
import { sendError, sendExportResponse } from './respond.ts';

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

/** The answer for metrics, over HTTP and gRPC alike. */
export const METRICS_REFUSAL =
  'tooltrace takes traces and logs, not metrics: send traces to /v1/traces and logs to /v1/logs, and metrics to another backend';

export interface CollectorAppOptions {
  store: Pick<Store, 'write' | 'authenticate' | 'getProject' | 'getRedactionRules' | 'ingestStatus'>;
  /** Largest request body accepted, counted after decompression. Default 64 MiB. */
  maxBodyBytes?: number;
  /** What runs after a request was stored: forwarding (`createForwarding`). The caller owns its lifetime. */
  accepted?: AcceptedStage;
  /** Truncation limits of stored attribute values and bodies. */
  mapping?: Partial<MappingLimits>;
  /** Failed authentications allowed per client address (then 429 + Retry-After); default 30 per minute. */
  authThrottle?: AuthThrottleOptions;
  /** Worker threads that decode and map requests off the HTTP thread; 0 (default) decodes inline. */
  decodeWorkers?: number;
  /** The decode stage itself (tests give one with a worker module that crashes); overrides `decodeWorkers`. */
  decodeMap?: DecodeMapStage;
  /** Bytes of request bodies held at once, across requests (back-pressure). Default 256 MiB. */
  maxInflightBytes?: number;
  /** The most an overload refusal's Retry-After grows to while refusals go on (back-pressure). Default 8 s. */
  maxRetryAfterSeconds?: number;
  /** Bounds of the write queue (back-pressure). */
  writeQueue?: WriteQueueOptions;
  /** Clock for items that carry no time. Default Date.now. */
  now?: () => number;
  /** How often the ingest status counted in memory is written to the store. Default 5 s. */
  ingestStatusIntervalMs?: number;
  /** One line per OTLP request, and unexpected failures. Default: silent. */
  logger?: Logger;
}

export interface CollectorParts {
  app: express.Express;
  writeQueue: WriteQueue;
  admission: Admission;
  pipeline: IngestPipeline;
  /** What another receiver (OTLP/gRPC) in front of the same pipeline shares. */
  logger: Logger;
  /** Logs one OTLP request and counts it in the project's ingest status. */
  report: (record: IngestRequestRecord) => void;
  /** Owned by the caller of buildCollector: `close()` it after the receivers stopped. */
  recorder: IngestRecorder;
  maxBodyBytes: number;
  authThrottle: AuthThrottle;
  /** Closed by the caller after the write queue drained (workers stop). */
  decodeMap: DecodeMapStage;
}

interface Locals {
  encoding: OtlpEncoding | null;
  projectId: string | null;
  body: Buffer;
  items: ItemCounts | null;
  error: string | null;
}

function locals(res: Response): Locals {
  return res.locals as Locals;
}

export function buildCollector(options: CollectorAppOptions): CollectorParts {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const logger = options.logger ?? silentLogger;
  const writeQueue = createWriteQueue(options.store, options.writeQueue);
  const redaction = new RedactionStats();
  const workers = options.decodeWorkers ?? 0;
  const decodeMap =
    options.decodeMap ??
    (workers > 0 ? workerDecodeMap(options.mapping ?? {}, workers) : inlineDecodeMap(options.mapping));
  const pipeline = createIngestPipeline({
    decodeMap,
    rules: cachedRedactionRules(options.store),
    redactionStats: redaction,
    writer: writeQueue,
    ...(options.accepted ? { accepted: options.accepted } : {}),
    limits: createProjectLimits(options.store),
    now: options.now ?? Date.now,
  });
  const authThrottle = new AuthThrottle(options.authThrottle ?? DEFAULT_AUTH_THROTTLE);
  const admission = createAdmission(writeQueue, {
    maxInflightBytes: options.maxInflightBytes ?? DEFAULT_MAX_INFLIGHT_BYTES,
    ...(options.maxRetryAfterSeconds !== undefined ? { maxRetryAfterSeconds: options.maxRetryAfterSeconds } : {}),
    now: options.now ?? Date.now,
  });

  const recorder = createIngestRecorder(options.store, {
    now: options.now ?? Date.now,
    logger,
    flushIntervalMs: options.ingestStatusIntervalMs,
  });
  const report = (record: IngestRequestRecord) => {
    logIngestRequest(logger, record);
    recorder.observe(record);
  };

  const logRequest = (signal: Signal) => (req: Request, res: Response, next: NextFunction) => {
    const startedAt = performance.now();
    Object.assign(locals(res), { encoding: null, projectId: null, items: null, error: null });
    res.once('finish', () => {
      const { encoding, projectId, items, error } = locals(res);
      report({
        protocol: 'http',
        signal,
        projectId,
        encoding,
        compression: String(req.headers['content-encoding'] ?? 'identity'),
        status: res.statusCode,
        httpStatus: res.statusCode,
        ok: res.statusCode < 300,
        serverError: res.statusCode >= 500 && res.statusCode !== 501,
        items,
        error,
        durationMs: performance.now() - startedAt,
      });
    });
    next();
  };

  const admit = async (req: Request, res: Response, next: NextFunction) => {
    const encoding = encodingOf(req);
    locals(res).encoding = encoding;
    locals(res).projectId = await authenticateIngest(options.store, headerSource(req.headers), {
      address: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      throttle: authThrottle,
    });
    if (!encoding) {
      const given = req.headers['content-type'] ?? 'none';
      throw httpErrors.unsupportedMediaType(
        `unsupported Content-Type ${JSON.stringify(given)}: OTLP/HTTP takes ${SUPPORTED_CONTENT_TYPES}`,
      );
    }
    // Everything up to here, and the refusals below, happen before a byte of the body is read.
    const declared = Number(req.headers['content-length'] ?? 0) || 0;
    if (!req.headers['content-encoding'] && declared > maxBodyBytes) throw tooLarge(maxBodyBytes);
    const admitted = admission.admit(declared);
    if (admitted.kind !== 'admitted') throw refusalError(admitted);
    res.once('close', () => admitted.reservation.release());
    locals(res).body = await readBody(req, {
      maxBodyBytes,
      reservation: admitted.reservation,
      overBound: () => refusalError(admission.refuseGrowth()),
    });
    next();
  };

  const ingest = (signal: Signal) => async (_req: Request, res: Response) => {
    const { encoding, body } = locals(res);
    const projectId = locals(res).projectId!;
    const outcome = await pipeline.ingest(projectId, {
      signal,
      encoding: encoding!,
      contentType: CONTENT_TYPE_OF[encoding!],
      body,
    });
    if (outcome.kind !== 'invalid') locals(res).items = outcome.items ?? null;
    if (outcome.kind !== 'accepted') throw outcomeError(outcome, projectId, logger);
    sendExportResponse(res, signal, encoding!, outcome.partialSuccess);
  };

  const app = express();
  app.disable('x-powered-by');
  app.get('/health', (_req, res) => {
    const queue = writeQueue.stats();
    const { inflight, refused, lastOverloadRetryAfterSeconds } = admission.stats();
    const total = queue.refused + refused.storeUnavailable + refused.writeQueueFull + refused.inflightBytes;
    res.json({
      status: 'ok',
      writeQueue: queue,
      inflight,
      refused: { total, ...refused, afterReading: queue.refused, lastOverloadRetryAfterSeconds },
      redaction: redaction.snapshot(),
      decodeWorkers: decodeMap.stats(),
    });
  });
  for (const signal of ['traces', 'logs'] as const) {
    app.post(`/v1/${signal}`, logRequest(signal), admit, ingest(signal));
    app.all(`/v1/${signal}`, (_req, res) => {
      res.set('Allow', 'POST');
      throw httpErrors.methodNotAllowed(`/v1/${signal} takes POST`);
    });
  }
  app.all('/v1/metrics', () => {
    throw httpErrors.notImplemented(METRICS_REFUSAL);
  });
  app.use((req: Request) => {
    throw httpErrors.notFound(
      `no route ${req.method} ${req.path}: the collector serves POST /v1/traces, POST /v1/logs and GET /health`,
    );
  });
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    const known = error instanceof CollectorHttpError ? error : null;
    if (!known) logger.error({ ...errorFields(error), path: req.path }, 'unexpected error in the OTLP/HTTP receiver');
    const answer = known ?? httpErrors.internal('unexpected error; nothing of this request was stored');
    locals(res).error = answer.message;
    // Answer in the request's encoding even where the route never got to read it (404, 401, 415 on the encoding).
    sendError(res, answer, locals(res).encoding ?? encodingOf(req));
  });
  return { app, writeQueue, admission, pipeline, decodeMap, logger, maxBodyBytes, authThrottle, report, recorder };
}

/** The collector as an Express app (for mounting or for tests with supertest-like clients). */
export function createCollectorApp(options: CollectorAppOptions): express.Express {
  return buildCollector(options).app;
}
