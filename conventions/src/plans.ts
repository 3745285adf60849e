/** Plans and their retention limits (DESIGN §5): whichever limit is reached first applies. */
import { z } from 'zod';

export const PLANS = ['trial', 'pro', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];

export interface RetentionLimits {
  /** Logs older than this many days are dropped; null means no age limit. */
  maxAgeDays: number | null;
  /** At most this many logs are kept; null means no count limit. */
  maxLogs: number | null;
}

export const PLAN_LIMITS: Record<Exclude<Plan, 'enterprise'>, RetentionLimits> = {
  trial: { maxAgeDays: 7, maxLogs: 50_000 },
  pro: { maxAgeDays: 30, maxLogs: 1_000_000 },
};

/** Enterprise defaults until configured: the Pro limits. */
export const ENTERPRISE_DEFAULT_LIMITS: RetentionLimits = { maxAgeDays: 30, maxLogs: 1_000_000 };

export const RetentionLimitsSchema = z
  .object({
    maxAgeDays: z.number().int().positive().max(3650).nullable(),
    maxLogs: z.number().int().positive().max(1_000_000_000).nullable(),
  })
  .strict();

export class InvalidPlanError extends Error {
  override readonly name = 'InvalidPlanError';
}

export function parsePlan(value: string): Plan {
  if ((PLANS as readonly string[]).includes(value)) return value as Plan;
  throw new InvalidPlanError(`unknown plan ${JSON.stringify(value)}: expected one of ${PLANS.join(', ')}`);
}

/**
 * The limits a plan enforces. Only enterprise takes custom limits; for it,
 * a missing custom value falls back to {@link ENTERPRISE_DEFAULT_LIMITS}.
 */
export function limitsFor(plan: Plan, custom?: Partial<RetentionLimits>): RetentionLimits {
  if (plan !== 'enterprise') {
    if (custom && (custom.maxAgeDays !== undefined || custom.maxLogs !== undefined)) {
      throw new InvalidPlanError(`custom retention limits are only for the enterprise plan, not ${plan}`);
    }
    return PLAN_LIMITS[plan];
  }
  const limits = { ...ENTERPRISE_DEFAULT_LIMITS, ...custom };
  const parsed = RetentionLimitsSchema.safeParse(limits);
  if (!parsed.success) {
    throw new InvalidPlanError(
      `invalid enterprise limits: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}
