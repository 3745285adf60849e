import { describe, expect, it } from 'vitest';
import { limitsOfChange, previewSummary } from './retention-change.ts';

describe('retention change', () => {
  it('when the preview deletes logs, then the confirmation gives the exact count, of how many, and the traces', () => {
    const summary = previewSummary({
      plan: 'trial',
      limits: { maxAgeDays: 7, maxLogs: 50_000 },
      logCount: 60_000,
      logsDeleted: 12_345,
      tracesDeleted: 4_000,
    });
    expect(summary).toBe(
      'This change deletes 12,345 of 60,000 logs now (4,000 traces, the oldest, whole). This cannot be undone.',
    );
  });

  it('when the new limits hold everything, then it says nothing is deleted', () => {
    const preview = { plan: 'pro' as const, limits: PRO, logCount: 10, logsDeleted: 0, tracesDeleted: 0 };
    expect(previewSummary(preview)).toBe('This change deletes no logs now.');
    expect(previewSummary({ ...preview, logsDeleted: 3, tracesDeleted: 1 })).toContain('3 of 10 logs now (1 trace,');
  });

  it('enterprise without limits given falls back to the enterprise defaults', () => {
    expect(limitsOfChange({ plan: 'enterprise' })).toEqual({ maxAgeDays: 30, maxLogs: 1_000_000 });
  });
});

const PRO = { maxAgeDays: 30, maxLogs: 1_000_000 };
