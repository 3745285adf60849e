/**
 * The embedded SQLite backend of {@link Store} on better-sqlite3: WAL so
 * readers never block the writer (and `tooltrace project …` works while
 * `tooltrace start` runs), a busy timeout for the second writer, one
 * transaction per write.
 */
import {
  errorFields,
  type Logger,
  limitsFor,
  type Plan,
  parsePlan,
  type RedactionRules,
  type RetentionLimits,
  type StoredToolCall,
  silentLogger,
  TOOL_CALL_STATUSES,
  TRIGGER_EVENT_STATUSES,
} from '@tooltrace/conventions';
import type Database from 'better-sqlite3';
import { checkRedactionRules } from '../redaction-rules.ts';
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
  type TimeRange,
  type ToolCallFacets,
  type ToolCallFilters,
  type TraceDetail,
  type TriggerEventDetail,
  type TriggerEventFacets,
  type TriggerEventFilters,
  type WriteResult,
} from '../store.ts';
import { checkedBatch } from '../validate-batch.ts';
import { WalCheckpointer } from './checkpoint/wal-checkpointer.ts';
import { asUnavailable, truncateWal } from './connection.ts';
import { sqliteDestinations } from './destinations.ts';
import { traceDetail, tracesWithRecords, triggerEventDetail } from './details.ts';
import { errorGroups } from './error-groups.ts';
import { toolCallFacets, triggerEventFacets } from './facets.ts';
import { toolCallWhere, triggerEventWhere, type Where } from './filters.ts';
import { applyBatch } from './ingest.ts';
import { sqliteIngestStatus } from './ingest-status.ts';
import type { SqliteStoreOptions } from './open-store.ts';
import {
  allProjectRows,
  authenticateKey,
  findProjectRow,
  insertProject,
  keyRolesOf,
  projectRow,
  readRedactionRules,
  replaceKeys,
  updatePlan,
  writeRedactionRules,
} from './projects.ts';
import { histogramBuckets, listPage } from './queries.ts';
import {
  enforceProjectRetention,
  previewProjectRetention,
  type RetentionStep,
  retentionDue,
  retentionStatusOf,
} from './retention.ts';
import { RetentionRuns } from './retention-runs.ts';
import {
  type ProjectRow,
  projectFromRow,
  type ToolCallRow,
  type TriggerEventRow,
  toolCallFromRow,
  triggerEventFromRow,
} from './rows.ts';
import { Statements } from './statements.ts';

/** Traces one retention transaction may delete (a few ms of lock each). */
const RETENTION_STEP_TRACES = 500;

