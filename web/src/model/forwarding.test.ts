import { describe, expect, it } from 'vitest';
import { bodyOf, EMPTY_FORM, formatLag, parseHeaderLines } from './forwarding.ts';

describe('forwarding view model', () => {
  it('reads "Name: value" header lines and names a bad line', () => {
    expect(parseHeaderLines('x-api-key: abc\n\nAuthorization: Bearer t:1')).toEqual({
      headers: { 'x-api-key': 'abc', Authorization: 'Bearer t:1' },
    });
    expect(parseHeaderLines('ok: 1\nno colon here')).toEqual({ error: 'Header line 2 must look like "Name: value".' });
  });

  it('sends headers for a new destination, and for an edit only when some were typed', () => {
    const form = { ...EMPTY_FORM, name: 'n', endpoint: 'https://e.example' };
    expect(bodyOf(form, false)).toEqual({ ...form, headers: {} });
    expect(bodyOf(form, true)).not.toHaveProperty('headers');
    expect(bodyOf({ ...form, headers: 'k: v' }, true)).toMatchObject({ headers: { k: 'v' } });
  });

  it('shows lag in the largest whole unit', () => {
    expect([0, 42_000, 185_000, 7_300_000].map(formatLag)).toEqual(['0 s', '42 s', '3 min', '2 h']);
  });
});
