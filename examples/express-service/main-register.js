// Run with no SDK code at all:
//   OTEL_SERVICE_NAME=express-service OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 \
//   TOOLTRACE_INGEST_KEY=tt_ingest_… TOOLTRACE_TOOL_ROUTES="$(cat tool-routes.json)" \
//   node --import @tooltrace/instrumentation/register main-register.js
// Prints what the caller saw, as JSON; the register module flushes the spans when the process ends.
import { callTools, createApp } from './app.js';
import { startFakeProvider } from './provider.js';

const provider = await startFakeProvider();
const service = await createApp({ providerUrl: provider.url });
const calls = await callTools(service.url, process.env.EXAMPLE_USER_ID ?? 'user-register');
await service.close();
await provider.close();
console.log(JSON.stringify({ calls }));
