/**
 * A small ActionKit-like service instrumented with the tooltrace SDK: tool routes (`tool-routes.ts`)
 * run tools against the integration providers on behalf of connected users; the trigger pipeline
 * (`trigger-pipeline.ts`) subscribes users to triggers, turns provider webhooks and polling results
 * into trigger events, and hands them to the delivery queue.
 */
import { toolCallErrorHandler, toolCallMiddleware } from '@tooltrace/instrumentation';
import express from 'express';
import type { Integration } from './catalog.ts';
import { DeliveryQueue } from './delivery-queue.ts';
import { type LocalServer, listenLocal } from './listen.ts';
import { createProviderTokens } from './provider-tokens.ts';
import { describeToolCall, toolRoutes } from './tool-routes.ts';
import { createTriggerPipeline } from './trigger-pipeline.ts';

export interface DemoServiceOptions {
  /** Base URL of each integration's provider API. */
  providers: Record<Integration, string>;
  /** Which integrations each user has connected. */
  connections: Record<string, readonly Integration[]>;
  /** Deterministic IDs for events and deliveries. */
  newId: (prefix: string) => string;
}

export interface DemoService extends LocalServer {
  deliveries: DeliveryQueue;
  /** One run of the polling jobs; resolves to the number of events it produced. */
  runPollingJobs(): Promise<number>;
  /** Trigger events and subscriptions traced so far. */
  readonly triggerTraces: number;
}

export async function startDemoService(options: DemoServiceOptions): Promise<DemoService> {
  const tokens = createProviderTokens(options.providers);
  const deliveries = new DeliveryQueue();
  let serviceUrl = '';
  const triggers = createTriggerPipeline({
    providers: options.providers,
    tokens,
    deliveries,
    newId: options.newId,
    serviceUrl: () => serviceUrl,
  });

  const app = express();
  app.use(express.json());
  app.use(toolCallMiddleware({ describe: describeToolCall }));
  app.use(toolRoutes({ providers: options.providers, connections: options.connections, tokens }));
  app.use(triggers.router);
  app.use(toolCallErrorHandler());

  const server = await listenLocal(app);
  serviceUrl = server.url;
  return {
    ...server,
    deliveries,
    runPollingJobs: () => triggers.runPollingJobs(),
    get triggerTraces() {
      return triggers.triggerTraces;
    },
  };
}
