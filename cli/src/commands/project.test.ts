import { InvalidPlanError } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import { parsePlanOptions } from './project.ts';

describe('parsePlanOptions', () => {
  it('takes a plan alone', () => {
    expect(parsePlanOptions('trial', {})).toEqual({ plan: 'trial', limits: undefined });
    expect(parsePlanOptions('enterprise', {})).toEqual({ plan: 'enterprise', limits: undefined });
  });

  it('takes enterprise limits as whole numbers or none', () => {
    expect(parsePlanOptions('enterprise', { days: '90', maxLogs: '2000000' })).toEqual({
      plan: 'enterprise',
      limits: { maxAgeDays: 90, maxLogs: 2_000_000 },
    });
    expect(parsePlanOptions('enterprise', { days: 'none' })).toEqual({
      plan: 'enterprise',
      limits: { maxAgeDays: null },
    });
  });

  it.each([
    ['gold', {}, /unknown plan "gold"/],
    ['trial', { days: '3' }, /apply only to --plan enterprise/],
    ['pro', { maxLogs: '10' }, /apply only to --plan enterprise/],
    ['enterprise', { days: '-1' }, /--days must be a whole number from 1 to 3650/],
    ['enterprise', { days: '0' }, /--days must be/],
    ['enterprise', { days: '1.5' }, /--days must be/],
    ['enterprise', { days: '4000' }, /--days must be/],
    ['enterprise', { maxLogs: 'lots' }, /--max-logs must be/],
    ['enterprise', { maxLogs: '' }, /--max-logs must be/],
  ])('refuses plan %s with %j', (plan, options, message) => {
    expect(() => parsePlanOptions(plan, options)).toThrow(InvalidPlanError);
    expect(() => parsePlanOptions(plan, options)).toThrow(message);
  });
});
