/**
 * What `tooltrace store init` puts in the cluster: an ILM policy per plan, one
 * component template of explicit mappings per record kind, and composable index
 * templates that combine them. Pure builders, typed against the client's own
 * request types so a wrong field is a compile error, not a 400 at start-up.
 */
import type { estypes } from '@elastic/elasticsearch';
import { ENTERPRISE_DEFAULT_LIMITS, MAX_ANY_VALUE_DEPTH, PLAN_LIMITS, PLANS, type Plan } from '@tooltrace/conventions';
import { type AgeRetention, ageRetentionOf, type ClusterCapabilities, FULL_CAPABILITIES } from './capabilities.ts';
import type { ComponentPart, ResourceNames } from './names.ts';

export const FLATTENED_DEPTH_LIMIT = MAX_ANY_VALUE_DEPTH + 2;

/** Above Elasticsearch's built-in templates (priority 100–200) so ours win for our names. */
export const TEMPLATE_PRIORITY = 500;

/** Bumped whenever a mapping changes; stored in `_meta` so `store init` can tell what it installed. */
export const SCHEMA_VERSION = 3;

/**
 * Rollover bounds every backing index. A small `max_age` keeps ILM's age-based
 * delete close to the plan's days (an index is deleted `days` after it rolled
 * over, so a document lives at most `days + max_age`).
 */
export const ROLLOVER: estypes.IlmRolloverAction = {
  max_age: '1d',
  max_primary_shard_size: '50gb',
  max_docs: 50_000_000,
};

/**
 * Days after rollover at which ILM deletes a backing index. Enterprise limits are
 * per project, so its shared streams keep data for the largest allowed age and
 * `enforceRetention` applies each project's own days exactly.
 */
export function ilmDeleteDays(plan: Plan): number {
  if (plan === 'enterprise') return 3650;
  return PLAN_LIMITS[plan].maxAgeDays ?? ENTERPRISE_DEFAULT_LIMITS.maxAgeDays ?? 3650;
}

export function ilmPolicyRequest(names: ResourceNames, plan: Plan): estypes.IlmPutLifecycleRequest {
  return {
    name: names.ilmPolicy(plan),
    policy: {
      _meta: { managed_by: 'tooltrace', plan, schema_version: SCHEMA_VERSION },
      phases: {
        hot: { min_age: '0ms', actions: { rollover: ROLLOVER, set_priority: { priority: 100 } } },
        delete: { min_age: `${ilmDeleteDays(plan)}d`, actions: { delete: {} } },
      },
    },
  };
}

/**
 * Filter fields (IDs, names) are indexed at their full length up to 8 191
 * characters: the most Lucene's 32 766-byte term limit takes for any UTF-8
 * text (4 bytes a character at worst). A longer value could not be indexed at
 * all; below it, nothing is silently unfilterable (1 024 was, before issue 13).
 */
export const KEYWORD_MAX_CHARS = 8_191;
const keyword: estypes.MappingProperty = { type: 'keyword', ignore_above: KEYWORD_MAX_CHARS };
const date: estypes.MappingProperty = { type: 'date' };
/** Kept in `_source` for display, never searched. */
const storedOnly: estypes.MappingProperty = { type: 'text', index: false };

const LOG_PROPERTIES: Record<string, estypes.MappingProperty> = {
  '@timestamp': date,
  projectId: keyword,
  id: keyword,
  traceId: keyword,
  spanId: keyword,
  parentSpanId: keyword,
  source: keyword,
  // With `@timestamp` (epoch ms) the log's time to the nanosecond; only read back, for ordering.
  subMsNanos: { type: 'integer', index: false },
  level: keyword,
  kind: keyword,
  name: keyword,
  message: { type: 'match_only_text' },
  // Attribute keys are the customer's; flattened avoids a mapping explosion. Its depth
  // limit admits everything the collector accepts (AnyValue nesting, plus the attribute
  // map itself and the innermost key).
  attributes: { type: 'flattened', ignore_above: KEYWORD_MAX_CHARS, depth_limit: FLATTENED_DEPTH_LIMIT },
  durationMs: { type: 'double' },
  body: storedOnly,
  serviceName: keyword,
  // A span's links, shown with its trace and never searched: kept in _source, not indexed.
  links: { type: 'object', enabled: false },
};

