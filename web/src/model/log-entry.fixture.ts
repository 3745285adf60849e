/** Test data: a complete LogEntry with plain defaults, so a test spells out only what it is about. */
import type { LogEntry } from '@tooltrace/conventions';

export function logEntry(partial: Partial<LogEntry> = {}): LogEntry {
  return {
    id: 'l1',
    projectId: 'p',
    traceId: '4c7445d219724ed69e4746053bf1d45f',
    spanId: '1111111111111111',
    parentSpanId: null,
    source: 'span',
    timestamp: '2026-11-28T12:00:00.000Z',
    timeUnixNano: '1795867200000000000',
    level: 'info',
    kind: 'internal',
    name: 'step',
    message: 'load_credentials',
    attributes: {},
    durationMs: 3,
    body: null,
    serviceName: 'actionkit',
    ...partial,
  };
}
