/**
 * Per-key rate limit. Requests are counted per bearer token (hashed, so the
 * limiter's memory holds no keys), or per client address when there is none,
 * before authentication so key guessing is throttled too.
 */
import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { bearerToken } from './auth.ts';
import { RateLimitedError } from './errors.ts';

export interface RateLimitOptions {
  /** Requests allowed per key per window. */
  limit: number;
  windowMs: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { limit: 1200, windowMs: 60_000 };

export function perKeyRateLimit(options: RateLimitOptions): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => {
      const token = bearerToken(req);
      if (token) return `key:${createHash('sha256').update(token).digest('base64url')}`;
      return `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
    },
    handler: (_req, _res, next, used) => {
      next(
        new RateLimitedError(
          `rate limit exceeded: at most ${used.limit} requests per ${Math.round(used.windowMs / 1000)} s per key; retry after the Retry-After header's seconds`,
        ),
      );
    },
  });
}
