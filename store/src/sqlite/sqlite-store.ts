/**
 * The embedded SQLite backend of {@link Store} on better-sqlite3: WAL so
 * readers never block the writer (and `tooltrace project …` works while
 * `tooltrace start` runs), a busy timeout for the second writer, one
 * transaction per write.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  errorFields,
  type IngestBatch,
  type Logger,
  limitsFor,
  type Plan,
  parsePlan,
  type RedactionRules,
  type RetentionLimits,
  silentLogger,
  TOOL_CALL_STATUSES,
  type ToolCall,
  TRIGGER_EVENT_STATUSES,
  type TriggerEvent,
} from '@tooltrace/conventions';
import Database from 'better-sqlite3';
import { checkRedactionRules } from '../redaction-rules.ts';
import {
  type DestinationSettings,
  type ErrorGroupSummary,
  type ErrorGroupsRequest,
  type HistogramBucket,
  type HistogramRequest,
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
import { sqliteDestinations } from './destinations.ts';
import { traceDetail, triggerEventDetail } from './details.ts';
import { errorGroups } from './error-groups.ts';
import { toolCallFacets, triggerEventFacets } from './facets.ts';
import { toolCallWhere, triggerEventWhere } from './filters.ts';
import { applyBatch } from './ingest.ts';
import { migrate } from './migrate.ts';
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
import { enforceProjectRetention, oldestTraceStart, type RetentionStep, retentionDue } from './retention.ts';
import {
  type ProjectRow,
  projectFromRow,
  type ToolCallRow,
  type TriggerEventRow,
  toIso,
  toolCallFromRow,
  triggerEventFromRow,
} from './rows.ts';
import { Statements } from './statements.ts';

export interface SqliteStoreOptions {
  /** Database file, or ':memory:'. The directory must exist. */
  path: string;
  /** Clock in epoch ms (tests move time); defaults to Date.now. */
  now?: () => number;
  /** Period of the background retention sweep; 0 turns it off. Default one minute. */
  retentionSweepIntervalMs?: number;
  /** How long a write waits for another connection's lock before failing. Default 5 s. */
  busyTimeoutMs?: number;
  /** Where background failures (retention runs, WAL tidy-ups) are reported. Default: silent. */
  logger?: Logger;
}

/** Traces one retention transaction may delete (a few ms of lock each). */
const RETENTION_STEP_TRACES = 500;

/**
 * WAL pages written before a commit checkpoints them into the database file
 * (SQLite's default is 1 000). Each checkpoint fsyncs (synchronous = NORMAL)
 * and copies back hot index pages that the next writes dirty again, so
 * checkpointing ten times less often made `store.write` about 1.7× faster in
 * the bench (bench/README.md, finding 3). The price is disk: the WAL grows to
 * about 40 MB (10 000 × 4 KB pages, plus the last transaction) before it is
 * reused from the start, and readers may have more WAL to search. Auto
 * checkpoints stay PASSIVE (they never wait for readers).
 */
const WAL_AUTOCHECKPOINT_PAGES = 10_000;

/**
 * After a checkpoint resets the WAL, SQLite keeps the file at its high-water
 * mark for reuse; above this size it is cut back. Set above the auto-checkpoint
 * size, so ordinary ingest reuses the file rather than regrowing it, while one
 * huge transaction (or a checkpoint starved by a long reader) does not leave a
 * huge file behind for good.
 */
const JOURNAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

/** SQLite result codes that mean "this file cannot be used", as opposed to a bug or bad input. */
const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|CORRUPT|NOTADB|CANTOPEN|IOERR|READONLY|FULL|PERM|AUTH)/;

