/**
 * `node --import @tooltrace/instrumentation/register app.js` starts the SDK before the app loads,
 * from the environment alone (see `optionsFromEnvironment`), with the official HTTP, Express and
 * undici instrumentations: ESM modules are hooked through import-in-the-middle, CommonJS through
 * require-in-the-middle. What has ended is flushed when the process exits or is stopped.
 */
import { register } from 'node:module';
import { optionsFromEnvironment } from './env-init.ts';
import { init, type TooltraceHandle } from './init.ts';

if (process.env.OTEL_SDK_DISABLED?.trim().toLowerCase() !== 'true') {
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  flushOnExit(init(optionsFromEnvironment(process.env)));
}

function flushOnExit(handle: TooltraceHandle): void {
  process.once('beforeExit', () => void handle.shutdown());
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void handle.shutdown().finally(() => {
        // Listening replaced the default action; when the app has no handler of its own, do it now.
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
    });
  }
}
