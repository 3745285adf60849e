/**
 * Log records correlated with the active trace: emitted through the OTLP logs
 * pipeline with the active context, so each record carries the trace and span
 * IDs of whatever tool call or trigger event is running.
 */
import { context } from '@opentelemetry/api';
import { type AnyValueMap, logs, SeverityNumber } from '@opentelemetry/api-logs';
import { ATTR_EXCEPTION_MESSAGE, ATTR_EXCEPTION_STACKTRACE, ATTR_EXCEPTION_TYPE } from '@tooltrace/conventions';
import { INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION } from './settings.ts';

export type LogAttributes = AnyValueMap;

export interface TooltraceLogger {
  debug(message: string, attributes?: LogAttributes): void;
  info(message: string, attributes?: LogAttributes): void;
  warn(message: string, attributes?: LogAttributes): void;
  /** An `Error` as second argument is recorded with `exception.*` attributes. */
  error(message: string, errorOrAttributes?: unknown, attributes?: LogAttributes): void;
}

function emit(severityNumber: SeverityNumber, severityText: string, message: string, attributes: LogAttributes = {}) {
  logs.getLogger(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION).emit({
    severityNumber,
    severityText,
    body: message,
    attributes,
    context: context.active(),
  });
}

function exceptionAttributes(error: Error): LogAttributes {
  return {
    [ATTR_EXCEPTION_TYPE]: error.name,
    [ATTR_EXCEPTION_MESSAGE]: error.message,
    ...(error.stack ? { [ATTR_EXCEPTION_STACKTRACE]: error.stack } : {}),
  };
}

export const logger: TooltraceLogger = {
  debug: (message, attributes) => emit(SeverityNumber.DEBUG, 'DEBUG', message, attributes),
  info: (message, attributes) => emit(SeverityNumber.INFO, 'INFO', message, attributes),
  warn: (message, attributes) => emit(SeverityNumber.WARN, 'WARN', message, attributes),
  error(message, errorOrAttributes, attributes) {
    if (errorOrAttributes instanceof Error) {
      emit(SeverityNumber.ERROR, 'ERROR', message, { ...exceptionAttributes(errorOrAttributes), ...attributes });
    } else {
      emit(SeverityNumber.ERROR, 'ERROR', message, {
        ...(errorOrAttributes as LogAttributes | undefined),
        ...attributes,
      });
    }
  },
};
