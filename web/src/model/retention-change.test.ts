import type { RetentionStatusResponse } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import { limitsOfChange, retentionImpact } from './retention-change.ts';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const status: RetentionStatusResponse = {
  projectId: 'prj_1',
  projectName: 'p',
  plan: 'pro',
  limits: { maxAgeDays: 30, maxLogs: 1_000_000 },
  logCount: 60_000,
  logsDropped: 0,
  oldestLogAt: '2026-11-10T12:00:00.000Z',
  ageRetention: 'sweep',
};

describe('retention change', () => {
  it('when moving to a plan with a smaller cap, then the confirmation counts the logs past it', () => {
    const impact = retentionImpact(status, { plan: 'trial' }, NOW);
    expect(impact.overCap).toBe(10_000);
    // The trial's 7 days cut logs from before 2026-11-23; the oldest is from 2026-11-10.
    expect(impact.ageCutoff?.toISOString().slice(0, 10)).toBe('2026-11-23');
    expect(impact.summary).toMatch(
      /^This change deletes at least 10,000 of 60,000 logs .* every log older than 7 days/,
    );
  });

  it('when the new limits hold everything, then it says nothing is deleted', () => {
    const impact = retentionImpact(status, { plan: 'enterprise', limits: { maxAgeDays: null, maxLogs: null } }, NOW);
    expect(impact).toMatchObject({ overCap: 0, ageCutoff: null, summary: 'This change deletes no logs now.' });
  });

  it('enterprise without limits given falls back to the enterprise defaults', () => {
    expect(limitsOfChange({ plan: 'enterprise' })).toEqual({ maxAgeDays: 30, maxLogs: 1_000_000 });
  });
});