export function openSqliteStore(options: SqliteStoreOptions): Store {
  const file = options.path === ':memory:' ? ':memory:' : path.resolve(options.path);
  let db: Database.Database | undefined;
  try {
    if (file !== ':memory:' && !fs.existsSync(path.dirname(file))) {
      throw new Error(`directory ${path.dirname(file)} does not exist`);
    }
    db = new Database(file, { timeout: options.busyTimeoutMs ?? 5000 });
    db.pragma('journal_mode = WAL');
    // WAL makes NORMAL durable across application crashes; only an OS crash can lose the last commits.
    db.pragma('synchronous = NORMAL');
    // The trace-keyed indexes take writes at random places; at a million logs they outgrow the 2 MB default.
    db.pragma('cache_size = -65536');
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`);
    db.pragma('foreign_keys = ON');
    migrate(db);
  } catch (error) {
    db?.close();
    throw new StoreUnavailableError(`cannot open SQLite database ${file}: ${messageOf(error)}`, { cause: error });
  }
  return new SqliteStore(db, file, options);
}

function messageOf(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
}

class SqliteStore implements Store {
  readonly destinations: DestinationSettings;
  private readonly s: Statements;
  private readonly now: () => number;
  private readonly busyTimeoutMs: number;
  private readonly sweep: NodeJS.Timeout | undefined;
  /** A timer sweep is still working off a big cut; the next tick does not start a second one. */
  private sweeping = false;
  /** Projects whose retention backlog, found by a write, is being worked off in the background. */
  private readonly backlogs = new Set<string>();
  private closed = false;
  private readonly logger: Logger;

  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
    options: SqliteStoreOptions,
  ) {
    this.s = new Statements(db);
    this.now = options.now ?? Date.now;
    this.busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    this.destinations = sqliteDestinations(
      this.s,
      (operation) => this.guard(() => this.db.transaction(operation).immediate()),
      this.now,
    );
    this.logger = options.logger ?? silentLogger;
    const interval = options.retentionSweepIntervalMs ?? 60_000;
    if (interval > 0) {
      this.sweep = setInterval(() => void this.sweepOnce(), interval);
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
      const code = (error as { code?: unknown })?.code;
      if (typeof code === 'string' && UNAVAILABLE.test(code)) {
        throw new StoreUnavailableError(`SQLite database ${this.file} is unavailable: ${messageOf(error)}`, {
          cause: error,
        });
      }
      throw error;
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

  async write(projectId: string, batch: IngestBatch): Promise<WriteResult> {
    const step = await this.guard(() =>
      this.db
        .transaction(() => {
          this.projectRow(projectId);
          applyBatch(this.s, projectId, batch);
          return this.retentionStep(projectId, this.now());
        })
        .immediate(),
    );
    // A big backlog (a clock jump, limits tightened by another process) is not worked off on the ingest path:
    // this write answers after its own bounded step, and the rest runs in the background, yielding between steps.
    if (step.more) this.workOffBacklog(projectId);
    return { logsDropped: step.logsDeleted };
  }

  private workOffBacklog(projectId: string): void {
    if (this.backlogs.has(projectId)) return;
    this.backlogs.add(projectId);
    this.enforceProject(projectId, this.now())
      // A failed run (the store closed, the file locked past the busy timeout) is resumed by the next write or sweep.
      .catch((error: unknown) => {
        this.logger.warn(
          { ...errorFields(error), projectId, file: this.file },
          'retention backlog run failed; the next write or sweep resumes it',
        );
      })
      .finally(() => this.backlogs.delete(projectId));
  }

  /** One bounded retention step for a project; call inside a write transaction. */
  private retentionStep(projectId: string, now: number): RetentionStep {
    const project = this.projectRow(projectId);
    if (!retentionDue(this.s, project, now)) return { tracesDeleted: 0, logsDeleted: 0, more: false };
    return enforceProjectRetention(this.s, project, now, RETENTION_STEP_TRACES);
  }

  /**
   * Retention for one project in as many short transactions as it takes. Each
   * step is atomic and deletes whole traces; between steps the event loop gets
   * its turn, so the collector and the query API in the same process keep
   * answering while a big cut (a downgrade, a clock jump) runs. The first step
   * runs before the returned promise is first awaited, so a small cut is done
   * at once.
   */
  private async enforceProject(projectId: string, now: number): Promise<RetentionRun> {
    const total: RetentionRun = { tracesDeleted: 0, logsDeleted: 0 };
    for (;;) {
      const step = this.guarded(() => this.db.transaction(() => this.retentionStep(projectId, now)).immediate());
      total.tracesDeleted += step.tracesDeleted;
      total.logsDeleted += step.logsDeleted;
      if (!step.more) return total;
      await nextTurn();
    }
  }

  private async sweepOnce(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      await this.enforceRetention();
      this.truncateWal();
    } catch (error) {
      // A failed sweep (e.g. the file locked for longer than the busy timeout) is retried on the next tick.
      this.logger.warn({ ...errorFields(error), file: this.file }, 'retention sweep failed; retried on the next tick');
    } finally {
      this.sweeping = false;
    }
  }

  /**
   * Checkpoints the whole WAL into the database and cuts the file to zero, so
   * it does not keep its high-water mark between sweeps. Never waits: while
   * another connection reads or writes, the checkpoint reports "busy" and the
   * next sweep tries again (auto-checkpoints keep running meanwhile).
   */
  private truncateWal(): void {
    if (this.closed || this.file === ':memory:') return;
    this.db.pragma('busy_timeout = 0');
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      this.db.pragma(`busy_timeout = ${this.busyTimeoutMs}`);
    }
  }

  // --- lists ----------------------------------------------------------------

  listToolCalls(projectId: string, filters: ToolCallFilters, page: PageRequest): Promise<Page<ToolCall>> {
    return this.guard(() => {
      const w = toolCallWhere(projectId, filters);
      return listPage(this.s, 'tool-calls', w, ['t.span_id'], page, toolCallFromRow, (r: ToolCallRow) => ({
        time: r.started_at,
        traceId: r.trace_id,
        spanId: r.span_id,
      }));
    });
  }

  listTriggerEvents(projectId: string, filters: TriggerEventFilters, page: PageRequest): Promise<Page<TriggerEvent>> {
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

  toolCallHistogram(
    projectId: string,
    filters: ToolCallFilters,
    request: HistogramRequest,
  ): Promise<HistogramBucket[]> {
    const { from, to, ...rest } = filters;
    return this.guard(() =>
      histogramBuckets(this.s, toolCallWhere(projectId, rest), request, TOOL_CALL_STATUSES, { from, to }),
    );
  }

  triggerEventHistogram(
    projectId: string,
    filters: TriggerEventFilters,
    request: HistogramRequest,
  ): Promise<HistogramBucket[]> {
    const { from, to, ...rest } = filters;
    return this.guard(() =>
      histogramBuckets(this.s, triggerEventWhere(projectId, rest), request, TRIGGER_EVENT_STATUSES, { from, to }),
    );
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
    await this.enforceProject(projectId, this.now());
    return this.guard(() => projectFromRow(this.projectRow(projectId)));
  }

  // --- retention ------------------------------------------------------------

  retentionStatus(projectId: string): Promise<RetentionStatus> {
    return this.guard(() => {
      const row = this.projectRow(projectId);
      const oldest = oldestTraceStart(this.s, projectId);
      return {
        plan: row.plan,
        limits: { maxAgeDays: row.max_age_days, maxLogs: row.max_logs },
        logCount: row.log_count,
        logsDropped: row.logs_dropped,
        oldestLogAt: oldest === null ? null : toIso(oldest),
      };
    });
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
    return this.enforceProjects(ids, at);
  }

  private async enforceProjects(ids: readonly string[], at: number): Promise<RetentionRun> {
    const total: RetentionRun = { tracesDeleted: 0, logsDeleted: 0 };
    for (const [i, id] of ids.entries()) {
      if (i > 0) await nextTurn();
      const run = await this.enforceProject(id, at);
      total.tracesDeleted += run.tracesDeleted;
      total.logsDeleted += run.logsDeleted;
    }
    return total;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Steps of a retention run still in progress find the store closed and stop between transactions.
    if (this.sweep) clearInterval(this.sweep);
    try {
      this.truncateWal();
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
