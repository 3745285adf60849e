/**
 * Bulk writes: pure builders of the bulk bodies, and a runner that reads the
 * per-item results. An item can fail while its neighbours succeed, so the
 * runner sorts every item into one of: written, already there (409 on
 * `create`, i.e. a re-sent record), lost a concurrency race (409 on a
 * conditional `index`), throttled (429, retried with backoff), or failed
 * (anything else, reported with the index, ID and reason).
 */
import type { estypes } from '@elastic/elasticsearch';
import type { IngestBatch, Plan } from '@tooltrace/conventions';
import { backoffSleeper } from '../backoff-sleep.ts';
import {
  type DeliveryDocument,
  documentId,
  type LogDocument,
  logToDocument,
  type ToolCallDocument,
  type TriggerDocument,
  toolCallToDocument,
} from './documents.ts';
import type { ResourceNames } from './names.ts';

export type BulkDocument = LogDocument | ToolCallDocument | TriggerDocument | DeliveryDocument;
export type BulkOperations = NonNullable<estypes.BulkRequest<BulkDocument>['operations']>;

/** One action with its document (none for a `delete`), kept together so an item can be retried alone. */
export interface BulkAction {
  action: estypes.BulkOperationContainer;
  document?: BulkDocument;
}

/** A delete of what a search found, only if unchanged since (a concurrent re-send or merge is never deleted). */
export function versionedDeleteAction(hit: {
  _index: string;
  _id: string;
  _seq_no: number;
  _primary_term: number;
}): BulkAction {
  return {
    action: {
      delete: { _index: hit._index, _id: hit._id, if_seq_no: hit._seq_no, if_primary_term: hit._primary_term },
    },
  };
}

/**
 * Bulk requests are cut to at most this many actions and bytes (Elasticsearch
 * refuses bodies over `http.max_content_length`, 100 MB by default; and a
 * smaller request spreads memory and retries better). A 64 MiB OTLP body thus
 * becomes several bulk requests, never one too big.
 */
export const BULK_MAX_ACTIONS = 5_000;
export const BULK_MAX_BYTES = 8 * 1024 * 1024;

