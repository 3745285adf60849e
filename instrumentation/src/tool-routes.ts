/**
 * Tool-call boundaries declared in the environment (`TOOLTRACE_TOOL_ROUTES`)
 * instead of in code: a JSON array of routes, each naming where the tool call's
 * fields are read from in the incoming request.
 *
 *   [{ "route": "POST /actions", "type": "run_tool", "toolName": "body.action",
 *      "userId": "header.x-user-id", "parameters": "body.parameters", "integration": "body.integration" }]
 *
 * A source is `body.<path>` (the parsed JSON body, e.g. by `express.json()`), `header.<name>`,
 * `query.<name>` or `params.<name>` (a `:name` segment of the route); `"=text"` is the text itself.
 */
import type { ToolCallType } from '@tooltrace/conventions';

export interface ToolRoute {
  method: string;
  /** Path segments; `:name` segments match any one segment. */
  segments: string[];
  type: ToolCallType;
  toolName?: string;
  userId?: string;
  parameters?: string;
  integration?: string;
}

export class ToolRoutesError extends Error {
  override readonly name = 'ToolRoutesError';
}

const SOURCE = /^(=.*|(body|header|query|params)\.[^\s]+)$/s;
const SOURCE_FIELDS = ['toolName', 'userId', 'parameters', 'integration'] as const;

/** Parses the variable's JSON text; every mistake names the variable, the entry and the field. */
export function parseToolRoutes(text: string, variable = 'TOOLTRACE_TOOL_ROUTES'): ToolRoute[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ToolRoutesError(`${variable} must be a JSON array of routes: ${(error as Error).message}`);
  }
  if (!Array.isArray(raw)) throw new ToolRoutesError(`${variable} must be a JSON array of routes`);
  return raw.map((entry, index) => parseEntry(entry, `${variable}[${index}]`));
}

function parseEntry(entry: unknown, where: string): ToolRoute {
  if (typeof entry !== 'object' || entry === null) throw new ToolRoutesError(`${where} must be an object`);
  const e = entry as Record<string, unknown>;
  const match = typeof e.route === 'string' ? /^([A-Za-z]+)\s+(\/\S*)$/.exec(e.route.trim()) : null;
  if (!match)
    throw new ToolRoutesError(`${where}.route must look like "POST /actions", got ${JSON.stringify(e.route)}`);
  if (e.type !== 'run_tool' && e.type !== 'list_tools') {
    throw new ToolRoutesError(`${where}.type must be "run_tool" or "list_tools", got ${JSON.stringify(e.type)}`);
  }
  const route: ToolRoute = {
    method: match[1]!.toUpperCase(),
    segments: match[2]!.split('/').filter(Boolean),
    type: e.type,
  };
  for (const field of SOURCE_FIELDS) {
    const value = e[field];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !SOURCE.test(value)) {
      throw new ToolRoutesError(
        `${where}.${field} must be body.<path>, header.<name>, query.<name>, params.<name> or "=text", got ${JSON.stringify(value)}`,
      );
    }
    route[field] = value;
  }
  return route;
}

/** The route `method path` falls under, with its `:name` segments. */
export function matchToolRoute(
  routes: readonly ToolRoute[],
  method: string,
  path: string,
): { route: ToolRoute; params: Record<string, string> } | null {
  const segments = path.split('?')[0]!.split('/').filter(Boolean);
  for (const route of routes) {
    if (route.method !== method.toUpperCase() || route.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = route.segments.every((expected, i) => {
      const actual = segments[i]!;
      if (expected.startsWith(':')) {
        params[expected.slice(1)] = safeDecode(actual);
        return true;
      }
      return expected === actual;
    });
    if (matches) return { route, params };
  }
  return null;
}

export interface RequestParts {
  headers: Record<string, string | string[] | undefined>;
  query: URLSearchParams;
  params: Record<string, string>;
  /** The parsed body, when a body parser ran before the value is read. */
  body: unknown;
}

/** The value a source names in the request, or undefined when it is not there (yet). */
export function readSource(source: string, request: RequestParts): unknown {
  if (source.startsWith('=')) return source.slice(1);
  const dot = source.indexOf('.');
  const where = source.slice(0, dot);
  const name = source.slice(dot + 1);
  if (where === 'header') {
    const value = request.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  }
  if (where === 'query') return request.query.get(name) ?? undefined;
  if (where === 'params') return request.params[name];
  let value: unknown = request.body;
  for (const key of name.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
