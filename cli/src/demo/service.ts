/**
 * A small ActionKit-like service instrumented with the tooltrace SDK: it lists
 * and runs tools against the integration providers on behalf of connected
 * users, subscribes users to triggers, turns provider webhooks and polling
 * results into trigger events, and hands them to the delivery queue.
 */
import {
  ActionKitError,
  logger,
  recordPollDetection,
  recordWebhookCreation,
  recordWebhookReceived,
  type ToolCallInfo,
  toolCallErrorHandler,
  toolCallMiddleware,
  traceInternalStep,
  traceSubscription,
  traceTriggerEvent,
} from '@tooltrace/instrumentation';
import express, { type Request } from 'express';
import {
  INTEGRATIONS,
  type Integration,
  TOOLS,
  type ToolDefinition,
  type TriggerDefinition,
  toolByName,
  triggerByName,
} from './catalog.ts';
import { DeliveryQueue } from './delivery-queue.ts';
import { accessTokenOf, type ProviderRecord, providerUrl } from './fake-providers.ts';
import { type LocalServer, listenLocal } from './listen.ts';

export interface DemoServiceOptions {
  /** Base URL of each integration's provider API. */
  providers: Record<Integration, string>;
  /** Which integrations each user has connected. */
  connections: Record<string, readonly Integration[]>;
  /** Deterministic IDs for events and deliveries. */
  newId: (prefix: string) => string;
}

interface Subscription {
  id: string;
  trigger: TriggerDefinition;
  userId: string;
  /** The provider account (org, portal, repository…) the trigger watches. */
  accountId: string;
  /** The customer's webhook that receives the events. */
  webhookUrl: string;
}

export interface DemoService extends LocalServer {
  deliveries: DeliveryQueue;
  /** One run of the polling jobs; resolves to the number of events it produced. */
  runPollingJobs(): Promise<number>;
  /** Trigger events and subscriptions traced so far. */
  readonly triggerTraces: number;
}

const ACTIONS_PATH = /^\/projects\/([^/]+)\/actions\/?$/;
const WEBHOOK_CREATE_ATTEMPTS = 2;

export const USER_HEADER = 'x-user-id';

