/**
 * The Elasticsearch backend of the Store interface (DESIGN §1, §4–§6).
 *
 * Layout (names from names.ts, mappings from templates.ts):
 *  - logs and tool calls: append-only data streams per plan, `create` with
 *    natural-key IDs (a re-send is a per-item 409, counted as a duplicate);
 *  - trigger traces: one mutable document per trace in a regular index,
 *    read-merged-written with `if_seq_no`/`if_primary_term` so concurrent
 *    writers of late spans never lose a fact (a 409 re-reads and re-merges);
 *  - projects and hashed keys: regular indices, read by realtime GET.
 * Every query is built in queries.ts / retention-queries.ts with the project
 * filter added there.
 */
import { isDeepStrictEqual } from 'node:util';
import { Client, errors as esErrors, type estypes } from '@elastic/elasticsearch';
import {
  buildSpanTree,
  compareUnixNano,
  type IngestBatch,
  type LogEntry,
  limitsFor,
  type Plan,
  parsePlan,
  type RetentionLimits,
  type ToolCall,
  type TriggerEvent,
} from '@tooltrace/conventions';
import { generateKey, generateProjectId, hashKey, roleOfKey } from '../keys.ts';
import { checkHistogram, checkProjectName, DAY_MS } from '../request-checks.ts';
import {
  type FacetValue,
  type HistogramBucket,
  type HistogramRequest,
  type KeyRole,
  type Page,
  type PageRequest,
  type Project,
  ProjectNotFoundError,
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
import { validateBatch } from '../validate-batch.ts';
import { bootstrapElasticsearch } from './bootstrap.ts';
import {
  appendActions,
  type BulkAction,
  type BulkDocument,
  type BulkRunOptions,
  inPlaceUpdateAction,
  type ReadVersion,
  runBulk,
  triggerAction,
  triggerDocumentId,
} from './bulk.ts';
import { type CursorList, encodeCursor, sortValuesOf } from './cursor.ts';
import {
  deliveriesOf,
  type LogDocument,
  logFromDocument,
  mergeTriggerDocument,
  type ToolCallDocument,
  type TriggerDocument,
  toolCallFromDocument,
  triggerEventFromDocument,
} from './documents.ts';
import { type ResourceNames, resourceNames } from './names.ts';
import {
  listToolCallsRequest,
  listTriggerEventsRequest,
  PROJECTS_PAGE,
  projectsPageRequest,
  TOOL_CALL_FACETS,
  TRIGGER_EVENT_FACETS,
  toolCallFacetsRequest,
  toolCallHistogramRequest,
  traceLogsRequest,
  traceToolCallsRequest,
  triggerEventByIdRequest,
  triggerEventFacetsRequest,
  triggerEventHistogramRequest,
} from './queries.ts';
import {
  DELETE_CHUNK,
  deleteTracesRequests,
  expiredTracesRequest,
  logStatsRequest,
  MAX_FROM,
  nthOldestLogRequest,
  oldestTracesRequest,
  storedCopiesRequest,
  traceLogCountsRequest,
} from './retention-queries.ts';

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
}

/**
 * Write-time count checks let a project run this far over its cap before
 * enforcing, so a project sitting at its cap pays for one enforcement per 1 % of
 * its cap in new logs, not one per batch. The sweep and `enforceRetention` cut
 * to the exact cap.
 */
export function writeTimeSlack(maxLogs: number): number {
  return Math.ceil(maxLogs * 0.01);
}

/** Re-merges of a trigger trace that lost an optimistic-concurrency race, before giving up. */
const MAX_MERGE_ROUNDS = 10;
/** Bound on retention rounds per project per run; each round removes at least one trace. */
const MAX_RETENTION_ROUNDS = 1_000;

interface ProjectDocument {
  projectId: string;
  name: string;
  plan: Plan;
  limits: RetentionLimits;
  createdAt: string;
  logsDropped: number;
}

interface KeyDocument {
  projectId: string;
  role: KeyRole;
  createdAt: string;
}

