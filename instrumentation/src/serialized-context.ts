/**
 * Trace context that outlives the process: a trigger event saves it with the
 * queued delivery, and an attempt hours later, in another worker, continues
 * the event's trace from it. W3C `traceparent`/`tracestate` plus the event's
 * identity, as JSON text so it fits any queue column or message.
 */
import {
  type Context,
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { type TriggerScope, triggerScopeOf, withTriggerScope } from './context-keys.ts';

const propagator = new W3CTraceContextPropagator();
const FORMAT_VERSION = 1;

interface SerializedShape {
  v: number;
  traceparent: string;
  tracestate?: string;
  trigger?: TriggerScope;
}

export class InvalidSerializedContextError extends Error {
  override readonly name = 'InvalidSerializedContextError';
}

/** Saves the active (or given) context: JSON text holding `traceparent` and the trigger event it belongs to. */
export function serializeContext(ctx: Context = context.active()): string {
  const spanContext = trace.getSpanContext(ctx);
  if (!spanContext || !trace.isSpanContextValid(spanContext)) {
    throw new InvalidSerializedContextError(
      'serializeContext: there is no active span to save; call it inside traceTriggerEvent / traceToolCall (or pass a context)',
    );
  }
  const carrier: Record<string, string> = {};
  propagator.inject(ctx, carrier, defaultTextMapSetter);
  const shape: SerializedShape = { v: FORMAT_VERSION, traceparent: carrier.traceparent! };
  if (carrier.tracestate) shape.tracestate = carrier.tracestate;
  const scope = triggerScopeOf(ctx);
  if (scope) shape.trigger = scope;
  return JSON.stringify(shape);
}

/** A context whose parent is the saved span (as a remote parent), ready for `context.with` or `{ parent }`. */
export function fromSerializedContext(serialized: string): Context {
  const shape = parseShape(serialized);
  const carrier: Record<string, string> = { traceparent: shape.traceparent };
  if (shape.tracestate) carrier.tracestate = shape.tracestate;
  const ctx = propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
  if (!trace.getSpanContext(ctx)) {
    throw new InvalidSerializedContextError(
      `saved context has an invalid traceparent ${JSON.stringify(shape.traceparent)}; expected 00-<32 hex>-<16 hex>-<2 hex>`,
    );
  }
  return shape.trigger ? withTriggerScope(ctx, shape.trigger) : ctx;
}

function parseShape(serialized: string): SerializedShape {
  if (typeof serialized !== 'string') {
    throw new InvalidSerializedContextError(
      `saved context must be the string serializeContext() returned, got ${typeof serialized}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(serialized);
  } catch {
    throw new InvalidSerializedContextError('saved context is not JSON; pass the string serializeContext() returned');
  }
  const shape = parsed as Partial<SerializedShape> | null;
  if (shape === null || typeof shape !== 'object' || shape.v !== FORMAT_VERSION) {
    throw new InvalidSerializedContextError(
      `saved context has no supported version field "v" (expected ${FORMAT_VERSION})`,
    );
  }
  if (typeof shape.traceparent !== 'string') {
    throw new InvalidSerializedContextError('saved context has no "traceparent" string');
  }
  const trigger = shape.trigger;
  if (
    trigger !== undefined &&
    (typeof trigger !== 'object' || trigger === null || typeof trigger.eventId !== 'string')
  ) {
    throw new InvalidSerializedContextError('saved context has a "trigger" without an "eventId" string');
  }
  return shape as SerializedShape;
}
