/**
 * The one narrow interface every storage backend implements (DESIGN §1, §4–§6).
 * Every method is scoped by `projectId`, which the caller takes from an
 * authenticated key; a backend adds the project filter to every query itself.
 */
import type {
  AgeRetention,
  DestinationStatus,
  ErrorCategory,
  FacetValues,
  ForwardDestination,
  HistogramBucket,
  IngestDelta,
  Plan,
  ProjectIngest,
  RedactionRules,
  RetentionLimits,
  StoredDelivery,
  StoredLog,
  StoredToolCall,
  StoredTriggerEvent,
  ToolCallFacetsResponse,
  ToolCallStatus,
  ToolCallType,
  TriggerEventFacetsResponse,
  TriggerEventStatus,
  TriggerEventType,
} from '@tooltrace/conventions';
import type { WritableBatch } from './serialized-batch.ts';

/** Time range in epoch milliseconds: `from` inclusive, `to` exclusive. */
export interface TimeRange {
  from?: number;
  to?: number;
}

export interface ToolCallFilters extends TimeRange {
  userId?: string;
  integration?: string;
  status?: ToolCallStatus;
  toolName?: string;
  type?: ToolCallType;
  /** Normalised (32 hex) trace ID. */
  traceId?: string;
  errorCategory?: ErrorCategory;
  errorGroup?: string;
  errorCode?: string;
  httpStatus?: number;
  /** The caller's own ID of the call (`gen_ai.tool.call.id`). */
  toolCallId?: string;
}

export interface TriggerEventFilters extends TimeRange {
  userId?: string;
  integration?: string;
  status?: TriggerEventStatus;
  type?: TriggerEventType;
  triggerName?: string;
  /** The event whose trace holds an attempt of this delivery (`tooltrace.delivery.id`). */
  deliveryId?: string;
}

export interface PageRequest {
  /** 1–500. */
  limit: number;
  /** A cursor from a previous page of the same list, or undefined for the first page. */
  cursor?: string;
}

/** Newest first. `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Records come back with times as epoch ms (the `Stored…` types); the query API formats them as it answers. */
export interface TraceDetail {
  toolCalls: StoredToolCall[];
  triggerEvents: StoredTriggerEvent[];
  /** Every log of the trace, in time order (compareStoredLogs; the query API builds the span tree from them, once). */
  logs: StoredLog[];
}

export interface TriggerEventDetail {
  event: StoredTriggerEvent;
  deliveries: StoredDelivery[];
  /** Every log of the event's trace, in time order. */
  logs: StoredLog[];
}

/** Facet shapes are the API's (conventions/api.ts), declared once there. */
export type FacetValue = FacetValues[number];
export type ToolCallFacets = ToolCallFacetsResponse;
export type TriggerEventFacets = TriggerEventFacetsResponse;
/** Bucket start in epoch ms and the count per status value (statuses with no rows are absent). */
export type { HistogramBucket } from '@tooltrace/conventions';

export interface HistogramRequest {
  from: number;
  to: number;
  bucketMs: number;
}

/** Failed tool calls sharing one `errorGroup` (DESIGN §6), largest first. */
export interface ErrorGroupSummary {
  errorGroup: string;
  integration: string | null;
  toolName: string | null;
  errorCategory: ErrorCategory | null;
  errorCode: string | null;
  /** Of the latest call of the group. */
  httpStatus: number | null;
  /** The latest call's message. */
  sampleMessage: string | null;
  count: number;
  userCount: number;
  /** Epoch ms. */
  firstSeen: number;
  lastSeen: number;
  sampleTraceId: string;
  /** Calls per bucket of the request's range, oldest first. */
  trend: number[];
}

export interface ErrorGroupsRequest {
  /** The trend's range and bucket count; calls outside [from, to) are still counted. */
  from: number;
  to: number;
  buckets: number;
  /** Groups returned at most, 1–500. */
  limit: number;
}