export async function openElasticsearchStore(options: ElasticsearchStoreOptions): Promise<Store> {
  if (!options.client && !options.node) throw new TypeError('openElasticsearchStore needs `node` (a URL) or `client`');
  const client = options.client ?? new Client({ node: options.node as string });
  const names = resourceNames(options.prefix);
  const where = options.node ?? 'the configured Elasticsearch client';
  try {
    if (options.bootstrap ?? true) await bootstrapElasticsearch(client, names);
  } catch (error) {
    throw unavailable(error, where) ?? error;
  }
  return new ElasticsearchStore(client, names, where, options, !options.client);
}

/** Connection-level failures become StoreUnavailableError naming the cluster; anything else passes through. */
function unavailable(error: unknown, where: string): StoreUnavailableError | null {
  if (
    error instanceof esErrors.ConnectionError ||
    error instanceof esErrors.NoLivingConnectionsError ||
    error instanceof esErrors.TimeoutError
  ) {
    return new StoreUnavailableError(`Elasticsearch at ${where} is unreachable: ${error.message}`, { cause: error });
  }
  const status = (error as { meta?: { statusCode?: number } })?.meta?.statusCode;
  if (status === 401 || status === 403 || status === 503) {
    return new StoreUnavailableError(
      `Elasticsearch at ${where} refused the request (${status}): ${(error as Error).message}`,
      { cause: error },
    );
  }
  return null;
}

function isNotFound(error: unknown): boolean {
  return (error as { meta?: { statusCode?: number } })?.meta?.statusCode === 404;
}

function projectFromDocument(doc: ProjectDocument): Project {
  return { projectId: doc.projectId, name: doc.name, plan: doc.plan, limits: doc.limits, createdAt: doc.createdAt };
}

function facetValues(aggregations: Record<string, estypes.AggregationsAggregate> | undefined, name: string) {
  const facet = aggregations?.[name] as { values?: estypes.AggregationsStringTermsAggregate } | undefined;
  const buckets = (facet?.values?.buckets ?? []) as estypes.AggregationsStringTermsBucket[];
  return buckets.map((b): FacetValue => ({ value: String(b.key), count: b.doc_count }));
}

class ElasticsearchStore implements Store {
  private readonly now: () => number;
  private readonly refresh: boolean | 'wait_for';
  private readonly sweep: NodeJS.Timeout | undefined;
  /** Last known log count and oldest log per project: the cheap post-write retention check. */
  private readonly logStats = new Map<string, { count: number; oldestMs: number | null }>();
  private closed = false;

