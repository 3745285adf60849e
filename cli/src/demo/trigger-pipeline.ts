/**
 * The service's trigger side: users subscribe to triggers, provider webhooks and polling jobs turn
 * provider changes into trigger events, and each event's payload goes to the delivery queue.
 */
import {
  logger,
  recordPollDetection,
  recordWebhookCreation,
  recordWebhookReceived,
  traceInternalStep,
  traceSubscription,
  traceTriggerEvent,
} from '@tooltrace/instrumentation';
import { Router } from 'express';
import { type Integration, type TriggerDefinition, triggerByName } from './catalog.ts';
import type { DeliveryQueue } from './delivery-queue.ts';
import type { ProviderRecord } from './fake-providers.ts';
import type { ProviderTokens } from './provider-tokens.ts';
import { userIdOf } from './user-header.ts';

const WEBHOOK_CREATE_ATTEMPTS = 2;

interface Subscription {
  id: string;
  trigger: TriggerDefinition;
  userId: string;
  /** The provider account (org, portal, repository…) the trigger watches. */
  accountId: string;
  /** The customer's webhook that receives the events. */
  webhookUrl: string;
}

export interface TriggerPipelineOptions {
  providers: Record<Integration, string>;
  tokens: ProviderTokens;
  deliveries: DeliveryQueue;
  newId: (prefix: string) => string;
  /** The service's own base URL, where providers send their webhooks (known once it listens). */
  serviceUrl: () => string;
}

export interface TriggerPipeline {
  /** Subscription and provider-webhook routes. */
  router: Router;
  /** One run of the polling jobs; resolves to the number of events it produced. */
  runPollingJobs(): Promise<number>;
  /** Trigger events and subscriptions traced so far. */
  readonly triggerTraces: number;
}

export function createTriggerPipeline(options: TriggerPipelineOptions): TriggerPipeline {
  const { providers, tokens, deliveries, newId } = options;
  const subscriptions: Subscription[] = [];
  let triggerTraces = 0;

  /** Registers our webhook at the provider on the user's behalf, retrying once. */
  const createProviderWebhook = async (subscription: Subscription): Promise<void> => {
    const integration = subscription.trigger.integration;
    const targetUrl = `${options.serviceUrl()}/provider-webhooks/${integration}/${subscription.id}`;
    for (let attempt = 1; attempt <= WEBHOOK_CREATE_ATTEMPTS; attempt += 1) {
      const response = await fetch(new URL('/webhooks', providers[integration]), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${tokens.tokenOf(integration, subscription.userId)}`,
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
        deliveryId: newId('dlv'),
        eventId,
        userId: subscriber.userId,
        webhookUrl: subscriber.webhookUrl,
        savedContext,
        payload: { event: subscriber.trigger.name, eventId, userId: subscriber.userId, data: payload },
      });
    }
  };

  const router = Router();

  router.post('/projects/:projectId/triggers/:triggerName/subscriptions', async (req, res) => {
    const trigger = triggerByName(req.params.triggerName);
    const userId = userIdOf(req) ?? '';
    if (!trigger) {
      res.status(404).json({ error: { code: 'not_found', message: `unknown trigger ${req.params.triggerName}` } });
      return;
    }
    const subscription: Subscription = {
      id: newId('sub'),
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

  router.post('/provider-webhooks/:integration/:subscriptionId', async (req, res) => {
    const subscription = subscriptions.find((s) => s.id === req.params.subscriptionId);
    if (!subscription) {
      res.status(410).json({ error: 'unknown subscription' });
      return;
    }
    const eventId = newId('evt');
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
      const url = new URL('/changes', providers[integration]);
      url.searchParams.set('accountId', first.accountId);
      const response = await fetch(url, {
        headers: { authorization: `Bearer ${tokens.tokenOf(integration, first.userId)}` },
      });
      const changes = (await response.json()) as { created: ProviderRecord[]; updated: ProviderRecord[] };
      if (!response.ok || changes.created.length + changes.updated.length === 0) continue;
      const eventId = newId('evt');
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

  return {
    router,
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