function describeToolCall(req: Request): ToolCallInfo | null {
  if (!ACTIONS_PATH.test(req.path)) return null;
  const userId = req.header(USER_HEADER) ?? 'anonymous';
  if (req.method === 'GET') {
    const integrations = String(req.query.integrations ?? '')
      .split(',')
      .filter(Boolean);
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

export async function startDemoService(options: DemoServiceOptions): Promise<DemoService> {
  const tokens = new Map<string, string>();
  const tokenOf = (integration: Integration, userId: string) =>
    tokens.get(`${integration}:${userId}`) ?? accessTokenOf(integration, userId);
  const subscriptions: Subscription[] = [];
  const deliveries = new DeliveryQueue();
  let triggerTraces = 0;
  let serviceUrl = '';

  const refreshToken = (integration: Integration, userId: string) =>
    traceInternalStep(
      'refresh OAuth token',
      async () => {
        const response = await fetch(new URL('/oauth/token', options.providers[integration]), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ grant_type: 'refresh_token', user_id: userId }),
        });
        const body = (await response.json()) as { access_token?: string };
        if (!response.ok || !body.access_token) throw new Error(`token refresh failed with HTTP ${response.status}`);
        tokens.set(`${integration}:${userId}`, body.access_token);
        logger.info(`refreshed the ${integration} access token`, { 'user.id': userId });
      },
      { 'tooltrace.integration': integration },
    );

  /** False when the grant is gone (the refresh itself failed; its span says why). */
  const tryRefreshToken = (integration: Integration, userId: string) =>
    refreshToken(integration, userId).then(
      () => true,
      () => false,
    );

  const callProvider = async (tool: ToolDefinition, userId: string, parameters: Record<string, unknown>) => {
    const url = providerUrl(options.providers[tool.integration], tool, parameters);
    return fetch(url, {
      method: tool.method,
      headers: { authorization: `Bearer ${tokenOf(tool.integration, userId)}`, 'content-type': 'application/json' },
      ...(tool.method === 'GET' ? {} : { body: JSON.stringify(parameters) }),
    });
  };

  const runTool = async (tool: ToolDefinition, userId: string, parameters: Record<string, unknown>) => {
    let response = await callProvider(tool, userId, parameters);
    let body: unknown = await response.json();
    // Access tokens expire: refresh once and retry before telling the caller the grant is gone.
    if (response.status === 401 && (await tryRefreshToken(tool.integration, userId))) {
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

  const app = express();
  app.use(express.json());
  app.use(toolCallMiddleware({ describe: describeToolCall }));

  app.get('/projects/:projectId/actions', async (req, res) => {
    const userId = req.header(USER_HEADER) ?? '';
    const requested = String(req.query.integrations ?? '')
      .split(',')
      .filter(Boolean);
    const unknown = requested.filter((name) => !(INTEGRATIONS as readonly string[]).includes(name));
    if (unknown.length > 0) {
      throw new ActionKitError(`Unknown integration: ${unknown.join(', ')}`, { code: 40010, status: 400 });
    }
    const connected = await traceInternalStep('load connected integrations', () => options.connections[userId] ?? []);
    const visible = requested.length > 0 ? connected.filter((name) => requested.includes(name)) : connected;
    const actions = TOOLS.filter((tool) => visible.includes(tool.integration)).map((tool) => ({
      name: tool.name,
      description: tool.description,
      integration: tool.integration,
    }));
    logger.info(`listed ${actions.length} tools`, { 'user.id': userId });
    res.json({ actions });
  });

  app.post('/projects/:projectId/actions', async (req, res) => {
    const userId = req.header(USER_HEADER) ?? '';
    const tool = toolByName(String(req.body?.action ?? ''));
    if (!tool) {
      throw new ActionKitError(`Unknown action ${JSON.stringify(req.body?.action)}`, { code: 40400, status: 404 });
    }
    if (!(options.connections[userId] ?? []).includes(tool.integration)) {
      throw new ActionKitError(`${tool.integration} is not connected for this user`, { code: 40020, status: 400 });
    }
    const parameters = (req.body?.parameters ?? {}) as Record<string, unknown>;
    const result = await runTool(tool, userId, parameters);
    res.json(result);
  });

  app.post('/projects/:projectId/triggers/:triggerName/subscriptions', async (req, res) => {
    const trigger = triggerByName(req.params.triggerName);
    const userId = req.header(USER_HEADER) ?? '';
    if (!trigger) {
      res.status(404).json({ error: { code: 'not_found', message: `unknown trigger ${req.params.triggerName}` } });
      return;
    }
    const subscription: Subscription = {
      id: options.newId('sub'),
      trigger,
      userId,
      accountId: String(req.body?.accountId),
      webhookUrl: String(req.body?.webhookUrl),
    };
    triggerTraces += 1;
    const created = await traceSubscription(
      {
        subscriptionId: subscription.id,
        triggerId: subscription.id,
        triggerName: trigger.name,
        integration: trigger.integration,
        subscriptionModel: trigger.subscriptionModel,
        userId,
      },
      async () => {
        if (trigger.subscriptionModel === 'POLLING') {
          logger.info(`polling ${trigger.integration} account ${subscription.accountId} every 5 minutes`);
          return true;
        }
        // A subscription whose webhook cannot be created has failed: the root span says so.
        await createProviderWebhook(subscription);
      },
    ).then(
      () => true,
      () => false,
    );
    if (created) subscriptions.push(subscription);
    res.status(created ? 201 : 502).json({ subscriptionId: subscription.id, active: created });
  });

  /** Registers our webhook at the provider on the user's behalf, retrying once. */
  const createProviderWebhook = async (subscription: Subscription): Promise<void> => {
    const integration = subscription.trigger.integration;
    const targetUrl = `${serviceUrl}/provider-webhooks/${integration}/${subscription.id}`;
    for (let attempt = 1; attempt <= WEBHOOK_CREATE_ATTEMPTS; attempt += 1) {
      const response = await fetch(new URL('/webhooks', options.providers[integration]), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${tokenOf(integration, subscription.userId)}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ accountId: subscription.accountId, targetUrl }),
      });
      const body: unknown = await response.json();
      // Only provider outages heal by retrying; auth and scope errors end the subscription attempt.
      const willRetry = response.status >= 500 && attempt < WEBHOOK_CREATE_ATTEMPTS;
      recordWebhookCreation({
        attempt,
        final: !willRetry,
        webhookUrl: targetUrl,
        httpStatus: response.status,
        ...(response.ok ? {} : { responseBody: body }),
      });
      if (response.ok) return;
      if (!willRetry) {
        throw new Error(`could not create the ${integration} webhook: HTTP ${response.status}`);
      }
    }
  };

  const enqueueDeliveries = (
    eventId: string,
    savedContext: string | null,
    subscribers: Subscription[],
    payload: unknown,
  ) => {
    if (!savedContext) return;
    for (const subscriber of subscribers) {
      deliveries.enqueue({
        deliveryId: options.newId('dlv'),
        eventId,
        userId: subscriber.userId,
        webhookUrl: subscriber.webhookUrl,
        savedContext,
        payload: { event: subscriber.trigger.name, eventId, userId: subscriber.userId, data: payload },
      });
    }
  };

  app.post('/provider-webhooks/:integration/:subscriptionId', async (req, res) => {
    const subscription = subscriptions.find((s) => s.id === req.params.subscriptionId);
    if (!subscription) {
      res.status(410).json({ error: 'unknown subscription' });
      return;
    }
    const eventId = options.newId('evt');
    triggerTraces += 1;
    await traceTriggerEvent(
      {
        eventId,
        triggerId: subscription.id,
        triggerName: subscription.trigger.name,
        integration: subscription.trigger.integration,
        subscriptionModel: 'WEBHOOK',
        userId: subscription.userId,
      },
      async (event) => {
        recordWebhookReceived({ payload: req.body });
        const mapped = await traceInternalStep('map webhook payload', () => mapPayload(subscription.trigger, req.body));
        enqueueDeliveries(eventId, event.savedContext, [subscription], mapped);
      },
    ).catch((error: unknown) => {
      logger.error('trigger event processing failed', error);
    });
    // The provider only needs to know we have the event; processing problems are ours.
    res.status(200).json({ ok: true });
  });

  const runPollingJobs = async (): Promise<number> => {
    let events = 0;
    const groups = new Map<string, Subscription[]>();
    for (const s of subscriptions.filter((sub) => sub.trigger.subscriptionModel === 'POLLING')) {
      const key = `${s.trigger.name}:${s.accountId}`;
      groups.set(key, [...(groups.get(key) ?? []), s]);
    }
    for (const subscribers of groups.values()) {
      const [first] = subscribers;
      if (!first) continue;
      const integration = first.trigger.integration;
      const url = new URL('/changes', options.providers[integration]);
      url.searchParams.set('accountId', first.accountId);
      const response = await fetch(url, { headers: { authorization: `Bearer ${tokenOf(integration, first.userId)}` } });
      const changes = (await response.json()) as { created: ProviderRecord[]; updated: ProviderRecord[] };
      if (!response.ok || changes.created.length + changes.updated.length === 0) continue;
      const eventId = options.newId('evt');
      events += 1;
      triggerTraces += 1;
      await traceTriggerEvent(
        {
          eventId,
          triggerId: first.id,
          triggerName: first.trigger.name,
          integration,
          subscriptionModel: 'POLLING',
          ...(subscribers.length === 1 ? { userId: first.userId } : {}),
        },
        async (event) => {
          recordPollDetection({
            newRecords: changes.created.length,
            updatedRecords: changes.updated.length,
            records: [...changes.created, ...changes.updated].map((record) => record.id),
          });
          const records = [...changes.created, ...changes.updated];
          const mapped = await traceInternalStep('map polled records', () =>
            records.map((r) => mapPayload(first.trigger, r)),
          );
          enqueueDeliveries(eventId, event.savedContext, subscribers, mapped);
        },
      ).catch((error: unknown) => {
        logger.error('trigger event processing failed', error);
      });
    }
    return events;
  };

  app.use(toolCallErrorHandler());

  const server = await listenLocal(app);
  serviceUrl = server.url;
  return {
    ...server,
    deliveries,
    runPollingJobs,
    get triggerTraces() {
      return triggerTraces;
    },
  };
}

/** Turns a provider record into the event payload; records missing required fields fail processing. */
function mapPayload(trigger: TriggerDefinition, record: unknown): Record<string, unknown> {
  const r = (record ?? {}) as Record<string, unknown>;
  const required: Record<string, string> = {
    SALESFORCE_RECORD_CREATED: 'Name',
    GOOGLE_DRIVE_FILE_UPDATED: 'name',
    HUBSPOT_CONTACT_CREATED: 'email',
    GITHUB_ISSUE_OPENED: 'title',
  };
  const field = required[trigger.name];
  const value = field
    ? (r[field] ??
      (r.properties as Record<string, unknown> | undefined)?.[field] ??
      (r.issue as Record<string, unknown> | undefined)?.[field])
    : true;
  if (value === undefined || value === null || value === '') {
    throw new Error(
      `${trigger.name}: record ${String(r.id ?? r.objectId ?? '?')} has no ${field}; cannot map it to the trigger payload`,
    );
  }
  return { ...r };
}
