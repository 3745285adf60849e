import { describe, expect, it } from 'vitest';
import { ENTERPRISE_DEFAULT_LIMITS, InvalidPlanError, limitsFor, PLAN_LIMITS, PLANS, parsePlan } from './plans.ts';

describe('plans', () => {
  it('has the limits of DESIGN §5', () => {
    expect(PLANS).toEqual(['trial', 'pro', 'enterprise']);
    expect(limitsFor('trial')).toEqual({ maxAgeDays: 7, maxLogs: 50_000 });
    expect(limitsFor('pro')).toEqual({ maxAgeDays: 30, maxLogs: 1_000_000 });
    expect(PLAN_LIMITS.trial).toEqual(limitsFor('trial'));
  });

  it('parses known plan names and names the choices for unknown ones', () => {
    expect(parsePlan('pro')).toBe('pro');
    expect(() => parsePlan('gold')).toThrow(InvalidPlanError);
    expect(() => parsePlan('Pro')).toThrow(/expected one of trial, pro, enterprise/);
    expect(() => parsePlan('')).toThrow(InvalidPlanError);
  });

  it('enterprise takes custom limits, each falling back to the default', () => {
    expect(limitsFor('enterprise')).toEqual(ENTERPRISE_DEFAULT_LIMITS);
    expect(limitsFor('enterprise', { maxAgeDays: 90 })).toEqual({ maxAgeDays: 90, maxLogs: 1_000_000 });
    expect(limitsFor('enterprise', { maxLogs: 5 })).toEqual({ maxAgeDays: 30, maxLogs: 5 });
    expect(limitsFor('enterprise', { maxAgeDays: null, maxLogs: 10 })).toEqual({ maxAgeDays: null, maxLogs: 10 });
  });

  it.each([
    [{ maxAgeDays: -1 }, 'maxAgeDays'],
    [{ maxAgeDays: 0 }, 'maxAgeDays'],
    [{ maxAgeDays: 2.5 }, 'maxAgeDays'],
    [{ maxLogs: -10 }, 'maxLogs'],
    [{ maxLogs: Number.NaN }, 'maxLogs'],
    [{ maxAgeDays: 100_000 }, 'maxAgeDays'],
  ])('rejects bad enterprise limits %j, naming the field', (limits, field) => {
    expect(() => limitsFor('enterprise', limits)).toThrow(InvalidPlanError);
    expect(() => limitsFor('enterprise', limits)).toThrow(field);
  });

  it('refuses custom limits on trial and pro', () => {
    expect(() => limitsFor('trial', { maxAgeDays: 3 })).toThrow(/only for the enterprise plan/);
    expect(() => limitsFor('pro', { maxLogs: 10 })).toThrow(InvalidPlanError);
    expect(limitsFor('pro', {})).toEqual(PLAN_LIMITS.pro);
  });
});
