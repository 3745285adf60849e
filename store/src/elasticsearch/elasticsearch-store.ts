/**
 * The Elasticsearch backend of the Store interface (DESIGN §1, §4–§6).
 *
 * Layout (names from names.ts, mappings from templates.ts):
 *  - logs and tool calls: append-only data streams per plan, `create` with
 *    natural-key IDs (a re-send is a per-item 409, counted as a duplicate,
 *    then updated in place: upserts.ts);
 *  - trigger traces: one mutable document per trace in a regular index,
 *    read-merged-written under optimistic concurrency (upserts.ts);
 *  - projects and hashed keys: regular indices, read by realtime GET (projects.ts);
 *  - retention: after writes, on a sweep and on demand (retention.ts).
 * This file opens the store and answers the reads. Every query is built in
 * queries.ts / retention-queries.ts with the project filter added there.
 */
import { Client, type estypes } from '@elastic/elasticsearch';
import {
  errorFields,
  type Logger,
  type Plan,
  type RedactionRules,
  type RetentionLimits,
  type StoredToolCall,
  type StoredTriggerEvent,
  silentLogger,
} from '@tooltrace/conventions';
import type { WritableBatch } from '../serialized-batch.ts';
import {
  type DestinationSettings,
  type ErrorGroupSummary,
  type ErrorGroupsRequest,
  type HistogramRequest,
  type IngestStatusStore,
  type KeyRole,
  type Page,
  type PageRequest,
  type Project,
  type ProjectWithKeys,
  type RetentionRun,
  type RetentionStatus,
  type Store,
  StoreUnavailableError,
  type ToolCallFacets,
  type ToolCallFilters,
  type TraceDetail,
  type TriggerEventDetail,
  type TriggerEventFacets,
  type TriggerEventFilters,
  type WriteResult,
} from '../store.ts';
import { checkedBatch } from '../validate-batch.ts';
import { bootstrapElasticsearch } from './bootstrap.ts';
import { appendActions, type BulkRunOptions } from './bulk.ts';
import { ageRetentionOf, type ClusterCapabilities, describeCapabilities, detectCapabilities } from './capabilities.ts';
import { type Cluster, sendBulk, unavailable } from './cluster.ts';
import { elasticsearchDestinations } from './destinations.ts';
import { traceDetail, tracesWithRecords, triggerEventDetail } from './details.ts';
import {
  type ToolCallDocument,
  type TriggerDocument,
  toolCallFromDocument,
  triggerEventFromDocument,
} from './documents.ts';
import { errorGroupsFromResponse, errorGroupsRequest } from './error-groups.ts';
import { elasticsearchIngestStatus } from './ingest-status.ts';
import { resourceNames } from './names.ts';
import { ProjectCache } from './project-cache.ts';
import {
  allProjectDocuments,
  authenticate,
  createProject,
  findProject,
  issueKeys,
  keyRolesOf,
  projectDocument,
  projectFromDocument,
  readRedactionRules,
  storePlan,
  storeRedactionRules,
} from './projects.ts';
import {
  listToolCallsRequest,
  listTriggerEventsRequest,
  TOOL_CALL_FACETS,
  TRIGGER_EVENT_FACETS,
  toolCallFacetsRequest,
  toolCallHistogramRequest,
  triggerEventFacetsRequest,
  triggerEventHistogramRequest,
} from './queries.ts';
import { facetValues, histogramBuckets, toPage } from './responses.ts';
import { RetentionEnforcer } from './retention.ts';
import { previewRetention } from './retention-preview.ts';
import { mergeTriggerTraces, resolveDeliveryFilter } from './triggers.ts';
import { updateInPlace } from './upserts.ts';
import { inheritUsers } from './user-inheritance.ts';
import { checkWriterOptions, withElasticsearchWriter } from './writer/writer-store.ts';

