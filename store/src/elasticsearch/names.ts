/**
 * Every Elasticsearch resource name the backend uses, derived from one prefix so
 * that several installations (or test runs) can share a cluster without touching
 * each other. Names start with the prefix, never with `logs-`/`traces-`/`metrics-`,
 * so Elasticsearch's built-in `logs-*-*` / `traces-*-*` templates never match them.
 */
import type { Plan } from '@tooltrace/conventions';

export interface ResourceNames {
  prefix: string;
  /** Append-only data stream of log entries for projects on `plan`. */
  logsStream(plan: Plan): string;
  /** Append-only data stream of tool calls for projects on `plan`. */
  toolCallsStream(plan: Plan): string;
  /** Pattern matching every plan's logs data stream. */
  logsPattern: string;
  toolCallsPattern: string;
  /** Regular index: one mutable document per trigger trace (merged facts, status, delivery attempts). */
  triggerEvents: string;
  /** Regular index: one document per delivery ID holding every attempt, from whichever traces. */
  deliveries: string;
  projects: string;
  /** Regular index keyed by the key's SHA-256, so authentication is a realtime GET. */
  keys: string;
  ilmPolicy(plan: Plan): string;
  componentTemplate(part: ComponentPart): string;
  indexTemplate(kind: TemplateKind, plan?: Plan): string;
}

export const COMPONENT_PARTS = [
  'logs-mappings',
  'tool-calls-mappings',
  'trigger-events-mappings',
  'deliveries-mappings',
  'projects-mappings',
  'keys-mappings',
] as const;
export type ComponentPart = (typeof COMPONENT_PARTS)[number];

export type TemplateKind = 'logs' | 'tool-calls' | 'trigger-events' | 'deliveries' | 'projects' | 'keys';

const RESERVED_PREFIXES = ['logs', 'traces', 'metrics', 'synthetics', 'profiling', 'apm', 'ilm-history'];

export class InvalidPrefixError extends Error {
  override readonly name = 'InvalidPrefixError';
}

export function resourceNames(prefix = 'tooltrace'): ResourceNames {
  if (!/^[a-z][a-z0-9-]{0,40}$/.test(prefix)) {
    throw new InvalidPrefixError(
      `invalid Elasticsearch prefix ${JSON.stringify(prefix)}: use 1–41 lowercase letters, digits or '-', starting with a letter`,
    );
  }
  if (RESERVED_PREFIXES.some((reserved) => prefix === reserved || prefix.startsWith(`${reserved}-`))) {
    throw new InvalidPrefixError(
      `invalid Elasticsearch prefix ${JSON.stringify(prefix)}: it would collide with Elasticsearch's built-in index templates`,
    );
  }
  return {
    prefix,
    logsStream: (plan) => `${prefix}-logs-${plan}`,
    toolCallsStream: (plan) => `${prefix}-tool-calls-${plan}`,
    logsPattern: `${prefix}-logs-*`,
    toolCallsPattern: `${prefix}-tool-calls-*`,
    triggerEvents: `${prefix}-trigger-events`,
    deliveries: `${prefix}-deliveries`,
    projects: `${prefix}-projects`,
    keys: `${prefix}-keys`,
    ilmPolicy: (plan) => `${prefix}-${plan}`,
    componentTemplate: (part) => `${prefix}-${part}`,
    indexTemplate: (kind, plan) => (plan ? `${prefix}-${kind}-${plan}` : `${prefix}-${kind}`),
  };
}

/** Elasticsearch index-pattern matching (`*` is any run of characters), to check names against templates. */
export function matchesPattern(pattern: string, name: string): boolean {
  const escaped = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`).test(name);
}
