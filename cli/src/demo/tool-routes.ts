/** The service's tool routes: list the tools of the user's connected integrations and run one against its provider. */
import { ActionKitError, logger, type ToolCallInfo, traceInternalStep } from '@tooltrace/instrumentation';
import { type Request, Router } from 'express';
import { INTEGRATIONS, type Integration, TOOLS, type ToolDefinition, toolByName } from './catalog.ts';
import { providerUrl } from './fake-providers.ts';
import type { ProviderTokens } from './provider-tokens.ts';
import { userIdOf } from './user-header.ts';

const ACTIONS_PATH = /^\/projects\/([^/]+)\/actions\/?$/;

/** What `toolCallMiddleware` records for a request: only the actions endpoint is a tool call. */
export function describeToolCall(req: Request): ToolCallInfo | null {
  if (!ACTIONS_PATH.test(req.path)) return null;
  const userId = userIdOf(req) ?? 'anonymous';
  if (req.method === 'GET') {
    const integrations = requestedIntegrations(req);
    return { type: 'list_tools', userId, ...(integrations.length === 1 ? { integration: integrations[0] } : {}) };
  }
  if (req.method !== 'POST') return null;
  const action = typeof req.body?.action === 'string' ? req.body.action : undefined;
  return {
    type: 'run_tool',
    userId,
    toolName: action,
    integration: action ? toolByName(action)?.integration : undefined,
    parameters: req.body?.parameters ?? {},
  };
}

function requestedIntegrations(req: Request): string[] {
  return String(req.query.integrations ?? '')
    .split(',')
    .filter(Boolean);
}

/** The provider's own error text, whatever shape its error bodies have. */
function providerMessage(body: unknown): string {
  const first = Array.isArray(body) ? body[0] : body;
  if (first && typeof first === 'object') {
    const b = first as { message?: unknown; error?: unknown };
    if (typeof b.message === 'string') return b.message;
    if (typeof b.error === 'string') return b.error;
    if (b.error && typeof b.error === 'object' && typeof (b.error as { message?: unknown }).message === 'string') {
      return (b.error as { message: string }).message;
    }
  }
  return 'unknown provider error';
}

/** Maps a provider's error answer to the ActionKit error the caller gets. */
function toolError(tool: ToolDefinition, status: number, body: unknown, retryAfter: string | null): ActionKitError {
  const err = providerMessage(body);
  const message = `Unable to ${tool.description.toLowerCase()}`;
  if (status === 401) {
    return new ActionKitError(message, { code: 41010, status: 401, details: { err, ECODE: 'OAUTH_027' } });
  }
  if (status === 403) {
    return new ActionKitError(message, { code: 41030, status: 403, details: { err, ECODE: 'SCOPE_004' } });
  }
  if (status === 429) {
    return new ActionKitError(message, {
      code: 41290,
      status: 429,
      details: { err, ECODE: 'RATE_LIMIT', retryAfterSeconds: Number(retryAfter ?? 0) },
    });
  }
  return new ActionKitError(message, { code: 41070, status: 500, details: { err, ECODE: `HTTP_${status}` } });
}

export interface ToolRoutesOptions {
  providers: Record<Integration, string>;
  connections: Record<string, readonly Integration[]>;
  tokens: ProviderTokens;
}

export function toolRoutes({ providers, connections, tokens }: ToolRoutesOptions): Router {
  const callProvider = async (tool: ToolDefinition, userId: string, parameters: Record<string, unknown>) => {
    const url = providerUrl(providers[tool.integration], tool, parameters);
    return fetch(url, {
      method: tool.method,
      headers: {
        authorization: `Bearer ${tokens.tokenOf(tool.integration, userId)}`,
        'content-type': 'application/json',
      },
      ...(tool.method === 'GET' ? {} : { body: JSON.stringify(parameters) }),
    });
  };

  const runTool = async (tool: ToolDefinition, userId: string, parameters: Record<string, unknown>) => {
    let response = await callProvider(tool, userId, parameters);
    let body: unknown = await response.json();
    // Access tokens expire: refresh once and retry before telling the caller the grant is gone.
    if (response.status === 401 && (await tokens.tryRefresh(tool.integration, userId))) {
      response = await callProvider(tool, userId, parameters);
      body = await response.json();
    }
    if (!response.ok) {
      logger.warn(`${tool.name} failed: ${tool.integration} answered HTTP ${response.status}`, {
        'tooltrace.integration': tool.integration,
        'http.response.status_code': response.status,
      });
      throw toolError(tool, response.status, body, response.headers.get('retry-after'));
    }
    return traceInternalStep('map provider response', () => ({ data: body }), { 'gen_ai.tool.name': tool.name });
  };

  const router = Router();

  router.get('/projects/:projectId/actions', async (req, res) => {
    const userId = userIdOf(req) ?? '';
    const requested = requestedIntegrations(req);
    const unknown = requested.filter((name) => !(INTEGRATIONS as readonly string[]).includes(name));
    if (unknown.length > 0) {
      throw new ActionKitError(`Unknown integration: ${unknown.join(', ')}`, { code: 40010, status: 400 });
    }
    const connected = await traceInternalStep('load connected integrations', () => connections[userId] ?? []);
    const visible = requested.length > 0 ? connected.filter((name) => requested.includes(name)) : connected;
    const actions = TOOLS.filter((tool) => visible.includes(tool.integration)).map((tool) => ({
      name: tool.name,
      description: tool.description,
      integration: tool.integration,
    }));
    logger.info(`listed ${actions.length} tools`, { 'user.id': userId });
    res.json({ actions });
  });

  router.post('/projects/:projectId/actions', async (req, res) => {
    const userId = userIdOf(req) ?? '';
    const tool = toolByName(String(req.body?.action ?? ''));
    if (!tool) {
      throw new ActionKitError(`Unknown action ${JSON.stringify(req.body?.action)}`, { code: 40400, status: 404 });
    }
    if (!(connections[userId] ?? []).includes(tool.integration)) {
      throw new ActionKitError(`${tool.integration} is not connected for this user`, { code: 40020, status: 400 });
    }
    const parameters = (req.body?.parameters ?? {}) as Record<string, unknown>;
    res.json(await runTool(tool, userId, parameters));
  });

  return router;
}
