/**
 * One table of routes drives both Express and the OpenAPI document. A route is
 * declared once with its zod schemas; `defineRoute` wraps its handler so every
 * request is validated with a single zod call (query, params, body) and the
 * result is typed; `openapi` on each route describes the same schemas.
 */
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { Project } from '@tooltrace/store';
import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { Caller } from './auth.ts';
import { BadRequestError } from './errors.ts';
import { ErrorResponse, NoQuery } from './schemas.ts';

export type HttpMethod = 'get' | 'put' | 'post' | 'patch' | 'delete';

/** What a handler returns when it has written the response itself (a stream). */
export const STREAMED = Symbol('streamed');

export interface RouteContext {
  req: Request;
  res: Response;
  /** The project of the key; set on every route with `auth`. */
  project: Project;
  /** Who called, with which role; set on every route with `auth`. */
  caller: Caller;
}

/**
 * Which key a route takes: `false` none (public documents), `true` the read or
 * admin key, `'admin'` the admin key only (a read key gets 403 `admin_key_required`).
 */
export type RouteAuth = boolean | 'admin';

interface Documented {
  description: string;
  schema?: z.ZodType;
  contentType?: string;
}

interface RouteSpec<Q extends z.ZodType, P extends z.ZodType, B extends z.ZodType, R extends z.ZodType> {
  method: HttpMethod;
  /** Full OpenAPI-style path, e.g. `/api/v1/tool-calls/{traceId}`. */
  path: string;
  summary: string;
  description?: string;
  auth: RouteAuth;
  query?: Q;
  params?: P;
  body?: B;
  /** The success answer (200); error answers are added for every route. The handler's result must fit its schema. */
  ok: Documented & { schema: R };
  /** Extra success forms of the same route, e.g. the CSV/NDJSON exports. */
  alternatives?: Documented[];
  handle(
    input: { query: z.output<Q>; params: z.output<P>; body: z.output<B> },
    ctx: RouteContext,
  ): Promise<z.input<R> | typeof STREAMED>;
}

export interface ApiRoute {
  method: HttpMethod;
  path: string;
  /** The same path in Express syntax (`:traceId`). */
  expressPath: string;
  auth: RouteAuth;
  handler: RequestHandler;
  openapi: RouteConfig;
}

export function defineRoute<
  Q extends z.ZodType = typeof NoQuery,
  P extends z.ZodType = z.ZodObject,
  B extends z.ZodType = z.ZodUndefined,
  R extends z.ZodType = z.ZodType,
>(spec: RouteSpec<Q, P, B, R>): ApiRoute {
  const input = z.object({
    query: spec.query ?? NoQuery,
    params: spec.params ?? z.object({}),
    body: spec.body ?? z.unknown(),
  });
  const handler: RequestHandler = async (req, res) => {
    const parsed = input.safeParse({ query: queryOf(req), params: req.params, body: req.body });
    if (!parsed.success) throw new BadRequestError(describeIssues(parsed.error.issues), 'invalid_parameter');
    const { query, params, body } = parsed.data as { query: z.output<Q>; params: z.output<P>; body: z.output<B> };
    const result = await spec.handle(
      { query, params, body },
      {
        req,
        res,
        project: res.locals.project as Project,
        caller: res.locals.caller as Caller,
      },
    );
    if (result !== STREAMED) res.json(result);
  };
  return {
    method: spec.method,
    path: spec.path,
    expressPath: spec.path.replace(/\{(\w+)\}/g, ':$1'),
    auth: spec.auth,
    handler,
    openapi: openApiConfig(spec),
  };
}

/**
 * The query string as zod should see it: a parameter given twice is an error
 * (not silently the first or last one), and an empty value (`?userId=`, what a
 * cleared form field sends) means the parameter is absent.
 */
function queryOf(req: Request): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(req.query)) {
    if (Array.isArray(value))
      throw new BadRequestError(`query parameter "${key}": given more than once; give it once`, 'invalid_parameter');
    if (value === '') continue;
    query[key] = value;
  }
  return query;
}

const LOCATIONS: Record<string, string> = { query: 'query parameter', params: 'path parameter', body: 'body field' };

/** Turns zod issues into one message naming each parameter and saying what is allowed. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const [where, ...path] = issue.path.map(String);
      const location = LOCATIONS[where ?? ''] ?? 'request';
      if (issue.code === 'unrecognized_keys') {
        const names = issue.keys.map((key) => `"${key}"`).join(', ');
        return `unknown ${location}${issue.keys.length > 1 ? 's' : ''} ${names}`;
      }
      if (path.length === 0) return where === 'body' ? `request body: ${issue.message}` : issue.message;
      return `${location} "${path.join('.')}": ${issue.message}`;
    })
    .join('; ');
}

function openApiConfig<Q extends z.ZodType, P extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  spec: RouteSpec<Q, P, B, R>,
): RouteConfig {
  const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
  const error = (description: string) => ({ description, ...json(ErrorResponse) });
  const okContent: Record<string, { schema: z.ZodType }> = {};
  for (const form of [spec.ok, ...(spec.alternatives ?? [])]) {
    okContent[form.contentType ?? 'application/json'] = { schema: form.schema ?? z.string() };
  }
  const request: RouteConfig['request'] = {};
  if (spec.query) request.query = spec.query as unknown as z.ZodObject;
  if (spec.params) request.params = spec.params as unknown as z.ZodObject;
  if (spec.body) request.body = { required: true, ...json(spec.body) };
  return {
    method: spec.method,
    path: spec.path,
    operationId: operationIdOf(spec.method, spec.path),
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    security: spec.auth === 'admin' ? [{ adminKey: [] }] : spec.auth ? [{ readKey: [] }, { adminKey: [] }] : [],
    request,
    responses: {
      200: {
        description: [spec.ok, ...(spec.alternatives ?? [])].map((f) => f.description).join('; '),
        content: okContent,
      },
      400: error('a parameter is invalid; the message names it and says what is allowed'),
      ...(spec.auth ? { 401: error('missing, unknown or ingest key') } : {}),
      ...(spec.auth === 'admin'
        ? { 403: error('a read key on a route that needs the admin key (admin_key_required)') }
        : {}),
      ...(spec.path.includes('{') ? { 404: error('no such record in this project') } : {}),
      ...(spec.body ? { 413: error('request body too large') } : {}),
      429: error('rate limit of this key exceeded'),
      500: error('internal error (details are logged, never sent)'),
    },
  };
}

/** `GET /api/v1/tool-calls/{traceId}` → `getToolCallsByTraceId`, stable for generated clients. */
export function operationIdOf(method: string, path: string): string {
  const words = path
    .replace(/^\/api\/v1/, '')
    .split(/[/.-]/)
    .filter(Boolean)
    .map((part) => {
      const param = /^\{(\w+)\}$/.exec(part)?.[1];
      const word = param ? `by${param[0]?.toUpperCase()}${param.slice(1)}` : part;
      return `${word[0]?.toUpperCase()}${word.slice(1)}`;
    });
  return `${method}${words.join('')}`;
}