export interface ElasticsearchStoreOptions {
  /** Cluster URL (e.g. ELASTICSEARCH_URL); or pass a configured `client`. */
  node?: string;
  client?: Client;
  /** Prefix of every index, data stream, template and policy. Default `tooltrace`. */
  prefix?: string;
  /**
   * Refresh after writes so they are searchable at once: `wait_for` for tests
   * and demos; false (default) in production, where searches see writes within
   * the index refresh interval (1 s).
   */
  refresh?: boolean | 'wait_for';
  /** Put templates and policies at open (idempotent). Default true. */
  bootstrap?: boolean;
  now?: () => number;
  /** Period of the background retention sweep; 0 turns it off. Default one minute. */
  retentionSweepIntervalMs?: number;
  bulk?: BulkRunOptions;
  /** Where background failures (retention sweeps) are reported. Default: silent. */
  logger?: Logger;
  /** What the cluster offers, when the opener asked already (a writer worker): not asked again. */
  capabilities?: ClusterCapabilities;
  /**
   * `inline` (default): everything on the caller's thread and client. `worker`: the writing methods of the
   * ingest path and the retention sweep run in a writer worker thread with its own client
   * (./writer/writer-store.ts), reads stay here; needs `node` (not `client`), the system clock (no `now`).
   */
  writer?: 'inline' | 'worker';
  /** The writer worker's module, for tests that make it crash. */
  writerModule?: URL;
}

export async function openElasticsearchStore(options: ElasticsearchStoreOptions): Promise<Store> {
  if (!options.client && !options.node) throw new TypeError('openElasticsearchStore needs `node` (a URL) or `client`');
  if (options.writer === 'worker') checkWriterOptions(options);
  const client = options.client ?? new Client({ node: options.node as string });
  const names = resourceNames(options.prefix);
  const where = options.node ?? 'the configured Elasticsearch client';
  const logger = options.logger ?? silentLogger;
  let capabilities: ClusterCapabilities;
  try {
    capabilities = options.capabilities ?? (await detectCapabilities(client, names.prefix));
    if (options.bootstrap ?? true) await bootstrapElasticsearch(client, names, capabilities);
  } catch (error) {
    throw unavailable(error, where) ?? error;
  }
  const ageRetention = ageRetentionOf(capabilities);
  if (!options.capabilities) {
    logger.info({ cluster: where, capabilities, ageRetention }, `elasticsearch: ${describeCapabilities(capabilities)}`);
  }
  const refresh = options.refresh ?? false;
  const cluster: Cluster = { client, names, refresh, bulk: options.bulk, now: options.now ?? Date.now, capabilities };
  const sweepMs = options.retentionSweepIntervalMs ?? 60_000;
  if (options.writer !== 'worker') return new ElasticsearchStore(cluster, where, sweepMs, !options.client, logger);
  // The sweep deletes: it runs in the writer, with the other retention work.
  const reader = new ElasticsearchStore(cluster, where, 0, true, logger);
  const settings = { node: where, prefix: names.prefix, refresh, capabilities, retentionSweepIntervalMs: sweepMs };
  return withElasticsearchWriter(reader, { ...settings, bulk: options.bulk }, logger, options.writerModule);
}

