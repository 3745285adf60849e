/**
 * The process's one logger (DESIGN §8): pino, JSON lines on stderr, level
 * from TOOLTRACE_LOG_LEVEL. Created here, in the composition root, and
 * passed to the store, the collector and the query API as the `Logger`
 * interface of @tooltrace/conventions.
 */
import { type Logger as PinoLogger, pino } from 'pino';
import type { Config } from './config.ts';

export function createLogger(level: Config['logLevel'], destination: number | NodeJS.WritableStream = 2): PinoLogger {
  const stream = typeof destination === 'number' ? pino.destination(destination) : destination;
  return pino({ name: 'tooltrace', level }, stream);
}