export interface Project {
  projectId: string;
  name: string;
  plan: Plan;
  limits: RetentionLimits;
  createdAt: string;
}

/** Keys are returned in clear exactly once, when created or rotated; only hashes are stored. */
export interface ProjectWithKeys {
  project: Project;
  ingestKey: string;
  readKey: string;
  adminKey: string;
}

/**
 * `ingest` sends OTLP; `read` reads through the query API and UI, strictly
 * read-only; `admin` reads too and changes project settings (plan, retention,
 * redaction rules, forwarding). Projects created before admin keys existed get
 * one on their next rotation.
 */
export type KeyRole = 'ingest' | 'read' | 'admin';

export interface RetentionStatus {
  plan: Plan;
  limits: RetentionLimits;
  logCount: number;
  /** Logs removed by retention since the project was created. */
  logsDropped: number;
  /** Epoch ms of the oldest log; null when there is none. */
  oldestLogAtMs: number | null;
  /** How whole records past the age limit go (the per-project cut is always the store's own). */
  ageRetention: AgeRetention;
}

export interface RetentionRun {
  tracesDeleted: number;
  logsDeleted: number;
}

export interface WriteResult {
  /** Logs retention dropped right after this batch (the cheap post-write check). */
  logsDropped: number;
}

/**
 * A project's forwarding destinations (DESIGN §9), kept with its other
 * settings. Input is checked against the conventions schemas (an
 * InvalidDestinationError names the field); whether an endpoint may be on a
 * private network is the caller's rule (configuration), not the store's.
 */
export interface DestinationSettings {
  /** Oldest first. */
  list(projectId: string): Promise<ForwardDestination[]>;
  get(projectId: string, destinationId: string): Promise<ForwardDestination | null>;
  create(projectId: string, input: unknown): Promise<ForwardDestination>;
  /** Throws DestinationNotFoundError when the project has no such destination. */
  update(projectId: string, destinationId: string, patch: unknown): Promise<ForwardDestination>;
  /** False when there was nothing to delete. */
  delete(projectId: string, destinationId: string): Promise<boolean>;
  /**
   * Keeps the collector's latest status of some of the project's destinations, so a query API in
   * another process can show it. Replaces each one's previous report; IDs of no destination of the
   * project are ignored.
   */
  reportStatus(projectId: string, statuses: Record<string, DestinationStatus>): Promise<void>;
  /** The last report of each of the project's destinations that has one, by ID. */
  reportedStatus(projectId: string): Promise<Record<string, ReportedDestinationStatus>>;
}

/** A destination's status as the collector last reported it. */
export interface ReportedDestinationStatus {
  status: DestinationStatus;
  /** When it was reported (ISO 8601, the store's clock). */
  reportedAt: string;
}

/** What arrived for a project and what became of it (the collector records, the API reads). */
export interface IngestStatusStore {
  /** Adds one delta; a project that does not exist is ignored (its requests were refused anyway). */
  record(projectId: string, delta: IngestDelta): Promise<void>;
  /** The last 24 h and 7 d as of the store's clock. */
  summary(projectId: string): Promise<ProjectIngest>;
}

export interface Store {
  /** The project's forwarding destinations. */
  readonly destinations: DestinationSettings;
  /** The project's ingest status. */
  readonly ingestStatus: IngestStatusStore;

  /**
   * Upserts one request's facts (or several requests' merged) for one project, atomically. Idempotent, order
   * independent. The batch may come as its V8-serialized bytes (./serialized-batch.ts), as a decode worker sends it.
   */
  write(projectId: string, batch: WritableBatch): Promise<WriteResult>;

  listToolCalls(projectId: string, filters: ToolCallFilters, page: PageRequest): Promise<Page<StoredToolCall>>;
  listTriggerEvents(
    projectId: string,
    filters: TriggerEventFilters,
    page: PageRequest,
  ): Promise<Page<StoredTriggerEvent>>;

