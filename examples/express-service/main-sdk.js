// The same service with the SDK in code: init(), the tool-call middleware and error handler (error
// bodies carry meta.requestId and meta.traceUrl), and one trigger pipeline with two deliveries.
//   OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 TOOLTRACE_INGEST_KEY=tt_ingest_… node main-sdk.js
// Prints what the caller saw and the trigger event, as JSON.
import http from 'node:http';
import {
  ActionKitError,
  init,
  recordPollDetection,
  serializeContext,
  toolCallErrorHandler,
  toolCallMiddleware,
  traceDeliveryAttempt,
  traceTriggerEvent,
} from '@tooltrace/instrumentation';
import { callTools, createApp } from './app.js';
import { listen, startFakeProvider } from './provider.js';

const tooltrace = init({
  serviceName: process.env.OTEL_SERVICE_NAME ?? 'express-service',
  apiKey: process.env.TOOLTRACE_INGEST_KEY, // the endpoint comes from OTEL_EXPORTER_OTLP_ENDPOINT
  uiBaseUrl: process.env.TOOLTRACE_UI_URL ?? 'http://127.0.0.1:8080',
});
const userId = process.env.EXAMPLE_USER_ID ?? 'user-sdk';

const provider = await startFakeProvider();
const service = await createApp({
  providerUrl: provider.url,
  before: [
    toolCallMiddleware({
      describe: (req) =>
        req.path === '/tools'
          ? { type: 'list_tools', userId: req.header('x-user-id') }
          : req.path === '/actions'
            ? {
                type: 'run_tool',
                toolName: req.body.action,
                integration: req.body.integration,
                userId: req.header('x-user-id'),
                parameters: req.body.parameters,
              }
            : null,
    }),
  ],
  after: [toolCallErrorHandler()],
  makeError: (message, options) => new ActionKitError(message, options),
});
const calls = await callTools(service.url, userId);

// A trigger pipeline: a poll finds a new Salesforce record; the event goes to two customer webhooks,
// one of which is down (500 on its last attempt).
const webhooks = await listen(
  http.createServer((req, res) => {
    res.statusCode = req.url === '/down' ? 500 : 200;
    res.end(JSON.stringify({ received: req.url !== '/down' }));
  }),
);
const eventId = `evt-example-${Date.now()}`;
const { result: savedContext } = await traceTriggerEvent(
  {
    eventId,
    triggerId: 'trg-example-1',
    triggerName: 'SALESFORCE_RECORD_CREATED',
    integration: 'salesforce',
    subscriptionModel: 'POLLING',
    userId,
  },
  () => {
    recordPollDetection({ newRecords: 1, updatedRecords: 0 });
    return serializeContext(); // what a queue would store with the pending deliveries
  },
);
for (const [deliveryId, path] of [
  [`${eventId}-ok`, '/ok'],
  [`${eventId}-down`, '/down'],
]) {
  const webhookUrl = `${webhooks.url}${path}`;
  await traceDeliveryAttempt({ deliveryId, attempt: 1, final: true, webhookUrl, userId, parent: savedContext }, () =>
    fetch(webhookUrl, { method: 'POST', body: JSON.stringify({ eventId }) }),
  );
}

await Promise.all([service.close(), provider.close(), webhooks.close()]);
await tooltrace.shutdown(); // flushes
console.log(JSON.stringify({ calls, eventId }));
