export { createQueryApp, DEFAULT_MAX_BODY_BYTES, type QueryAppOptions } from './app.ts';
export { CursorSigner } from './cursor.ts';
export type { LiveFeedOptions } from './live-feed.ts';
export { buildOpenApiDocument } from './openapi.ts';
export type { RateLimitOptions } from './rate-limit.ts';
export type { ForwardingControl } from './routes/forwarding.ts';
export { createRoutes } from './routes/index.ts';
export * as schemas from './schemas.ts';
export { type QueryApiOptions, type RunningQueryApi, startQueryApi } from './server.ts';
