/** The retention indicator: plan, usage against the cap, logs dropped. */
import type { RetentionStatusResponse } from '@tooltrace/conventions';
import { formatCount } from './format.ts';
import type { Tone } from './status.ts';

export interface RetentionView {
  planLabel: string;
  /** 0–100, or null without a count cap. */
  usagePct: number | null;
  usageLabel: string;
  ageLabel: string;
  droppedLabel: string;
  tone: Tone;
}

const PLAN_LABELS: Record<RetentionStatusResponse['plan'], string> = {
  trial: 'Trial',
  pro: 'Pro',
  enterprise: 'Enterprise',
};

export function retentionView(r: RetentionStatusResponse): RetentionView {
  const cap = r.limits.maxLogs;
  const usagePct = cap ? Math.min(100, (r.logCount / cap) * 100) : null;
  const tone: Tone = usagePct === null ? 'info' : usagePct >= 95 ? 'danger' : usagePct >= 80 ? 'warning' : 'success';
  return {
    planLabel: PLAN_LABELS[r.plan],
    usagePct,
    usageLabel: cap ? `${formatCount(r.logCount)} / ${compact(cap)} logs` : `${formatCount(r.logCount)} logs`,
    ageLabel: r.limits.maxAgeDays ? `${r.limits.maxAgeDays}-day retention` : 'No age limit',
    droppedLabel: r.logsDropped === 0 ? 'No logs dropped' : `${formatCount(r.logsDropped)} oldest logs dropped`,
    tone,
  };
}

function compact(n: number): string {
  return new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(n);
}
