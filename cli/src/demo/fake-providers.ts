/**
 * Local stand-ins for the third-party APIs (Slack, Salesforce, HubSpot, Google
 * Drive, GitHub) that cannot be reached from here: small Express servers that
 * answer the catalog's API paths like the real ones do, including their error
 * bodies, and that can create webhooks, report changes for polling, and send
 * webhook events. Which users fail how is decided up front by the scenario.
 */
import express, { type Request, type Response } from 'express';
import { fillPath, type Integration, TOOLS, type ToolDefinition } from './catalog.ts';
import { type LocalServer, listenLocal } from './listen.ts';

export interface ProviderConditions {
  /** OAuth grant revoked: every call answers 401. */
  revokedUsers?: readonly string[];
  /** Token lacks write scopes: writes and webhook creation answer 403. */
  readOnlyUsers?: readonly string[];
  /** Over the provider's rate limit: 429 with Retry-After. */
  rateLimitedUsers?: readonly string[];
  /** Access token expired: 401 until the token is refreshed at /oauth/token. */
  expiredTokenUsers?: readonly string[];
  /** Resources (matched against the request path) the provider fails on with 500. */
  brokenPaths?: RegExp;
  /** Webhook creation fails with 500 this many times before it works. */
  webhookCreateFailuresBeforeSuccess?: number;
}

export type ProviderRecord = Record<string, unknown> & { id: string };

export interface FakeProvider extends LocalServer {
  integration: Integration;
  /** Makes records show up at the next poll of `/changes`. */
  addChanges(accountId: string, changes: { created: ProviderRecord[]; updated: ProviderRecord[] }): void;
  /** Sends an event to every webhook registered for `accountId`; resolves to the receivers' HTTP statuses. */
  emitWebhookEvent(accountId: string, event: Record<string, unknown>): Promise<number[]>;
}

/** The OAuth access token the demo platform holds for a user (and after a refresh). */
export function accessTokenOf(integration: Integration, userId: string, refreshed = false): string {
  return `${integration}-oauth-${userId}${refreshed ? '-refreshed' : ''}`;
}

type ErrorKind = 'unauthorized' | 'forbidden' | 'rate_limited' | 'server_error';

const ERROR_STATUS: Record<ErrorKind, number> = {
  unauthorized: 401,
  forbidden: 403,
  rate_limited: 429,
  server_error: 500,
};

/** Each provider's own shape of error bodies, as their APIs return them. */
const ERROR_BODIES: Record<Integration, Record<ErrorKind, unknown>> = {
  slack: {
    unauthorized: { ok: false, error: 'token_revoked' },
    forbidden: { ok: false, error: 'missing_scope', needed: 'chat:write', provided: 'channels:read,search:read' },
    rate_limited: { ok: false, error: 'ratelimited' },
    server_error: { ok: false, error: 'internal_error' },
  },
  salesforce: {
    unauthorized: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }],
    forbidden: [{ message: 'insufficient access rights on object id', errorCode: 'INSUFFICIENT_ACCESS' }],
    rate_limited: [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
    server_error: [
      {
        message: 'An unexpected error occurred. Please include this ErrorId: 1482936-51212',
        errorCode: 'UNKNOWN_EXCEPTION',
      },
    ],
  },
  hubspot: {
    unauthorized: {
      status: 'error',
      message: 'Authentication credentials not found.',
      category: 'INVALID_AUTHENTICATION',
    },
    forbidden: {
      status: 'error',
      message: "This app hasn't been granted all required scopes to make this call.",
      category: 'MISSING_SCOPES',
      errors: [{ context: { requiredGranularScopes: ['crm.objects.contacts.write'] } }],
    },
    rate_limited: { status: 'error', message: 'You have reached your secondly limit.', category: 'RATE_LIMITS' },
    server_error: { status: 'error', message: 'internal error', category: 'INTERNAL_ERROR' },
  },
  googledrive: {
    unauthorized: {
      error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' },
    },
    forbidden: {
      error: { code: 403, message: 'Request had insufficient authentication scopes.', status: 'PERMISSION_DENIED' },
    },
    rate_limited: {
      error: { code: 429, message: 'Quota exceeded for quota metric Queries.', status: 'RESOURCE_EXHAUSTED' },
    },
    server_error: { error: { code: 500, message: 'Internal Error', status: 'INTERNAL' } },
  },
  github: {
    unauthorized: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' },
    forbidden: { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' },
    rate_limited: {
      message: 'API rate limit exceeded for user ID 4821.',
      documentation_url: 'https://docs.github.com/rest',
    },
    server_error: { message: 'Server Error' },
  },
};

function successBody(tool: ToolDefinition, req: Request): unknown {
  const input = { ...req.query, ...(typeof req.body === 'object' && req.body ? req.body : {}), ...req.params };
  switch (tool.name) {
    case 'SLACK_LIST_CHANNELS':
      return {
        ok: true,
        channels: [
          { id: 'C024BE91L', name: 'general' },
          { id: 'C07Q2MRV3', name: 'deals' },
        ],
      };
    case 'SLACK_SEND_MESSAGE':
      return { ok: true, channel: input.channel, ts: '1732791000.000200', message: { text: input.text } };
    case 'SLACK_SEARCH_MESSAGES':
      return { ok: true, messages: { total: 2, matches: [{ ts: '1732700000.000100', text: 'renewal next week' }] } };
    case 'SALESFORCE_CREATE_RECORD':
      return { id: '0015g00000XyZ1AAK', success: true, errors: [] };
    case 'SALESFORCE_QUERY':
      return { totalSize: 1, done: true, records: [{ Id: '0065g00000Opp1AAA', Name: 'Acme renewal', Amount: 48000 }] };
    case 'HUBSPOT_CREATE_CONTACT':
      return { id: '51', properties: input.properties ?? {}, createdAt: '2026-11-28T09:00:00Z' };
    case 'HUBSPOT_SEARCH_CONTACTS':
      return { total: 1, results: [{ id: '51', properties: { email: 'lena@northwind.test' } }] };
    case 'GOOGLE_DRIVE_LIST_FILES':
      return {
        files: [{ id: '1Zx9Q-roadmap', name: 'Roadmap 2027', mimeType: 'application/vnd.google-apps.document' }],
      };
    case 'GOOGLE_DRIVE_EXPORT_FILE':
      return { fileId: input.fileId, exportedText: 'Q1: ship the connector marketplace…' };
    case 'GITHUB_CREATE_ISSUE':
      return {
        number: 1287,
        html_url: `https://github.com/${input.owner}/${input.repo}/issues/1287`,
        title: input.title,
      };
    case 'GITHUB_LIST_PULL_REQUESTS':
      return [{ number: 1281, title: 'Retry webhook deliveries with backoff', state: 'open' }];
    default:
      return { ok: true };
  }
}

