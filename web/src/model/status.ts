/**
 * Status labels and colours. Labels come from `@tooltrace/conventions` so the UI says exactly
 * what the docs and the API say; tones map them to one small palette.
 */
import {
  DELIVERY_STATUS_LABELS,
  type DeliveryStatus,
  isHttpSuccess,
  type LogLevel,
  TOOL_CALL_STATUS_LABELS,
  TOOL_CALL_STATUSES,
  type ToolCallStatus,
  TRIGGER_EVENT_STATUS_LABELS,
  TRIGGER_EVENT_STATUSES,
  type TriggerEventStatus,
} from '@tooltrace/conventions';

export type Tone = 'success' | 'danger' | 'warning' | 'info' | 'neutral';

export interface StatusView {
  label: string;
  tone: Tone;
}

/** Chart colours per tone: the tokens of tokens.css, so the chart follows the colour scheme. */
export const TONE_COLOURS: Record<Tone, string> = {
  success: 'var(--success)',
  danger: 'var(--danger)',
  warning: 'var(--warning)',
  info: 'var(--info)',
  neutral: 'var(--neutral)',
};

const TOOL_TONES: Record<ToolCallStatus, Tone> = { success: 'success', error: 'danger' };
const TRIGGER_TONES: Record<TriggerEventStatus, Tone> = {
  success: 'success',
  delivery_failures: 'warning',
  processing_failure: 'danger',
  queued: 'neutral',
};
const DELIVERY_TONES: Record<DeliveryStatus, Tone> = { succeeded: 'success', failed: 'danger', pending: 'neutral' };
const LEVEL_TONES: Record<LogLevel, Tone> = { debug: 'neutral', info: 'info', warn: 'warning', error: 'danger' };

export function toolCallStatusView(status: ToolCallStatus): StatusView {
  return { label: TOOL_CALL_STATUS_LABELS[status], tone: TOOL_TONES[status] };
}

export function triggerEventStatusView(status: TriggerEventStatus): StatusView {
  return { label: TRIGGER_EVENT_STATUS_LABELS[status], tone: TRIGGER_TONES[status] };
}

export function deliveryStatusView(status: DeliveryStatus): StatusView {
  return { label: DELIVERY_STATUS_LABELS[status], tone: DELIVERY_TONES[status] };
}

export function logLevelView(level: LogLevel): StatusView {
  return { label: level.toUpperCase(), tone: LEVEL_TONES[level] };
}

export function httpStatusTone(status: number | null | undefined): Tone {
  if (typeof status !== 'number') return 'neutral';
  if (status >= 500) return 'danger';
  if (status >= 400) return 'warning';
  if (isHttpSuccess(status)) return 'success';
  return 'info';
}

export interface SeriesDef {
  key: string;
  label: string;
  colour: string;
}

/** Histogram series in stacking order (bottom first): successes at the base, failures on top where the eye lands. */
export function statusSeries(tab: 'tools' | 'triggers'): SeriesDef[] {
  if (tab === 'tools') {
    return TOOL_CALL_STATUSES.map((s) => ({
      key: s,
      label: TOOL_CALL_STATUS_LABELS[s],
      colour: TONE_COLOURS[TOOL_TONES[s]],
    }));
  }
  const order: TriggerEventStatus[] = ['success', 'queued', 'delivery_failures', 'processing_failure'];
  return order
    .filter((s) => TRIGGER_EVENT_STATUSES.includes(s))
    .map((s) => ({ key: s, label: TRIGGER_EVENT_STATUS_LABELS[s], colour: TONE_COLOURS[TRIGGER_TONES[s]] }));
}

/** Options of a status picker, in the order a user scans them. */
export function statusOptions(tab: 'tools' | 'triggers'): (StatusView & { value: string })[] {
  if (tab === 'tools') return TOOL_CALL_STATUSES.map((s) => ({ value: s, ...toolCallStatusView(s) }));
  return TRIGGER_EVENT_STATUSES.map((s) => ({ value: s, ...triggerEventStatusView(s) }));
}

/** A status picker's label for a value; a value outside the tab's statuses is shown as it is. */
export function statusOptionLabel(tab: 'tools' | 'triggers', value: string): string {
  return statusOptions(tab).find((option) => option.value === value)?.label ?? value;
}
