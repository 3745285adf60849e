/**
 * The plan/retention form's model: the limits a choice means, and the
 * confirmation's sentence from the API's preview of the change — the exact
 * number of logs retention deletes at once under the new limits (whole
 * traces, oldest first), counted by the store with retention's own rules.
 */
import {
  ENTERPRISE_DEFAULT_LIMITS,
  PLAN_LIMITS,
  type Plan,
  type RetentionLimits,
  type RetentionPreviewResponse,
} from '@tooltrace/conventions';
import { formatCount } from './format.ts';

export interface RetentionChange {
  plan: Plan;
  /** Enterprise only. */
  limits?: RetentionLimits;
}

export function limitsOfChange(change: RetentionChange): RetentionLimits {
  if (change.plan !== 'enterprise') return PLAN_LIMITS[change.plan];
  return change.limits ?? ENTERPRISE_DEFAULT_LIMITS;
}

/** One sentence for the confirmation. */
export function previewSummary(preview: RetentionPreviewResponse): string {
  if (preview.logsDeleted === 0) return 'This change deletes no logs now.';
  const traces = preview.tracesDeleted === 1 ? '1 trace' : `${formatCount(preview.tracesDeleted)} traces`;
  return (
    `This change deletes ${formatCount(preview.logsDeleted)} of ${formatCount(preview.logCount)} logs now ` +
    `(${traces}, the oldest, whole). This cannot be undone.`
  );
}
