/**
 * The one logging interface every part takes (store, collector, query API).
 * It is the shape of pino's logger, which the cli composition root creates
 * (JSON on stderr, level from TOOLTRACE_LOG_LEVEL) and passes down; parts
 * never create their own. Fields first, then one readable message.
 */
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(fields: LogFields, message: string): void;
  info(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  error(fields: LogFields, message: string): void;
  /** A logger that adds `bindings` to every line (e.g. `{ component: 'collector' }`). */
  child(bindings: LogFields): Logger;
}

const nothing = () => undefined;

/** For tests and library use without a composition root: drops every line. */
export const silentLogger: Logger = {
  debug: nothing,
  info: nothing,
  warn: nothing,
  error: nothing,
  child: () => silentLogger,
};

/** An error as log fields (pino's `err` key), without the object graph of a driver error. */
export function errorFields(error: unknown): LogFields {
  if (error instanceof Error) return { err: { type: error.name, message: error.message, stack: error.stack } };
  return { err: { message: String(error) } };
}

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  fields: LogFields;
  message: string;
}

/** A logger that hands each line (with the bindings of its children) to `write`. */
export function lineLogger(write: (line: LogLine) => void, bindings: LogFields = {}): Logger {
  const at =
    (level: LogLine['level']) =>
    (fields: LogFields, message: string): void => {
      write({ level, fields: { ...bindings, ...fields }, message });
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => lineLogger(write, { ...bindings, ...more }),
  };
}

/** A test double that keeps every line (with the bindings of its children) in `lines`. */
export function createRecordingLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return Object.assign(
    lineLogger((line) => lines.push(line)),
    { lines },
  );
}