/** Splits actions into consecutive chunks within both bounds (an action bigger than maxBytes goes alone). */
export function chunkActions(
  actions: readonly BulkAction[],
  maxActions = BULK_MAX_ACTIONS,
  maxBytes = BULK_MAX_BYTES,
): BulkAction[][] {
  const chunks: BulkAction[][] = [];
  let current: BulkAction[] = [];
  let bytes = 0;
  for (const action of actions) {
    const size =
      Buffer.byteLength(JSON.stringify(action.action)) + Buffer.byteLength(JSON.stringify(action.document ?? '')) + 2;
    if (current.length > 0 && (current.length >= maxActions || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(action);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * Logs and tool calls go to the plan's append-only data streams as `create`
 * with an ID derived from the record's natural key, so a re-sent batch is
 * answered 409 per item instead of being stored twice.
 */
export function appendActions(names: ResourceNames, plan: Plan, projectId: string, batch: IngestBatch): BulkAction[] {
  const actions: BulkAction[] = [];
  for (const log of batch.logs) {
    actions.push({
      action: { create: { _index: names.logsStream(plan), _id: documentId(projectId, log.traceId, log.id) } },
      document: logToDocument(projectId, log),
    });
  }
  for (const call of batch.toolCalls) {
    actions.push({
      action: {
        create: { _index: names.toolCallsStream(plan), _id: documentId(projectId, call.traceId, call.spanId) },
      },
      document: toolCallToDocument(projectId, call),
    });
  }
  return actions;
}

/** Where a trigger document was read from, for an optimistic-concurrency write back. */
export interface ReadVersion {
  seqNo: number;
  primaryTerm: number;
}

export function triggerDocumentId(projectId: string, traceId: string): string {
  return documentId(projectId, traceId);
}

/**
 * A merged trigger document goes back only if nobody wrote it since we read it
 * (`if_seq_no`/`if_primary_term`), or is created if it did not exist; a 409
 * means another writer merged first, and the caller re-reads and re-merges.
 */
export function triggerAction(names: ResourceNames, doc: TriggerDocument, read: ReadVersion | null): BulkAction {
  return versionedAction(names.triggerEvents, triggerDocumentId(doc.projectId, doc.traceId), doc, read);
}

export function deliveryDocumentId(projectId: string, deliveryId: string): string {
  return documentId(projectId, deliveryId);
}

export function deliveryAction(names: ResourceNames, doc: DeliveryDocument, read: ReadVersion | null): BulkAction {
  return versionedAction(names.deliveries, deliveryDocumentId(doc.projectId, doc.deliveryId), doc, read);
}

function versionedAction(_index: string, _id: string, document: BulkDocument, read: ReadVersion | null): BulkAction {
  const action: estypes.BulkOperationContainer = read
    ? { index: { _index, _id, if_seq_no: read.seqNo, if_primary_term: read.primaryTerm } }
    : { create: { _index, _id } };
  return { action, document };
}

/**
 * Data streams take no updates through the stream name: a re-sent record whose
 * content changed is written over its copy in the backing index that holds it,
 * conditionally on the version we read (`if_seq_no`/`if_primary_term`).
 */
export function inPlaceUpdateAction(
  hit: { _index: string; _id: string; _seq_no: number; _primary_term: number },
  document: BulkDocument,
): BulkAction {
  return {
    action: { index: { _index: hit._index, _id: hit._id, if_seq_no: hit._seq_no, if_primary_term: hit._primary_term } },
    document,
  };
}

export function toOperations(actions: readonly BulkAction[]): BulkOperations {
  return actions.flatMap(({ action, document }) => (document === undefined ? [action] : [action, document]));
}

export type ItemOutcome = 'written' | 'duplicate' | 'conflict' | 'throttled' | 'failed';

export function classifyItem(item: Partial<Record<estypes.BulkOperationType, estypes.BulkResponseItem>>): {
  outcome: ItemOutcome;
  item: estypes.BulkResponseItem;
  operation: estypes.BulkOperationType;
} {
  const [operation, result] = Object.entries(item)[0] as [estypes.BulkOperationType, estypes.BulkResponseItem];
  if (!result.error && result.status < 300) return { outcome: 'written', item: result, operation };
  // Deleting what is already gone leaves the wanted state: not an error, and not counted as deleted.
  if (operation === 'delete' && result.status === 404) return { outcome: 'duplicate', item: result, operation };
  if (result.status === 409) {
    return { outcome: operation === 'create' ? 'duplicate' : 'conflict', item: result, operation };
  }
  if (result.status === 429) return { outcome: 'throttled', item: result, operation };
  return { outcome: 'failed', item: result, operation };
}

export class BulkWriteError extends Error {
  override readonly name = 'BulkWriteError';
  constructor(readonly failures: { index: string; id: string | null | undefined; status: number; reason: string }[]) {
    const first = failures[0];
    super(
      `Elasticsearch rejected ${failures.length} bulk item(s); first: ${first?.index}/${first?.id} ` +
        `${first?.status} ${first?.reason}`,
    );
  }
}

export interface BulkRunOptions {
  /** Retries of throttled (429) items before giving up. */
  maxRetries?: number;
  /** First backoff; doubles each retry, with jitter (conventions' backoffDelay), up to 10 s. */
  initialBackoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const MAX_BACKOFF_MS = 10_000;

export interface BulkRunResult {
  /** The actions that stored a new document (not duplicates). */
  written: BulkAction[];
  /** `create`s answered 409: the document is already there (a re-send); the caller may update it in place. `delete`s of a missing document. */
  duplicates: BulkAction[];
  /** Conditional writes another writer beat; the caller re-reads and retries them. */
  conflicts: BulkAction[];
}

export type BulkSend = (operations: BulkOperations) => Promise<estypes.BulkResponse>;

export async function runBulk(
  send: BulkSend,
  actions: readonly BulkAction[],
  options: BulkRunOptions = {},
): Promise<BulkRunResult> {
  const maxRetries = options.maxRetries ?? 5;
  const wait = retryWaiter(options);
  const result: BulkRunResult = { written: [], duplicates: [], conflicts: [] };
  let pending = [...actions];
  for (let attempt = 0; pending.length > 0; attempt++) {
    const response = await sendThrottled(send, toOperations(pending), maxRetries, wait);
    const throttled: BulkAction[] = [];
    const failures: BulkWriteError['failures'] = [];
    response.items.forEach((item, i) => {
      const action = pending[i] as BulkAction;
      const { outcome, item: detail } = classifyItem(item);
      if (outcome === 'written') result.written.push(action);
      else if (outcome === 'duplicate') result.duplicates.push(action);
      else if (outcome === 'conflict') result.conflicts.push(action);
      else if (outcome === 'throttled') throttled.push(action);
      else {
        failures.push({
          index: detail._index,
          id: detail._id,
          status: detail.status,
          reason: `${detail.error?.type ?? 'error'}: ${detail.error?.reason ?? 'unknown'}`,
        });
      }
    });
    if (failures.length > 0) throw new BulkWriteError(failures);
    if (throttled.length > 0 && attempt >= maxRetries) {
      throw new BulkWriteError(
        throttled.map(({ action }) => {
          const meta = Object.values(action ?? {})[0] as estypes.BulkOperationBase;
          return { index: String(meta._index), id: meta._id, status: 429, reason: 'still throttled after retries' };
        }),
      );
    }
    if (throttled.length > 0) await wait(attempt + 1);
    pending = throttled;
  }
  return result;
}

/** The whole request can be throttled too (the client surfaces it as a 429 ResponseError). */
async function sendThrottled(
  send: BulkSend,
  operations: BulkOperations,
  maxRetries: number,
  wait: (retry: number) => Promise<void>,
): Promise<estypes.BulkResponse> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send(operations);
    } catch (error) {
      const status = (error as { meta?: { statusCode?: number } })?.meta?.statusCode;
      if (status !== 429 || attempt >= maxRetries) throw error;
      await wait(attempt + 1);
    }
  }
}

function retryWaiter(options: BulkRunOptions): (retry: number) => Promise<void> {
  const baseMs = options.initialBackoffMs ?? 200;
  return backoffSleeper({ baseMs, maxMs: Math.max(baseMs, MAX_BACKOFF_MS) }, options.sleep);
}