const TOOL_CALL_PROPERTIES: Record<string, estypes.MappingProperty> = {
  '@timestamp': date,
  projectId: keyword,
  traceId: keyword,
  spanId: keyword,
  requestId: keyword,
  type: keyword,
  toolName: keyword,
  integration: keyword,
  userId: keyword,
  status: keyword,
  httpStatus: { type: 'integer' },
  errorCode: keyword,
  errorMessage: storedOnly,
  errorCategory: keyword,
  errorGroup: keyword,
  toolCallId: keyword,
  /** The span names no user itself: a later ancestor may give it one (user-inheritance.ts). */
  userInherited: { type: 'boolean' },
  startedAt: date,
  durationMs: { type: 'double' },
  parameters: storedOnly,
};

const TRIGGER_EVENT_PROPERTIES: Record<string, estypes.MappingProperty> = {
  projectId: keyword,
  traceId: keyword,
  eventId: keyword,
  type: keyword,
  triggerId: keyword,
  triggerName: keyword,
  integration: keyword,
  subscriptionModel: keyword,
  userIds: keyword,
  receivedAt: date,
  status: keyword,
  deliveryCount: { type: 'integer' },
  failedDeliveryCount: { type: 'integer' },
  /** Oldest time seen in the trace: retention drops whole traces by it. */
  firstSeenAt: date,
  /** The merged facts the status is recomputed from; read back, never searched. */
  state: { type: 'object', enabled: false },
};

const DELIVERY_PROPERTIES: Record<string, estypes.MappingProperty> = {
  projectId: keyword,
  deliveryId: keyword,
  traceIds: keyword,
  firstSeenAt: date,
  /** Every attempt, folded on read (trigger-fold.ts); never searched. */
  attempts: { type: 'object', enabled: false },
};

const PROJECT_PROPERTIES: Record<string, estypes.MappingProperty> = {
  projectId: keyword,
  name: keyword,
  plan: keyword,
  limits: { type: 'object', enabled: false },
  createdAt: date,
  logsDropped: { type: 'long' },
  /** Forwarding destinations: read whole with the project, never searched. */
  forwarding: { type: 'object', enabled: false },
  forwardingStatus: { type: 'object', enabled: false },
  redactionRules: { type: 'object', enabled: false },
  ingest: { type: 'object', enabled: false },
};

const KEY_PROPERTIES: Record<string, estypes.MappingProperty> = {
  projectId: keyword,
  role: keyword,
  createdAt: date,
};

/** The mappings of each part as this cluster can take them (`text` where it has no `match_only_text`). */
export function componentProperties(
  part: ComponentPart,
  capabilities: ClusterCapabilities = FULL_CAPABILITIES,
): Record<string, estypes.MappingProperty> {
  const properties = COMPONENT_PROPERTIES[part];
  if (capabilities.matchOnlyText || part !== 'logs-mappings') return properties;
  return { ...properties, message: { type: 'text' } };
}

export const COMPONENT_PROPERTIES: Record<ComponentPart, Record<string, estypes.MappingProperty>> = {
  'logs-mappings': LOG_PROPERTIES,
  'tool-calls-mappings': TOOL_CALL_PROPERTIES,
  'trigger-events-mappings': TRIGGER_EVENT_PROPERTIES,
  'deliveries-mappings': DELIVERY_PROPERTIES,
  'projects-mappings': PROJECT_PROPERTIES,
  'keys-mappings': KEY_PROPERTIES,
};

export function componentTemplateRequest(
  names: ResourceNames,
  part: ComponentPart,
  capabilities: ClusterCapabilities = FULL_CAPABILITIES,
): estypes.ClusterPutComponentTemplateRequest {
  return {
    name: names.componentTemplate(part),
    _meta: { managed_by: 'tooltrace', schema_version: SCHEMA_VERSION },
    template: {
      // Strict: a document of ours with an unmapped field is a bug, and should fail loudly.
      mappings: { dynamic: 'strict', properties: componentProperties(part, capabilities) },
    },
  };
}

