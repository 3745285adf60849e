import { describe, expect, it } from 'vitest';
import { errorCategoryView, groupCallsPath, sparklinePoints } from './error-groups.ts';

describe('error groups view model', () => {
  it('labels categories from conventions, with a tone each', () => {
    expect(errorCategoryView('auth_revoked')).toEqual({ label: 'Auth revoked', tone: 'danger' });
    expect(errorCategoryView('rate_limited')).toEqual({ label: 'Rate limited', tone: 'warning' });
    expect(errorCategoryView(null)).toEqual({ label: 'Uncategorised', tone: 'neutral' });
  });

  it('draws a trend with the peak at the top and zero at the bottom', () => {
    expect(sparklinePoints([0, 2, 1], 100, 21)).toBe('0,20.5 50,0.5 100,10.5');
    expect(sparklinePoints([3], 80, 20)).toBe('40,0.5');
    expect(sparklinePoints([], 80, 20)).toBe('');
  });

  it('links a group to the Tools list filtered by it, keeping the range and the other filters', () => {
    const path = groupCallsPath('00000000000000aa', { values: { integration: 'slack' }, range: { preset: '7d' } });
    const url = new URL(path, 'http://x');
    expect(url.pathname).toBe('/tools');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      integration: 'slack',
      errorGroup: '00000000000000aa',
      range: '7d',
    });
  });
});