  constructor(
    private readonly client: Client,
    private readonly names: ResourceNames,
    private readonly where: string,
    private readonly options: ElasticsearchStoreOptions,
    private readonly ownsClient: boolean,
  ) {
    this.now = options.now ?? Date.now;
    this.refresh = options.refresh ?? false;
    const interval = options.retentionSweepIntervalMs ?? 60_000;
    if (interval > 0) {
      this.sweep = setInterval(() => {
        // A failed sweep (cluster briefly away) is simply retried next tick.
        this.enforceRetention().catch(() => {});
      }, interval);
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

  write(projectId: string, batch: IngestBatch): Promise<WriteResult> {
    return this.guard(async () => {
      validateBatch(batch);
      const project = await this.projectDocument(projectId);
      const send = (operations: estypes.BulkRequest['operations']) =>
        this.client.bulk({ operations, refresh: this.refresh });
      const appended = await runBulk(
        send,
        appendActions(this.names, project.plan, projectId, batch),
        this.options.bulk,
      );
      if (appended.duplicates.length > 0) await this.updateInPlace(projectId, appended.duplicates);
      await this.mergeTriggerTraces(projectId, batch);
      const logIndex = this.names.logsStream(project.plan);
      const newLogs = appended.written.filter((a) => a.action?.create?._index === logIndex).length;
      return { logsDropped: await this.afterWrite(project, newLogs, batch) };
    });
  }

  /**
   * Every record is an upsert (DESIGN §4): a re-sent log or tool call that
   * changed replaces its stored copy (every copy, should a re-send have
   * straddled a rollover); an identical re-send costs one search and no write.
   */
  private async updateInPlace(projectId: string, duplicates: BulkAction[]): Promise<void> {
    let pending = duplicates;
    for (let round = 0; pending.length > 0; round++) {
      if (round >= MAX_MERGE_ROUNDS) throw new Error('re-sent records kept changing under concurrent writers');
      const byId = new Map(pending.map((a) => [a.action?.create?._id as string, a.document]));
      const search = () =>
        this.client.search<BulkDocument>(storedCopiesRequest(this.names, projectId, [...byId.keys()]));
      let hits = (await search()).hits.hits;
      if (new Set(hits.map((h) => h._id)).size < byId.size) {
        // A copy created moments ago may not be searchable yet: make it so, once.
        await this.refreshLogs();
        hits = (await search()).hits.hits;
      }
      const updates: BulkAction[] = [];
      for (const hit of hits) {
        const document = hit._id ? byId.get(hit._id) : undefined;
        if (!document || isDeepStrictEqual(hit._source, JSON.parse(JSON.stringify(document)))) continue;
        if (typeof hit._seq_no !== 'number' || typeof hit._primary_term !== 'number' || !hit._id) {
          throw new Error(`Elasticsearch returned ${hit._index}/${hit._id} without _seq_no/_primary_term`);
        }
        const version = { _index: hit._index, _id: hit._id, _seq_no: hit._seq_no, _primary_term: hit._primary_term };
        updates.push(inPlaceUpdateAction(version, document));
      }
      if (updates.length === 0) return;
      const send = (operations: estypes.BulkRequest['operations']) =>
        this.client.bulk({ operations, refresh: this.refresh });
      const result = await runBulk(send, updates, this.options.bulk);
      // Lost a race with another writer of the same record: re-read and compare again.
      const lostIds = new Set(result.conflicts.map((a) => a.action?.index?._id));
      pending = pending.filter((a) => lostIds.has(a.action?.create?._id));
    }
  }

  /** Groups the batch's trigger facts by trace and merges each trace's document, re-merging on a lost race. */
  private async mergeTriggerTraces(projectId: string, batch: IngestBatch): Promise<void> {
    const byTrace = new Map<string, { triggers: IngestBatch['triggers']; attempts: IngestBatch['deliveryAttempts'] }>();
    const entry = (traceId: string) => {
      const existing = byTrace.get(traceId);
      if (existing) return existing;
      const created: { triggers: IngestBatch['triggers']; attempts: IngestBatch['deliveryAttempts'] } = {
        triggers: [],
        attempts: [],
      };
      byTrace.set(traceId, created);
      return created;
    };
    for (const fact of batch.triggers) entry(fact.traceId).triggers.push(fact);
    for (const fact of batch.deliveryAttempts) entry(fact.traceId).attempts.push(fact);
    let pending = [...byTrace.keys()];
    for (let round = 0; pending.length > 0; round++) {
      if (round >= MAX_MERGE_ROUNDS) {
        throw new Error(`trigger traces kept changing under concurrent writers: ${pending.join(', ')}`);
      }
      const current = await this.readTriggerDocuments(projectId, pending);
      const actions: BulkAction[] = pending.map((traceId) => {
        const facts = byTrace.get(traceId) as {
          triggers: IngestBatch['triggers'];
          attempts: IngestBatch['deliveryAttempts'];
        };
        const existing = current.get(traceId) ?? null;
        const merged = mergeTriggerDocument(existing?.doc ?? null, projectId, traceId, facts.triggers, facts.attempts);
        return triggerAction(this.names, merged, existing?.version ?? null);
      });
      const send = (operations: estypes.BulkRequest['operations']) =>
        this.client.bulk({ operations, refresh: this.refresh });
      const result = await runBulk(send, actions, this.options.bulk);
      // A 409 on `create` means another writer created the document first: re-merge it too.
      const createdElsewhere = actions.length - result.written.length - result.conflicts.length;
      const lost = [...result.conflicts];
      if (createdElsewhere > 0) {
        const written = new Set(result.written);
        for (const action of actions) if (!written.has(action) && !lost.includes(action)) lost.push(action);
      }
      pending = lost.map((a) => (a.document as TriggerDocument).traceId);
    }
  }

  private async readTriggerDocuments(
    projectId: string,
    traceIds: readonly string[],
  ): Promise<Map<string, { doc: TriggerDocument; version: ReadVersion }>> {
    const found = new Map<string, { doc: TriggerDocument; version: ReadVersion }>();
    if (traceIds.length === 0) return found;
    const response = await this.client.mget<TriggerDocument>({
      index: this.names.triggerEvents,
      ids: traceIds.map((traceId) => triggerDocumentId(projectId, traceId)),
    });
    for (const item of response.docs) {
      if (!('found' in item) || !item.found || !item._source) continue;
      const doc = item._source;
      if (doc.projectId !== projectId) continue;
      if (typeof item._seq_no !== 'number' || typeof item._primary_term !== 'number') {
        // Without them the write back would be unconditional and could lose a concurrent writer's facts.
        throw new Error(`Elasticsearch returned ${this.names.triggerEvents}/${item._id} without _seq_no/_primary_term`);
      }
      found.set(doc.traceId, { doc, version: { seqNo: item._seq_no, primaryTerm: item._primary_term } });
    }
    return found;
  }

  /** The cheap post-write check: cached figures, a search only on a project's first write in this process. */
  private async afterWrite(project: ProjectDocument, newLogs: number, batch: IngestBatch): Promise<number> {
    const { maxLogs, maxAgeDays } = project.limits;
    if (maxLogs === null && maxAgeDays === null) return 0;
    let stats = this.logStats.get(project.projectId);
    if (!stats) stats = await this.readLogStats(project.projectId);
    else {
      stats.count += newLogs;
      for (const log of batch.logs) {
        const at = Date.parse(log.timestamp);
        if (stats.oldestMs === null || at < stats.oldestMs) stats.oldestMs = at;
      }
    }
    const now = this.now();
    const overCount = maxLogs !== null && stats.count > maxLogs + writeTimeSlack(maxLogs);
    const tooOld = maxAgeDays !== null && stats.oldestMs !== null && stats.oldestMs < now - maxAgeDays * DAY_MS;
    if (!overCount && !tooOld) return 0;
    return (await this.enforceProject(project, now)).logsDeleted;
  }

  private async readLogStats(projectId: string): Promise<{ count: number; oldestMs: number | null }> {
    if (this.refresh === false) await this.refreshLogs();
    const response = await this.client.search(logStatsRequest(this.names, projectId));
    const total = response.hits.total;
    const count = typeof total === 'number' ? total : (total?.value ?? 0);
    const oldest = (response.aggregations?.oldest as estypes.AggregationsMinAggregate | undefined)?.value ?? null;
    const stats = { count, oldestMs: oldest };
    this.logStats.set(projectId, stats);
    return stats;
  }

  private async refreshLogs(): Promise<void> {
    await this.client.indices.refresh({
      index: [this.names.logsPattern, this.names.toolCallsPattern, this.names.triggerEvents],
      allow_no_indices: true,
      ignore_unavailable: true,
    });
  }

  // --- lists ----------------------------------------------------------------

  listToolCalls(projectId: string, filters: ToolCallFilters, page: PageRequest): Promise<Page<ToolCall>> {
    return this.guard(async () => {
      const request = listToolCallsRequest(this.names, projectId, filters, page);
      const response = await this.client.search<ToolCallDocument>(request);
      return this.toPage('tool-calls', response.hits.hits, page.limit, toolCallFromDocument);
    });
  }

  listTriggerEvents(projectId: string, filters: TriggerEventFilters, page: PageRequest): Promise<Page<TriggerEvent>> {
    return this.guard(async () => {
      const request = listTriggerEventsRequest(this.names, projectId, filters, page);
      const response = await this.client.search<TriggerDocument>(request);
      return this.toPage('trigger-events', response.hits.hits, page.limit, triggerEventFromDocument);
    });
  }

  private toPage<D, T>(
    list: CursorList,
    hits: estypes.SearchHit<D>[],
    limit: number,
    fromDocument: (doc: D) => T,
  ): Page<T> {
    const more = hits.length > limit;
    const items = more ? hits.slice(0, limit) : hits;
    const last = items.at(-1);
    return {
      items: items.map((hit) => fromDocument(hit._source as D)),
      nextCursor: more && last ? encodeCursor(list, sortValuesOf(list, last.sort)) : null,
    };
  }

  // --- details --------------------------------------------------------------

  getTrace(projectId: string, traceId: string): Promise<TraceDetail | null> {
    return this.guard(async () => {
      const [calls, triggers, logs] = await Promise.all([
        this.client.search<ToolCallDocument>(traceToolCallsRequest(this.names, projectId, traceId)),
        this.readTriggerDocuments(projectId, [traceId]),
        this.traceLogs(projectId, traceId),
      ]);
      const toolCalls = dedupe(
        calls.hits.hits.map((h) => toolCallFromDocument(h._source as ToolCallDocument)),
        (c) => c.spanId,
      );
      const triggerEvents = [...triggers.values()].map(({ doc }) => triggerEventFromDocument(doc));
      if (toolCalls.length === 0 && triggerEvents.length === 0 && logs.length === 0) return null;
      return { toolCalls, triggerEvents, logs, spans: buildSpanTree(logs) };
    });
  }

  getTriggerEvent(projectId: string, eventId: string): Promise<TriggerEventDetail | null> {
    return this.guard(async () => {
      const response = await this.client.search<TriggerDocument>(
        triggerEventByIdRequest(this.names, projectId, eventId),
      );
      const doc = response.hits.hits[0]?._source;
      if (!doc) return null;
      return {
        event: triggerEventFromDocument(doc),
        deliveries: deliveriesOf(doc),
        logs: await this.traceLogs(projectId, doc.traceId),
      };
    });
  }

  /**
   * Every log of a trace, in time order. A re-sent log that straddled a
   * rollover exists once per backing index (IDs are unique per index only),
   * so logs are de-duplicated by their ID here.
   */
  private async traceLogs(projectId: string, traceId: string): Promise<LogEntry[]> {
    const logs: LogEntry[] = [];
    let after: estypes.SortResults | undefined;
    for (;;) {
      const response = await this.client.search<LogDocument>(traceLogsRequest(this.names, projectId, traceId, after));
      const hits = response.hits.hits;
      for (const hit of hits) logs.push(logFromDocument(hit._source as LogDocument));
      const last = hits.at(-1);
      if (!last || hits.length < 10_000) break;
      after = last.sort;
    }
    return dedupe(logs, (l) => l.id).sort(
      (a, b) => compareUnixNano(a.timeUnixNano, b.timeUnixNano) || (a.id < b.id ? -1 : 1),
    );
  }

  // --- facets and histograms ------------------------------------------------

  toolCallFacets(projectId: string, filters: ToolCallFilters): Promise<ToolCallFacets> {
    return this.guard(async () => {
      const response = await this.client.search(toolCallFacetsRequest(this.names, projectId, filters));
      const facets = Object.fromEntries(
        Object.keys(TOOL_CALL_FACETS).map((name) => [name, facetValues(response.aggregations, name)]),
      );
      return facets as unknown as ToolCallFacets;
    });
  }

  triggerEventFacets(projectId: string, filters: TriggerEventFilters): Promise<TriggerEventFacets> {
    return this.guard(async () => {
      const response = await this.client.search(triggerEventFacetsRequest(this.names, projectId, filters));
      const facets = Object.fromEntries(
        Object.keys(TRIGGER_EVENT_FACETS).map((name) => [name, facetValues(response.aggregations, name)]),
      );
      return facets as unknown as TriggerEventFacets;
    });
  }

  toolCallHistogram(
    projectId: string,
    filters: ToolCallFilters,
    request: HistogramRequest,
  ): Promise<HistogramBucket[]> {
    return this.guard(async () => {
      const response = await this.client.search(toolCallHistogramRequest(this.names, projectId, filters, request));
      return histogramBuckets(request, response.aggregations);
    });
  }

  triggerEventHistogram(
    projectId: string,
    filters: TriggerEventFilters,
    request: HistogramRequest,
  ): Promise<HistogramBucket[]> {
    return this.guard(async () => {
      const response = await this.client.search(triggerEventHistogramRequest(this.names, projectId, filters, request));
      return histogramBuckets(request, response.aggregations);
    });
  }

  // --- projects and keys ----------------------------------------------------

  createProject(input: { name: string; plan: Plan; limits?: Partial<RetentionLimits> }): Promise<ProjectWithKeys> {
    return this.guard(async () => {
      const plan = parsePlan(input.plan);
      const doc: ProjectDocument = {
        projectId: generateProjectId(),
        name: checkProjectName(input.name),
        plan,
        limits: limitsFor(plan, input.limits),
        createdAt: new Date(this.now()).toISOString(),
        logsDropped: 0,
      };
      await this.client.create({ index: this.names.projects, id: doc.projectId, document: doc, refresh: 'wait_for' });
      return this.issueKeys(doc);
    });
  }

  private async issueKeys(doc: ProjectDocument): Promise<ProjectWithKeys> {
    const ingestKey = generateKey('ingest');
    const readKey = generateKey('read');
    const createdAt = new Date(this.now()).toISOString();
    const keyIds: string[] = [];
    for (const [key, role] of [
      [ingestKey, 'ingest'],
      [readKey, 'read'],
    ] as const) {
      const id = hashKey(key).toString('hex');
      keyIds.push(id);
      const document: KeyDocument = { projectId: doc.projectId, role, createdAt };
      await this.client.create({ index: this.names.keys, id, document, refresh: 'wait_for' });
    }
    // Old keys go only after the new ones exist, so the project is never without a key.
    await this.client.deleteByQuery({
      index: this.names.keys,
      query: { bool: { filter: [{ term: { projectId: doc.projectId } }], must_not: [{ ids: { values: keyIds } }] } },
      refresh: true,
      conflicts: 'proceed',
    });
    return { project: projectFromDocument(doc), ingestKey, readKey };
  }

  listProjects(): Promise<Project[]> {
    return this.guard(async () => (await this.allProjectDocuments()).map(projectFromDocument));
  }

  getProject(projectId: string): Promise<Project | null> {
    return this.guard(async () => {
      const doc = await this.findProject(projectId);
      return doc ? projectFromDocument(doc) : null;
    });
  }

  private async findProject(projectId: string): Promise<ProjectDocument | null> {
    if (typeof projectId !== 'string' || projectId.length === 0 || projectId.length > 200) return null;
    try {
      const response = await this.client.get<ProjectDocument>({ index: this.names.projects, id: projectId });
      return response.found && response._source ? response._source : null;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  private async projectDocument(projectId: string): Promise<ProjectDocument> {
    const doc = await this.findProject(projectId);
    if (!doc) throw new ProjectNotFoundError(projectId);
    return doc;
  }

  authenticate(key: string): Promise<{ project: Project; role: KeyRole } | null> {
    return this.guard(async () => {
      if (typeof key !== 'string' || roleOfKey(key) === null) return null;
      let found: KeyDocument | undefined;
      try {
        const response = await this.client.get<KeyDocument>({
          index: this.names.keys,
          id: hashKey(key).toString('hex'),
        });
        found = response.found ? response._source : undefined;
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      if (!found || found.role !== roleOfKey(key)) return null;
      const project = await this.findProject(found.projectId);
      return project ? { project: projectFromDocument(project), role: found.role } : null;
    });
  }

  rotateKeys(projectId: string): Promise<ProjectWithKeys> {
    return this.guard(async () => this.issueKeys(await this.projectDocument(projectId)));
  }

  setPlan(projectId: string, plan: Plan, limits?: Partial<RetentionLimits>): Promise<Project> {
    return this.guard(async () => {
      const resolved = limitsFor(parsePlan(plan), limits);
      const doc = await this.projectDocument(projectId);
      const updated: ProjectDocument = { ...doc, plan, limits: resolved };
      await this.client.update({
        index: this.names.projects,
        id: projectId,
        doc: { plan, limits: resolved },
        refresh: 'wait_for',
      });
      // Tighter limits apply at once rather than at the next write or sweep.
      await this.enforceProject(updated, this.now());
      return projectFromDocument(updated);
    });
  }

  // --- retention ------------------------------------------------------------

  retentionStatus(projectId: string): Promise<RetentionStatus> {
    return this.guard(async () => {
      const doc = await this.projectDocument(projectId);
      const stats = await this.readLogStats(projectId);
      return {
        plan: doc.plan,
        limits: doc.limits,
        logCount: stats.count,
        logsDropped: doc.logsDropped,
        oldestLogAt: stats.oldestMs === null ? null : new Date(stats.oldestMs).toISOString(),
      };
    });
  }

  enforceRetention(projectId?: string, now?: number): Promise<RetentionRun> {
    return this.guard(async () => {
      const at = now ?? this.now();
      const projects =
        projectId !== undefined ? [await this.projectDocument(projectId)] : await this.allProjectDocuments();
      const total: RetentionRun = { tracesDeleted: 0, logsDeleted: 0 };
      for (const project of projects) {
        const run = await this.enforceProject(project, at);
        total.tracesDeleted += run.tracesDeleted;
        total.logsDeleted += run.logsDeleted;
      }
      return total;
    });
  }

  /** Every project, oldest first, paged with `search_after` (no 10 000-hit ceiling). */
  private async allProjectDocuments(): Promise<ProjectDocument[]> {
    const projects: ProjectDocument[] = [];
    let after: estypes.SortResults | undefined;
    for (;;) {
      const response = await this.client.search<ProjectDocument>(projectsPageRequest(this.names, after));
      const hits = response.hits.hits;
      for (const hit of hits) projects.push(hit._source as ProjectDocument);
      const last = hits.at(-1);
      if (!last || hits.length < PROJECTS_PAGE) return projects;
      after = last.sort;
    }
  }

  /** Age first (every trace with a record past the cutoff), then the count cap (oldest traces first). */
  private async enforceProject(project: ProjectDocument, now: number): Promise<RetentionRun> {
    const run: RetentionRun = { tracesDeleted: 0, logsDeleted: 0 };
    const { maxAgeDays, maxLogs } = project.limits;
    await this.refreshLogs();
    if (maxAgeDays !== null) {
      const cutoff = now - maxAgeDays * DAY_MS;
      for (let round = 0; round < MAX_RETENTION_ROUNDS; round++) {
        const response = await this.client.search(expiredTracesRequest(this.names, project.projectId, cutoff));
        const agg = response.aggregations?.traces as estypes.AggregationsCompositeAggregate | undefined;
        const traceIds = ((agg?.buckets ?? []) as estypes.AggregationsCompositeBucket[]).map((b) =>
          String(b.key.traceId),
        );
        if (traceIds.length === 0) break;
        await this.deleteTraces(project.projectId, traceIds, run);
      }
    }
    if (maxLogs !== null) {
      for (let round = 0; round < MAX_RETENTION_ROUNDS; round++) {
        const { count } = await this.readLogStats(project.projectId);
        const excess = count - maxLogs;
        if (excess <= 0) break;
        const traceIds = await this.oldestTracesCovering(project.projectId, excess);
        if (traceIds.length === 0) break;
        await this.deleteTraces(project.projectId, traceIds, run);
      }
    }
    if (run.logsDeleted > 0) {
      await this.client.update({
        index: this.names.projects,
        id: project.projectId,
        script: {
          source: 'ctx._source.logsDropped = (ctx._source.logsDropped ?: 0) + params.n',
          params: { n: run.logsDeleted },
        },
        retry_on_conflict: 5,
        refresh: 'wait_for',
      });
    }
    this.logStats.delete(project.projectId);
    return run;
  }

  /**
   * The oldest traces (by first log) whose logs add up to at least `excess`:
   * the cut is at the excess-th oldest log (or the 10 000th, for a later round),
   * and traces are taken in age order until enough logs are covered.
   */
  private async oldestTracesCovering(projectId: string, excess: number): Promise<string[]> {
    const nth = await this.client.search(nthOldestLogRequest(this.names, projectId, Math.min(excess, MAX_FROM + 1)));
    const cutoff = nth.hits.hits[0]?.sort?.[0];
    if (typeof cutoff !== 'number') return [];
    const window = await this.client.search(oldestTracesRequest(this.names, projectId, cutoff));
    const candidates = (
      (window.aggregations?.traces as estypes.AggregationsStringTermsAggregate | undefined)?.buckets as
        | estypes.AggregationsStringTermsBucket[]
        | undefined
    )?.map((b) => String(b.key));
    if (!candidates || candidates.length === 0) return [];
    const counts = await this.client.search(traceLogCountsRequest(this.names, projectId, candidates));
    const countOf = new Map(
      (
        (counts.aggregations?.traces as estypes.AggregationsStringTermsAggregate | undefined)?.buckets as
          | estypes.AggregationsStringTermsBucket[]
          | undefined
      )?.map((b) => [String(b.key), b.doc_count]),
    );
    const chosen: string[] = [];
    let covered = 0;
    for (const traceId of candidates) {
      if (covered >= excess) break;
      chosen.push(traceId);
      covered += countOf.get(traceId) ?? 0;
    }
    return chosen;
  }

  private async deleteTraces(projectId: string, traceIds: string[], run: RetentionRun): Promise<void> {
    for (let i = 0; i < traceIds.length; i += DELETE_CHUNK) {
      const chunk = traceIds.slice(i, i + DELETE_CHUNK);
      const requests = deleteTracesRequests(this.names, projectId, chunk);
      const logs = await this.client.deleteByQuery(requests.logs);
      await this.client.deleteByQuery(requests.records);
      run.tracesDeleted += chunk.length;
      run.logsDeleted += logs.deleted ?? 0;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.sweep) clearInterval(this.sweep);
    if (this.ownsClient) await this.client.close();
  }
}

function dedupe<T>(items: T[], keyOf: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = keyOf(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Every bucket from `from` to `to`, counts filled from the date histogram (empty buckets have no counts). */
export function histogramBuckets(
  request: HistogramRequest,
  aggregations: Record<string, estypes.AggregationsAggregate> | undefined,
): HistogramBucket[] {
  const { from, to, bucketMs } = checkHistogram(request);
  const buckets: HistogramBucket[] = Array.from({ length: Math.ceil((to - from) / bucketMs) }, (_, i) => ({
    start: from + i * bucketMs,
    counts: {},
  }));
  const histogram = aggregations?.buckets as estypes.AggregationsDateHistogramAggregate | undefined;
  for (const bucket of (histogram?.buckets ?? []) as estypes.AggregationsDateHistogramBucket[]) {
    const index = Math.floor((Number(bucket.key) - from) / bucketMs);
    const target = buckets[index];
    const statuses = (bucket as unknown as { statuses?: estypes.AggregationsStringTermsAggregate }).statuses;
    if (!target || !statuses) continue;
    for (const s of statuses.buckets as estypes.AggregationsStringTermsBucket[]) {
      target.counts[String(s.key)] = (target.counts[String(s.key)] ?? 0) + s.doc_count;
    }
  }
  return buckets;
}