/**
 * The data streams: one per record kind and plan. Whole backing indices age
 * out by the plan's ILM policy, or by data stream lifecycle where the cluster
 * has no ILM; with neither, only tooltrace's per-project sweep deletes.
 */
export function streamTemplateRequest(
  names: ResourceNames,
  kind: 'logs' | 'tool-calls',
  plan: Plan,
  age: AgeRetention = 'ilm',
): estypes.IndicesPutIndexTemplateRequest {
  const stream = kind === 'logs' ? names.logsStream(plan) : names.toolCallsStream(plan);
  const template: estypes.IndicesIndexTemplateSummary = { settings: { index: { number_of_shards: 1 } } };
  if (age === 'ilm') template.settings = { index: { lifecycle: { name: names.ilmPolicy(plan) }, number_of_shards: 1 } };
  if (age === 'data_stream_lifecycle') template.lifecycle = { data_retention: `${ilmDeleteDays(plan)}d` };
  return {
    name: names.indexTemplate(kind, plan),
    index_patterns: [stream],
    data_stream: {},
    priority: TEMPLATE_PRIORITY,
    composed_of: [names.componentTemplate(kind === 'logs' ? 'logs-mappings' : 'tool-calls-mappings')],
    template,
    _meta: { managed_by: 'tooltrace', schema_version: SCHEMA_VERSION },
  };
}

const REGULAR_KINDS = ['trigger-events', 'deliveries', 'projects', 'keys'] as const;
type RegularKind = (typeof REGULAR_KINDS)[number];

function regularIndexName(names: ResourceNames, kind: RegularKind): string {
  const byKind: Record<RegularKind, string> = {
    'trigger-events': names.triggerEvents,
    deliveries: names.deliveries,
    projects: names.projects,
    keys: names.keys,
  };
  return byKind[kind];
}

/** The regular (updatable) indices: templates so that mappings stay declared in one place. */
export function regularTemplateRequest(
  names: ResourceNames,
  kind: RegularKind,
): estypes.IndicesPutIndexTemplateRequest {
  const index = regularIndexName(names, kind);
  return {
    name: names.indexTemplate(kind),
    index_patterns: [index],
    priority: TEMPLATE_PRIORITY,
    composed_of: [names.componentTemplate(`${kind}-mappings`)],
    template: { settings: { index: { number_of_shards: 1 } } },
    _meta: { managed_by: 'tooltrace', schema_version: SCHEMA_VERSION },
  };
}

/** Everything `store init` creates or updates, in dependency order, for what this cluster offers. */
export function bootstrapPlan(
  names: ResourceNames,
  capabilities: ClusterCapabilities = FULL_CAPABILITIES,
): {
  policies: estypes.IlmPutLifecycleRequest[];
  components: estypes.ClusterPutComponentTemplateRequest[];
  templates: estypes.IndicesPutIndexTemplateRequest[];
  regularIndices: string[];
  dataStreams: string[];
} {
  return {
    policies: capabilities.ilm ? PLANS.map((plan) => ilmPolicyRequest(names, plan)) : [],
    components: (Object.keys(COMPONENT_PROPERTIES) as ComponentPart[]).map((part) =>
      componentTemplateRequest(names, part, capabilities),
    ),
    templates: [
      ...PLANS.flatMap((plan) => [
        streamTemplateRequest(names, 'logs', plan, ageRetentionOf(capabilities)),
        streamTemplateRequest(names, 'tool-calls', plan, ageRetentionOf(capabilities)),
      ]),
      ...REGULAR_KINDS.map((kind) => regularTemplateRequest(names, kind)),
    ],
    regularIndices: REGULAR_KINDS.map((kind) => regularIndexName(names, kind)),
    dataStreams: PLANS.flatMap((plan) => [names.logsStream(plan), names.toolCallsStream(plan)]),
  };
}
