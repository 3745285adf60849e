/** The Express app: security headers, request logs, rate limit, the route table, the web UI, one error handler. */
import { AuthThrottle, type AuthThrottleOptions, DEFAULT_AUTH_THROTTLE } from '@tooltrace/conventions';
import type { Store } from '@tooltrace/store';
import express, { type Express, type Request, type Response } from 'express';
import helmet from 'helmet';
import { type Logger, pino } from 'pino';
import { pinoHttp } from 'pino-http';
import { requireKey } from './auth.ts';
import { CursorSigner } from './cursor.ts';
import { apiNotFound, errorMiddleware } from './errors.ts';
import { KeySessions } from './key-sessions.ts';
import { DEFAULT_LIVE_FEED_OPTIONS, type LiveFeedOptions, StreamSlots } from './live-feed.ts';
import { DEFAULT_RATE_LIMIT, perKeyRateLimit, type RateLimitOptions } from './rate-limit.ts';
import type { ForwardingControl } from './routes/forwarding.ts';
import { createRoutes } from './routes/index.ts';
import { webUi } from './web-ui.ts';

export interface QueryAppOptions {
  store: Store;
  /** The built web UI (`web/dist`), served at `/` with SPA fallback; omitted = API only. */
  webDistDir?: string;
  /** Signs page cursors; random per process when omitted (cursors then do not survive a restart). */
  cursorSecret?: string;
  /** How often open live feeds and exports re-check their key (rotation ends them); default 2 s. */
  keyCheckMs?: number;
  /** Failed authentications allowed per client address (then 429); default 30 per minute. */
  authThrottle?: AuthThrottleOptions;
  /** Per-key request limit; false turns it off. */
  rateLimit?: RateLimitOptions | false;
  /** Request logs; false for none. Defaults to pino at info level on stdout. */
  logger?: Logger | false;
  /** Largest JSON request body, in bytes. */
  maxBodyBytes?: number;
  liveFeed?: Partial<LiveFeedOptions>;
  /** The collector's forwarding in this process: destination status and the test probe. */
  forwarding?: ForwardingControl;
  /** Clock, for tests of time defaults. */
  now?: () => number;
}

export const DEFAULT_MAX_BODY_BYTES = 16 * 1024;

export function createQueryApp(options: QueryAppOptions): Express {
  const { store } = options;
  const app = express();
  app.disable('x-powered-by');

  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // What a Vite build needs: module scripts from self, React's inline style attributes, data:/blob: images.
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:', 'blob:'],
          'connect-src': ["'self'"],
          // Served over plain HTTP on 127.0.0.1 by default; TLS and HSTS belong to a proxy in front.
          'upgrade-insecure-requests': null,
        },
      },
      strictTransportSecurity: false,
    }),
  );

  if (options.logger !== false) {
    app.use(
      pinoHttp<Request, Response, never>({
        logger: options.logger ?? pino({ name: 'tooltrace-query-api' }),
        // Never log headers: they carry the read key.
        serializers: {
          req: (req: { id: unknown; method: string; url: string }) => ({
            id: req.id,
            method: req.method,
            url: req.url,
          }),
          res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        },
        customLogLevel: (_req, res, error) =>
          error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      }),
    );
  }

  const liveFeed = { ...DEFAULT_LIVE_FEED_OPTIONS, ...options.liveFeed };
  const routes = createRoutes({
    store,
    cursors: new CursorSigner(options.cursorSecret),
    liveFeed,
    streams: new StreamSlots(liveFeed.maxStreamsPerProject),
    sessions: new KeySessions(store, options.keyCheckMs),
    now: options.now ?? Date.now,
    forwarding: options.forwarding,
  });

  app.use('/api', express.json({ limit: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES }));
  if (options.rateLimit !== false) app.use('/api', perKeyRateLimit(options.rateLimit ?? DEFAULT_RATE_LIMIT));
  const throttle = new AuthThrottle(options.authThrottle ?? DEFAULT_AUTH_THROTTLE);
  const reader = requireKey(store, 'read', { throttle });
  for (const route of routes) {
    if (route.auth === 'admin') {
      const admin = requireKey(store, 'admin', { what: `${route.method.toUpperCase()} ${route.path}`, throttle });
      app[route.method](route.expressPath, admin, route.handler);
    } else if (route.auth) app[route.method](route.expressPath, reader, route.handler);
    else app[route.method](route.expressPath, route.handler);
  }
  app.use('/api', apiNotFound);
  if (options.webDistDir) app.use(webUi(options.webDistDir));
  app.use(apiNotFound);
  app.use(errorMiddleware);
  return app;
}