class ElasticsearchStore implements Store {
  readonly destinations: DestinationSettings;
  readonly ingestStatus: IngestStatusStore;
  private readonly retention: RetentionEnforcer;
  private readonly projects: ProjectCache;
  private readonly sweep: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly cluster: Cluster,
    private readonly where: string,
    sweepIntervalMs: number,
    private readonly ownsClient: boolean,
    private readonly logger: Logger,
  ) {
    this.retention = new RetentionEnforcer(cluster);
    this.destinations = elasticsearchDestinations(cluster, (operation) => this.guard(operation));
    this.ingestStatus = elasticsearchIngestStatus(cluster, (operation) => this.guard(operation));
    this.projects = new ProjectCache(cluster);
    if (sweepIntervalMs > 0) {
      this.sweep = setInterval(() => {
        // A failed sweep (cluster briefly away) is retried next tick.
        this.enforceRetention().catch((error: unknown) => {
          this.logger.warn(
            { ...errorFields(error), cluster: this.where },
            'retention sweep failed; retried on the next tick',
          );
        });
      }, sweepIntervalMs);
      this.sweep.unref();
    }
  }

  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreUnavailableError(`Elasticsearch store for ${this.where} is closed`);
    try {
      return await operation();
    } catch (error) {
      throw unavailable(error, this.where) ?? error;
    }
  }

  // --- writes ---------------------------------------------------------------

  write(projectId: string, writable: WritableBatch): Promise<WriteResult> {
    return this.guard(async () => {
      const arriving = checkedBatch(writable);
      const project = await this.projects.get(projectId);
      const batch = await inheritUsers(this.cluster, projectId, arriving);
      const appended = await sendBulk(this.cluster, appendActions(this.cluster.names, project.plan, projectId, batch));
      if (appended.duplicates.length > 0) await updateInPlace(this.cluster, projectId, appended.duplicates);
      await mergeTriggerTraces(this.cluster, projectId, batch);
      const logIndex = this.cluster.names.logsStream(project.plan);
      const newLogs = appended.written.filter((a) => a.action?.create?._index === logIndex).length;
      return { logsDropped: await this.retention.afterWrite(project, newLogs, batch) };
    });
  }

  // --- lists ----------------------------------------------------------------

  listToolCalls(projectId: string, filters: ToolCallFilters, page: PageRequest): Promise<Page<StoredToolCall>> {
    return this.guard(async () => {
      const request = listToolCallsRequest(this.cluster.names, projectId, filters, page);
      const response = await this.cluster.client.search<ToolCallDocument>(request);
      return toPage('tool-calls', response.hits.hits, page.limit, toolCallFromDocument);
    });
  }

  listTriggerEvents(
    projectId: string,
    filters: TriggerEventFilters,
    page: PageRequest,
  ): Promise<Page<StoredTriggerEvent>> {
    return this.guard(async () => {
      const resolved = await resolveDeliveryFilter(this.cluster, projectId, filters);
      const request = listTriggerEventsRequest(this.cluster.names, projectId, resolved, page);
      const response = await this.cluster.client.search<TriggerDocument>(request);
      return toPage('trigger-events', response.hits.hits, page.limit, triggerEventFromDocument);
    });
  }

  // --- details --------------------------------------------------------------

  getTrace(projectId: string, traceId: string): Promise<TraceDetail | null> {
    return this.guard(() => traceDetail(this.cluster, projectId, traceId));
  }

  getTriggerEvent(projectId: string, eventId: string): Promise<TriggerEventDetail | null> {
    return this.guard(() => triggerEventDetail(this.cluster, projectId, eventId));
  }

  tracesWithRecords(projectId: string, traceIds: readonly string[]): Promise<Set<string>> {
    return this.guard(() => tracesWithRecords(this.cluster, projectId, traceIds));
  }

  // --- facets and histograms ------------------------------------------------

  toolCallFacets(projectId: string, filters: ToolCallFilters): Promise<ToolCallFacets> {
    return this.facets(toolCallFacetsRequest(this.cluster.names, projectId, filters), TOOL_CALL_FACETS);
  }

  async triggerEventFacets(projectId: string, filters: TriggerEventFilters): Promise<TriggerEventFacets> {
    const resolved = await this.guard(() => resolveDeliveryFilter(this.cluster, projectId, filters));
    return this.facets(triggerEventFacetsRequest(this.cluster.names, projectId, resolved), TRIGGER_EVENT_FACETS);
  }

  /** One search, one `filter` + `terms` aggregation per facet name. */
  private facets<F>(request: estypes.SearchRequest, names: Record<string, unknown>): Promise<F> {
    return this.guard(async () => {
      const response = await this.cluster.client.search(request);
      const facets = Object.keys(names).map((name) => [name, facetValues(response.aggregations, name)]);
      return Object.fromEntries(facets) as F;
    });
  }

  errorGroups(projectId: string, filters: ToolCallFilters, request: ErrorGroupsRequest): Promise<ErrorGroupSummary[]> {
    if (filters.status === 'success') return Promise.resolve([]);
    return this.guard(async () => {
      const response = await this.cluster.client.search(
        errorGroupsRequest(this.cluster.names, projectId, filters, request),
      );
      return errorGroupsFromResponse(request, response.aggregations);
    });
  }

  toolCallHistogram(projectId: string, filters: ToolCallFilters, request: HistogramRequest) {
    return this.histogram(request, () => toolCallHistogramRequest(this.cluster.names, projectId, filters, request));
  }

  triggerEventHistogram(projectId: string, filters: TriggerEventFilters, request: HistogramRequest) {
    return this.histogram(request, async () => {
      const resolved = await resolveDeliveryFilter(this.cluster, projectId, filters);
      return triggerEventHistogramRequest(this.cluster.names, projectId, resolved, request);
    });
  }

  /** One histogram search; every bucket of the request is listed, empty ones too. */
  private histogram(request: HistogramRequest, search: () => estypes.SearchRequest | Promise<estypes.SearchRequest>) {
    return this.guard(async () => {
      const response = await this.cluster.client.search(await search());
      return histogramBuckets(request, response.aggregations);
    });
  }

  // --- projects and keys ----------------------------------------------------

  createProject(input: { name: string; plan: Plan; limits?: Partial<RetentionLimits> }): Promise<ProjectWithKeys> {
    return this.guard(() => createProject(this.cluster, input));
  }

  listProjects(): Promise<Project[]> {
    return this.guard(async () => (await allProjectDocuments(this.cluster)).map(projectFromDocument));
  }

  getProject(projectId: string): Promise<Project | null> {
    return this.guard(async () => {
      const doc = await findProject(this.cluster, projectId);
      return doc ? projectFromDocument(doc) : null;
    });
  }

  authenticate(key: string): Promise<{ project: Project; role: KeyRole } | null> {
    return this.guard(() => authenticate(this.cluster, key));
  }

  rotateKeys(projectId: string): Promise<ProjectWithKeys> {
    return this.guard(async () => {
      this.projects.invalidate(projectId);
      return issueKeys(this.cluster, await projectDocument(this.cluster, projectId));
    });
  }

  keyRoles(projectId: string): Promise<KeyRole[]> {
    return this.guard(() => keyRolesOf(this.cluster, projectId));
  }

  getRedactionRules(projectId: string): Promise<RedactionRules> {
    return this.guard(() => readRedactionRules(this.cluster, projectId));
  }

  setRedactionRules(projectId: string, rules: RedactionRules): Promise<RedactionRules> {
    return this.guard(() => storeRedactionRules(this.cluster, projectId, rules));
  }

  setPlan(projectId: string, plan: Plan, limits?: Partial<RetentionLimits>): Promise<Project> {
    return this.guard(async () => {
      const updated = await storePlan(this.cluster, projectId, plan, limits);
      this.projects.invalidate(projectId);
      // Tighter limits apply at once rather than at the next write or sweep.
      await this.retention.enforce(updated, this.cluster.now());
      return projectFromDocument(updated);
    });
  }

  // --- retention ------------------------------------------------------------

  retentionStatus(projectId: string): Promise<RetentionStatus> {
    return this.guard(async () => {
      const doc = await projectDocument(this.cluster, projectId);
      const stats = await this.retention.readLogStats(projectId);
      return {
        plan: doc.plan,
        limits: doc.limits,
        logCount: stats.count,
        logsDropped: doc.logsDropped,
        oldestLogAtMs: stats.oldestMs,
        ageRetention: ageRetentionOf(this.cluster.capabilities),
      };
    });
  }

  previewRetention(projectId: string, limits: RetentionLimits, now?: number): Promise<RetentionRun> {
    return this.guard(async () => {
      await projectDocument(this.cluster, projectId);
      const logCount = async () => (await this.retention.readLogStats(projectId)).count;
      return previewRetention(this.cluster, projectId, limits, now ?? this.cluster.now(), logCount);
    });
  }

  enforceRetention(projectId?: string, now?: number): Promise<RetentionRun> {
    return this.guard(async () => {
      const at = now ?? this.cluster.now();
      const projects =
        projectId !== undefined
          ? [await projectDocument(this.cluster, projectId)]
          : await allProjectDocuments(this.cluster);
      const total: RetentionRun = { tracesDeleted: 0, logsDeleted: 0 };
      for (const project of projects) {
        const run = await this.retention.enforce(project, at);
        total.tracesDeleted += run.tracesDeleted;
        total.logsDeleted += run.logsDeleted;
      }
      return total;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.sweep) clearInterval(this.sweep);
    if (this.ownsClient) await this.cluster.client.close();
  }
}
