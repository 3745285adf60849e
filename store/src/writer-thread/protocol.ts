/**
 * What a store's main thread and its writer worker say to each other, for
 * every backend (SQLite, Elasticsearch). Tasks are the store's writing methods
 * of the ingest path; answers are data (a store error travels as its name and
 * message and is rebuilt as the same class, so callers tell
 * `StoreUnavailableError` from `InvalidBatchError` as before).
 */
import {
  type IngestDelta,
  InvalidPlanError,
  type LogFields,
  type LogLine,
  type Plan,
  type RetentionLimits,
} from '@tooltrace/conventions';
import type { WritableBatch } from '../serialized-batch.ts';
import { ProjectNotFoundError, StoreUnavailableError } from '../store.ts';
import { InvalidBatchError } from '../validate-batch.ts';

export type WriterTask =
  | { method: 'write'; projectId: string; batch: WritableBatch }
  | { method: 'setPlan'; projectId: string; plan: Plan; limits: Partial<RetentionLimits> | undefined }
  | { method: 'enforceRetention'; projectId: string | undefined; now: number | undefined }
  | { method: 'recordIngestStatus'; projectId: string; delta: IngestDelta }
  | { method: 'close' };

export interface ErrorData {
  name: string;
  message: string;
  projectId?: string;
}

export type WriterAnswer = { ok: true; value: unknown } | { ok: false; error: ErrorData };

/** A log line of the worker (background retention runs, sweeps), written by the main thread's logger. */
export interface WriterLog {
  log: LogLine;
}

export function isWriterLog(message: unknown): message is WriterLog {
  return typeof message === 'object' && message !== null && 'log' in message;
}

export function errorToData(error: unknown): ErrorData {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const data: ErrorData = { name: error.name, message: error.message };
  if (error instanceof ProjectNotFoundError) data.projectId = error.projectId;
  return data;
}

/** The error the store's caller would have got from an inline store. */
export function errorFromData(data: ErrorData): Error {
  switch (data.name) {
    case 'StoreUnavailableError':
      return new StoreUnavailableError(data.message);
    case 'ProjectNotFoundError':
      return new ProjectNotFoundError(data.projectId ?? '');
    case 'InvalidBatchError':
      return new InvalidBatchError(data.message);
    case 'InvalidPlanError':
      return new InvalidPlanError(data.message);
    default:
      return Object.assign(new Error(data.message), { name: data.name });
  }
}

/** Log fields that survive a structured clone (an Error's stack is kept as text by errorFields). */
export function cloneableFields(fields: LogFields): LogFields {
  return JSON.parse(JSON.stringify(fields)) as LogFields;
}
