/**
 * The Forwarding page's view model: destination state → label and tone, the
 * figures as short text, and the add/edit form ⇄ the API body. Pure; the API
 * has the last word on validity (its 400s name the field).
 */
import type {
  DestinationStatus,
  DestinationView,
  ForwardCompression,
  ForwardEncoding,
  ForwardFilter,
  ForwardState,
} from '@tooltrace/conventions';
import type { Tone } from './status.ts';

export const STATE_VIEW: Record<ForwardState, { label: string; tone: Tone; hint: string }> = {
  ok: { label: 'OK', tone: 'success', hint: 'The last batch was accepted (or nothing has failed yet).' },
  retrying: { label: 'Retrying', tone: 'warning', hint: 'The last attempts failed; batches wait in the outbox.' },
  failing: {
    label: 'Failing',
    tone: 'danger',
    hint: 'Five or more attempts failed in a row, or the destination rejected a batch.',
  },
  disabled: { label: 'Disabled', tone: 'neutral', hint: 'Switched off: nothing is queued for it.' },
};

export const FILTER_LABELS: Record<ForwardFilter, string> = {
  all: 'Everything',
  tool_calls: 'Tool calls',
  trigger_events: 'Trigger events',
  errors_only: 'Errors only',
};

/** A duration in ms as the largest whole unit: `0 s`, `42 s`, `3 min`, `2 h`. */
export function formatLag(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min`;
  return `${Math.floor(ms / 3_600_000)} h`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function statusSummary(status: DestinationStatus): string {
  return `${status.spansSent} spans and ${status.logsSent} logs sent · ${status.batchesQueued} queued (${formatBytes(status.queueBytes)}) · lag ${formatLag(status.lagMs)}`;
}

export interface DestinationForm {
  name: string;
  endpoint: string;
  /** One `Name: value` per line. Left empty when editing: the stored headers are kept. */
  headers: string;
  encoding: ForwardEncoding;
  compression: ForwardCompression;
  filter: ForwardFilter;
  enabled: boolean;
}

export const EMPTY_FORM: DestinationForm = {
  name: '',
  endpoint: '',
  headers: '',
  encoding: 'protobuf',
  compression: 'gzip',
  filter: 'all',
  enabled: true,
};

export function formOf(destination: DestinationView): DestinationForm {
  const { name, endpoint, encoding, compression, filter, enabled } = destination;
  return { name, endpoint, headers: '', encoding, compression, filter, enabled };
}

/** `Name: value` lines → headers; a line without a colon is named so the user can fix it. */
export function parseHeaderLines(text: string): { headers: Record<string, string> } | { error: string } {
  const headers: Record<string, string> = {};
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return { error: `Header line ${index + 1} must look like "Name: value".` };
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return { headers };
}

/** The body to send: everything for a new destination; for an edit, headers only when some were typed. */
export function bodyOf(form: DestinationForm, editing: boolean): Record<string, unknown> | { error: string } {
  const parsed = parseHeaderLines(form.headers);
  if ('error' in parsed) return parsed;
  const { headers: _text, ...rest } = form;
  if (editing && Object.keys(parsed.headers).length === 0) return rest;
  return { ...rest, headers: parsed.headers };
}
