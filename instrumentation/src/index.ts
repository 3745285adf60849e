export type { IntegrationResolver } from './auto-fetch.ts';
export { optionsFromEnvironment } from './env-init.ts';
export {
  ActionKitError,
  type ActionKitErrorBody,
  type ActionKitErrorOptions,
  actionKitErrorBody,
  attachRequestId,
  INTERNAL_ERROR_CODE,
  requestIdOf,
  traceUrlOf,
} from './errors.ts';
export { describeExportFailure, type ExportFailureKind } from './export-failures.ts';
export {
  REQUEST_ID_HEADER,
  type ToolCallMiddlewareOptions,
  toolCallErrorHandler,
  toolCallMiddleware,
  toolCallSpanOf,
} from './express.ts';
export { AlreadyInitializedError, activeHandle, type InitOptions, init, type TooltraceHandle } from './init.ts';
export { traceInternalStep } from './internal-step.ts';
export { type LogAttributes, logger, type TooltraceLogger } from './logger.ts';
export {
  type ProviderCall,
  type ProviderRequestInfo,
  traceProviderRequest,
} from './provider-request.ts';
export { createRedactor, DEFAULT_SENSITIVE_KEY, defaultRedact, REDACTED, type Redactor } from './redaction.ts';
export type { ExportFailureListener, ExportSignal } from './reporting-exporter.ts';
export {
  fromSerializedContext,
  InvalidSerializedContextError,
  serializeContext,
} from './serialized-context.ts';
export { type ToolCallInfo, type ToolCallResult, traceToolCall } from './tool-call.ts';
export { parseToolRoutes, type ToolRoute, ToolRoutesError } from './tool-routes.ts';
export {
  type DeliveryAttemptInfo,
  type DeliveryAttemptOutcome,
  type DeliveryAttemptRecorder,
  recordPollDetection,
  recordWebhookCreation,
  recordWebhookReceived,
  type TriggerEventInfo,
  type TriggerSubscriptionInfo,
  type TriggerTraceHandle,
  type TriggerTraceResult,
  traceDeliveryAttempt,
  traceSubscription,
  traceTriggerEvent,
  type WebhookCreationAttempt,
} from './triggers.ts';
