/**
 * The endless, seeded stream of traces: which kind, which integration and user,
 * when. Everything is drawn from a seeded {@link Rng}: same seed, same traces.
 */
import { INTEGRATIONS, type IntegrationSpec } from './catalog.ts';
import { Rng } from './rng.ts';
import { toolCallTrace } from './tool-call-trace.ts';
import type { ModelTrace, ModelTraceKind, TraceContext } from './trace-model.ts';
import { subscriptionTrace, triggerEventTrace } from './trigger-traces.ts';

export interface TraceGeneratorOptions {
  seed: number;
  /** Traces start between these epoch-ms times, in order. */
  fromMs: number;
  toMs: number;
  /** How many traces the caller means to take; spaces start times so they span the window. */
  expectedTraces: number;
  /** Distinct connected users (facet cardinality). Default 400. */
  users?: number;
}

/** Share of each kind of trace, like a busy ActionKit project. */
const MIX = { toolCall: 0.7, triggerEvent: 0.27 } as const;

/** Endless, ordered by start time; the caller stops when it has enough. */
export function* generateTraces(options: TraceGeneratorOptions): Generator<ModelTrace> {
  const rng = new Rng(options.seed);
  const users = options.users ?? 400;
  const stepMs = (options.toMs - options.fromMs) / Math.max(1, options.expectedTraces);
  const totalWeight = INTEGRATIONS.reduce((sum, i) => sum + i.weight, 0);
  const pickIntegration = (): IntegrationSpec => {
    let r = rng.next() * totalWeight;
    for (const integration of INTEGRATIONS) {
      r -= integration.weight;
      if (r < 0) return integration;
    }
    return INTEGRATIONS[0]!;
  };
  for (let i = 0; ; i++) {
    const startMs = options.fromMs + (i + rng.next()) * stepMs;
    const roll = rng.next();
    const traceKind: ModelTraceKind =
      roll < MIX.toolCall
        ? 'tool_call'
        : roll < MIX.toolCall + MIX.triggerEvent
          ? 'trigger_event'
          : 'trigger_subscription';
    const ctx: TraceContext = {
      rng,
      traceId: rng.hex(32),
      startUs: Math.floor(startMs * 1000),
      integration: pickIntegration(),
      userId: `user_${String(rng.int(1, users)).padStart(5, '0')}`,
    };
    if (traceKind === 'tool_call') yield toolCallTrace(ctx);
    else if (traceKind === 'trigger_event') yield triggerEventTrace(ctx);
    else yield subscriptionTrace(ctx);
  }
}