export async function startFakeProvider(
  integration: Integration,
  conditions: ProviderConditions = {},
): Promise<FakeProvider> {
  const changes = new Map<string, { created: ProviderRecord[]; updated: ProviderRecord[] }>();
  const webhooks: Array<{ id: string; accountId: string; targetUrl: string }> = [];
  let webhookCreateFailures = 0;

  const userOf = (req: Request): { userId: string | null; refreshed: boolean } => {
    const token = /^Bearer (.+)$/.exec(req.header('authorization') ?? '')?.[1] ?? '';
    const match = new RegExp(`^${integration}-oauth-(.+?)(-refreshed)?$`).exec(token);
    return match ? { userId: match[1]!, refreshed: match[2] !== undefined } : { userId: null, refreshed: false };
  };

  const fail = (res: Response, kind: ErrorKind) => {
    if (kind === 'rate_limited') res.setHeader('retry-after', '42');
    res.status(ERROR_STATUS[kind]).json(ERROR_BODIES[integration][kind]);
  };

  /** The error a call of this user gets, if any, in the order the real APIs check. */
  const refusal = (req: Request, writes: boolean): ErrorKind | null => {
    const { userId, refreshed } = userOf(req);
    if (!userId || conditions.revokedUsers?.includes(userId)) return 'unauthorized';
    if (conditions.expiredTokenUsers?.includes(userId) && !refreshed) return 'unauthorized';
    if (writes && conditions.readOnlyUsers?.includes(userId)) return 'forbidden';
    if (conditions.rateLimitedUsers?.includes(userId)) return 'rate_limited';
    if (conditions.brokenPaths?.test(req.path)) return 'server_error';
    return null;
  };

  const app = express();
  app.use(express.json());

  app.post('/oauth/token', (req, res) => {
    const userId = String(req.body?.user_id ?? '');
    if (conditions.revokedUsers?.includes(userId)) {
      res.status(400).json({ error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
      return;
    }
    // A real token endpoint answers with secrets; this body is a success and must never be exported.
    res.json({
      access_token: accessTokenOf(integration, userId, true),
      refresh_token: `rt-${userId}`,
      expires_in: 3600,
    });
  });

  for (const tool of TOOLS.filter((t) => t.integration === integration)) {
    app[tool.method === 'GET' ? 'get' : tool.method === 'POST' ? 'post' : 'patch'](tool.path, (req, res) => {
      const kind = refusal(req, tool.writes);
      if (kind) fail(res, kind);
      else res.json(successBody(tool, req));
    });
  }

  app.post('/webhooks', (req, res) => {
    const kind = refusal(req, true);
    if (kind) {
      fail(res, kind);
      return;
    }
    if (webhookCreateFailures < (conditions.webhookCreateFailuresBeforeSuccess ?? 0)) {
      webhookCreateFailures += 1;
      fail(res, 'server_error');
      return;
    }
    const hook = {
      id: `wh_${webhooks.length + 1}`,
      accountId: String(req.body?.accountId),
      targetUrl: String(req.body?.targetUrl),
    };
    webhooks.push(hook);
    res.status(201).json({ id: hook.id, active: true, signing_secret: `whsec_${hook.id}` });
  });

  app.get('/changes', (req, res) => {
    const kind = refusal(req, false);
    if (kind) {
      fail(res, kind);
      return;
    }
    const accountId = String(req.query.accountId);
    const pending = changes.get(accountId) ?? { created: [], updated: [] };
    changes.delete(accountId);
    res.json(pending);
  });

  const server = await listenLocal(app);
  return {
    ...server,
    integration,
    addChanges(accountId, next) {
      const pending = changes.get(accountId) ?? { created: [], updated: [] };
      pending.created.push(...next.created);
      pending.updated.push(...next.updated);
      changes.set(accountId, pending);
    },
    async emitWebhookEvent(accountId, event) {
      const statuses: number[] = [];
      for (const hook of webhooks.filter((h) => h.accountId === accountId)) {
        const response = await fetch(hook.targetUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-webhook-id': hook.id },
          body: JSON.stringify(event),
        });
        await response.arrayBuffer();
        statuses.push(response.status);
      }
      return statuses;
    },
  };
}

/** The provider API URL of a tool call, with path segments filled in. */
export function providerUrl(baseUrl: string, tool: ToolDefinition, parameters: Record<string, unknown>): URL {
  const url = new URL(fillPath(tool.path, parameters), baseUrl);
  if (tool.method === 'GET') {
    for (const [key, value] of Object.entries(parameters)) {
      if (!tool.path.includes(`:${key}`)) url.searchParams.set(key, String(value));
    }
  }
  return url;
}
