/**
 * The plan/retention form's model: the limits a choice means, and what the
 * change would drop right away, from the figures the API reports (log count,
 * oldest log). Retention drops whole traces, so a count cap drops at least the
 * excess; an age limit drops everything older than its cutoff.
 */
import {
  ENTERPRISE_DEFAULT_LIMITS,
  PLAN_LIMITS,
  type Plan,
  type RetentionLimits,
  type RetentionStatusResponse,
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

export interface RetentionImpact {
  /** Logs past the new count cap, dropped now (at least this many: whole traces go). */
  overCap: number;
  /** The age cutoff, when the project holds logs older than it (they are dropped now). */
  ageCutoff: Date | null;
  /** One sentence for the confirmation. */
  summary: string;
}

const DAY_MS = 86_400_000;

export function retentionImpact(
  status: RetentionStatusResponse,
  change: RetentionChange,
  now: number,
): RetentionImpact {
  const limits = limitsOfChange(change);
  const overCap = limits.maxLogs === null ? 0 : Math.max(0, status.logCount - limits.maxLogs);
  const oldest = status.oldestLogAt === null ? null : Date.parse(status.oldestLogAt);
  const cutoff = limits.maxAgeDays === null ? null : now - limits.maxAgeDays * DAY_MS;
  const ageCutoff = cutoff !== null && oldest !== null && oldest < cutoff ? new Date(cutoff) : null;
  const parts: string[] = [];
  if (overCap > 0) parts.push(`at least ${formatCount(overCap)} of ${formatCount(status.logCount)} logs (the oldest)`);
  if (ageCutoff)
    parts.push(`every log older than ${limits.maxAgeDays} days (before ${ageCutoff.toISOString().slice(0, 10)})`);
  const summary =
    parts.length === 0
      ? 'This change deletes no logs now.'
      : `This change deletes ${parts.join(' and ')} now, whole traces at a time. This cannot be undone.`;
  return { overCap, ageCutoff, summary };
}