  /** Any trace of the project, whatever its kind; null when the project has no such trace. */
  getTrace(projectId: string, traceId: string): Promise<TraceDetail | null>;
  /**
   * Those of `traceIds` (at most MAX_TRACE_LOOKUP of ./request-checks.ts, a RangeError beyond) the project holds a tool-call or
   * trigger-event record of: a trace sampled as plain by one request may get its tool-call span in another.
   */
  tracesWithRecords(projectId: string, traceIds: readonly string[]): Promise<Set<string>>;
  getTriggerEvent(projectId: string, eventId: string): Promise<TriggerEventDetail | null>;

  /** Distinct values with counts; each facet ignores its own filter and respects the others. */
  toolCallFacets(projectId: string, filters: ToolCallFilters): Promise<ToolCallFacets>;
  triggerEventFacets(projectId: string, filters: TriggerEventFilters): Promise<TriggerEventFacets>;

  /** Failed calls grouped by `errorGroup` with the filters of `listToolCalls` (status is forced to error). */
  errorGroups(projectId: string, filters: ToolCallFilters, request: ErrorGroupsRequest): Promise<ErrorGroupSummary[]>;

  toolCallHistogram(projectId: string, filters: ToolCallFilters, request: HistogramRequest): Promise<HistogramBucket[]>;
  triggerEventHistogram(
    projectId: string,
    filters: TriggerEventFilters,
    request: HistogramRequest,
  ): Promise<HistogramBucket[]>;

  createProject(input: { name: string; plan: Plan; limits?: Partial<RetentionLimits> }): Promise<ProjectWithKeys>;
  listProjects(): Promise<Project[]>;
  getProject(projectId: string): Promise<Project | null>;
  /** Resolves a clear-text key to its project and role; null for an unknown key. */
  authenticate(key: string): Promise<{ project: Project; role: KeyRole } | null>;
  /** Replaces all three keys; the old ones stop authenticating at once. */
  rotateKeys(projectId: string): Promise<ProjectWithKeys>;
  /** The roles the project currently has a key for (a project from before admin keys has no `admin`). */
  keyRoles(projectId: string): Promise<KeyRole[]>;
  /** The project's own redaction rules, beyond the defaults; empty lists when it has none. */
  getRedactionRules(projectId: string): Promise<RedactionRules>;
  /**
   * Replaces the project's own rules. Throws InvalidRedactionRuleError (naming
   * the pattern or field) for rules the collector could not apply; nothing is stored then.
   */
  setRedactionRules(projectId: string, rules: RedactionRules): Promise<RedactionRules>;
  setPlan(projectId: string, plan: Plan, limits?: Partial<RetentionLimits>): Promise<Project>;

  retentionStatus(projectId: string): Promise<RetentionStatus>;
  /** Applies age and count limits, oldest whole traces first; all projects when none is given. */
  enforceRetention(projectId?: string, now?: number): Promise<RetentionRun>;
  /**
   * What `enforceRetention` would delete now if the project had `limits`
   * instead of its own (the same rules: age and count, whole traces, oldest
   * first); deletes and changes nothing.
   */
  previewRetention(projectId: string, limits: RetentionLimits, now?: number): Promise<RetentionRun>;

  close(): Promise<void>;
}

/** Errors a store throws for bad caller input; the API maps them to 400/404. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  constructor(message = 'invalid cursor: pass back the nextCursor of a previous page of the same list') {
    super(message);
  }
}

export class ProjectNotFoundError extends Error {
  override readonly name = 'ProjectNotFoundError';
  constructor(readonly projectId: string) {
    super(`project ${JSON.stringify(projectId)} does not exist`);
  }
}

export class DestinationNotFoundError extends Error {
  override readonly name = 'DestinationNotFoundError';
  constructor(readonly destinationId: string) {
    super(`forwarding destination ${JSON.stringify(destinationId)} does not exist in this project`);
  }
}

/** The store's file or server cannot be used (corrupt, locked, unreachable); names the resource. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}