export class SqliteStore implements Store {
  readonly destinations: DestinationSettings;
  readonly ingestStatus: IngestStatusStore;
  private readonly s: Statements;
  private readonly now: () => number;
  private readonly busyTimeoutMs: number;
  private readonly sweep: NodeJS.Timeout | undefined;
  private readonly retention: RetentionRuns;
  private closed = false;
  private readonly logger: Logger;
  private readonly checkpointer: WalCheckpointer | null;

  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
    options: SqliteStoreOptions,
  ) {
    this.s = new Statements(db);
    this.now = options.now ?? Date.now;
    this.busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    const inTransaction = <T>(operation: () => T) => this.guard(() => this.db.transaction(operation).immediate());
    this.destinations = sqliteDestinations(this.s, inTransaction, this.now);
    const inSnapshot = <T>(operation: () => T) => this.guard(() => this.snapshot(operation));
    this.ingestStatus = sqliteIngestStatus(this.s, { write: inTransaction, read: inSnapshot }, this.now);
    this.logger = options.logger ?? silentLogger;
    const checkpoints = options.backgroundCheckpoints ?? false;
    this.checkpointer =
      checkpoints === false || file === ':memory:'
        ? null
        : new WalCheckpointer(db, file, this.logger, checkpoints === true ? {} : checkpoints);
    this.retention = new RetentionRuns({
      step: (projectId, now) =>
        this.guarded(() => this.db.transaction(() => this.retentionStep(projectId, now)).immediate()),
      now: this.now,
      logger: this.logger,
      file,
    });
    const interval = options.retentionSweepIntervalMs ?? 60_000;
    if (interval > 0) {
      this.sweep = setInterval(
        () =>
          void this.retention.sweepOnce(async () => {
            await this.enforceRetention();
            if (!this.closed) truncateWal(this.db, this.file, this.busyTimeoutMs);
          }),
        interval,
      );
      this.sweep.unref();
    }
  }

  /** Runs a synchronous database operation, turning "file unusable" errors into StoreUnavailableError. */
  private guard<T>(operation: () => T): Promise<T> {
    try {
      return Promise.resolve(this.guarded(operation));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The synchronous core of {@link guard}, for the steps of a longer operation. */
  private guarded<T>(operation: () => T): T {
    if (this.closed) throw new StoreUnavailableError(`SQLite database ${this.file} is closed`);
    try {
      return operation();
    } catch (error) {
      throw asUnavailable(error, this.file);
    }
  }

  /** Several reads that must agree (a trace and its logs, the facets of one view) see one snapshot. */
  private snapshot<T>(read: () => T): T {
    return this.db.transaction(read).deferred();
  }

  private projectRow(projectId: string): ProjectRow {
    return projectRow(this.s, projectId);
  }

  // --- writes ---------------------------------------------------------------

  async write(projectId: string, batch: WritableBatch): Promise<WriteResult> {
    const step = await this.guard(() => {
      // Unpacked and checked before the transaction: none of it needs the write lock.
      const checked = checkedBatch(batch);
      return this.db
        .transaction(() => {
          this.projectRow(projectId);
          applyBatch(this.s, projectId, checked);
          return this.retentionStep(projectId, this.now());
        })
        .immediate();
    });
    this.checkpointer?.afterCommit();
    // A big backlog (a clock jump, limits tightened by another process) is not worked off on the ingest path:
    // this write answers after its own bounded step, and the rest runs in the background, yielding between steps.
    if (step.more) this.retention.workOffBacklog(projectId);
    return { logsDropped: step.logsDeleted };
  }

  /** One bounded retention step for a project; call inside a write transaction. */
  private retentionStep(projectId: string, now: number): RetentionStep {
    const project = this.projectRow(projectId);
    if (!retentionDue(this.s, project, now)) return { tracesDeleted: 0, logsDeleted: 0, more: false };
    return enforceProjectRetention(this.s, project, now, RETENTION_STEP_TRACES);
  }

  // --- lists ----------------------------------------------------------------

  listToolCalls(projectId: string, filters: ToolCallFilters, page: PageRequest): Promise<Page<StoredToolCall>> {
    return this.guard(() => {
      const w = toolCallWhere(projectId, filters);
      return listPage(this.s, 'tool-calls', w, ['t.span_id'], page, toolCallFromRow, (r: ToolCallRow) => ({
        time: r.started_at,
        traceId: r.trace_id,
        spanId: r.span_id,
      }));
    });
  }

  listTriggerEvents(projectId: string, filters: TriggerEventFilters, page: PageRequest) {
    return this.guard(() => {
      const w = triggerEventWhere(projectId, filters);
      return listPage(this.s, 'trigger-events', w, [], page, triggerEventFromRow, (r: TriggerEventRow) => ({
        time: r.received_at,
        traceId: r.trace_id,
        spanId: '',
      }));
    });
  }

  // --- details --------------------------------------------------------------

  getTrace(projectId: string, traceId: string): Promise<TraceDetail | null> {
    return this.guard(() => this.snapshot(() => traceDetail(this.s, projectId, traceId)));
  }

  getTriggerEvent(projectId: string, eventId: string): Promise<TriggerEventDetail | null> {
    return this.guard(() => this.snapshot(() => triggerEventDetail(this.s, projectId, eventId)));
  }

  tracesWithRecords(projectId: string, traceIds: readonly string[]): Promise<Set<string>> {
    return this.guard(() => this.snapshot(() => tracesWithRecords(this.s, projectId, traceIds)));
  }

  // --- facets and histograms ------------------------------------------------

  toolCallFacets(projectId: string, filters: ToolCallFilters): Promise<ToolCallFacets> {
    return this.guard(() => this.snapshot(() => toolCallFacets(this.s, projectId, filters)));
  }

  triggerEventFacets(projectId: string, filters: TriggerEventFilters): Promise<TriggerEventFacets> {
    return this.guard(() => this.snapshot(() => triggerEventFacets(this.s, projectId, filters)));
  }

  errorGroups(projectId: string, filters: ToolCallFilters, request: ErrorGroupsRequest): Promise<ErrorGroupSummary[]> {
    return this.guard(() => this.snapshot(() => errorGroups(this.s, projectId, filters, request)));
  }

  toolCallHistogram(projectId: string, { from, to, ...rest }: ToolCallFilters, request: HistogramRequest) {
    return this.histogram(toolCallWhere(projectId, rest), request, TOOL_CALL_STATUSES, { from, to });
  }

  triggerEventHistogram(projectId: string, { from, to, ...rest }: TriggerEventFilters, request: HistogramRequest) {
    return this.histogram(triggerEventWhere(projectId, rest), request, TRIGGER_EVENT_STATUSES, { from, to });
  }

  /** The filters' own range stays apart from `where`, so each bucket's query seeks on exactly one range. */
  private histogram(where: Where, request: HistogramRequest, statuses: readonly string[], within: TimeRange) {
    return this.guard(() => histogramBuckets(this.s, where, request, statuses, within));
  }

  // --- projects and keys ----------------------------------------------------

  createProject(input: { name: string; plan: Plan; limits?: Partial<RetentionLimits> }): Promise<ProjectWithKeys> {
    return this.guard(() => this.db.transaction(() => insertProject(this.s, input, this.now())).immediate());
  }

  listProjects(): Promise<Project[]> {
    return this.guard(() => allProjectRows(this.s).map(projectFromRow));
  }

  getProject(projectId: string): Promise<Project | null> {
    return this.guard(() => {
      const row = findProjectRow(this.s, projectId);
      return row ? projectFromRow(row) : null;
    });
  }

  authenticate(key: string): Promise<{ project: Project; role: KeyRole } | null> {
    return this.guard(() => authenticateKey(this.s, key));
  }

  rotateKeys(projectId: string): Promise<ProjectWithKeys> {
    return this.guard(() => this.db.transaction(() => replaceKeys(this.s, projectId, this.now())).immediate());
  }

  keyRoles(projectId: string): Promise<KeyRole[]> {
    return this.guard(() => keyRolesOf(this.s, projectId));
  }

  getRedactionRules(projectId: string): Promise<RedactionRules> {
    return this.guard(() => readRedactionRules(this.s, projectId));
  }

  setRedactionRules(projectId: string, rules: RedactionRules): Promise<RedactionRules> {
    return this.guard(() => {
      const checked = checkRedactionRules(rules);
      this.db.transaction(() => writeRedactionRules(this.s, projectId, checked)).immediate();
      return checked;
    });
  }

  async setPlan(projectId: string, plan: Plan, limits?: Partial<RetentionLimits>): Promise<Project> {
    await this.guard(() => {
      const resolved = limitsFor(parsePlan(plan), limits);
      this.db.transaction(() => updatePlan(this.s, projectId, plan, resolved)).immediate();
    });
    // Tighter limits apply now rather than at the next write or sweep.
    await this.retention.enforceProject(projectId, this.now());
    return this.guard(() => projectFromRow(this.projectRow(projectId)));
  }

  // --- retention ------------------------------------------------------------

  retentionStatus(projectId: string): Promise<RetentionStatus> {
    return this.guard(() => retentionStatusOf(this.s, this.projectRow(projectId)));
  }

  previewRetention(projectId: string, limits: RetentionLimits, now?: number): Promise<RetentionRun> {
    const at = now ?? this.now();
    return this.guard(() =>
      this.snapshot(() => previewProjectRetention(this.s, this.projectRow(projectId), limits, at)),
    );
  }

  enforceRetention(projectId?: string, now?: number): Promise<RetentionRun> {
    const at = now ?? this.now();
    let ids: string[];
    try {
      ids = this.guarded(() =>
        projectId !== undefined
          ? [this.projectRow(projectId).project_id]
          : allProjectRows(this.s).map((r) => r.project_id),
      );
    } catch (error) {
      return Promise.reject(error);
    }
    return this.retention.enforceProjects(ids, at);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Steps of a retention run still in progress find the store closed and stop between transactions.
    if (this.sweep) clearInterval(this.sweep);
    await this.checkpointer?.stop();
    try {
      truncateWal(this.db, this.file, this.busyTimeoutMs);
    } catch (error) {
      // Closing does not fail over a tidy-up: SQLite checkpoints on the last connection's close anyway.
      this.logger.warn(
        { ...errorFields(error), file: this.file },
        'WAL truncation at close failed; SQLite checkpoints on close',
      );
    }
    this.closed = true;
    this.db.close();
  }
}
