import { describe, expect, it } from 'vitest';
import { InvalidCursorError } from '../store.ts';
import { decodeCursor, encodeCursor, sortValuesOf } from './cursor.ts';

const traceId = '0123456789abcdef0123456789abcdef';

describe('cursors', () => {
  it('when a cursor is decoded for its own list, then the sort values come back', () => {
    expect(decodeCursor('tool-calls', encodeCursor('tool-calls', [5, traceId, '0123456789abcdef']))).toEqual([
      5,
      traceId,
      '0123456789abcdef',
    ]);
    expect(decodeCursor('trigger-events', encodeCursor('trigger-events', [7, traceId]))).toEqual([7, traceId]);
  });

  it.each([
    ['garbage', 'not-a-cursor!'],
    ['another list', encodeCursor('trigger-events', [7, traceId])],
    [
      'a float time',
      Buffer.from(JSON.stringify(['tool-calls', 1.5, traceId, '0123456789abcdef'])).toString('base64url'),
    ],
    [
      'a short trace ID',
      Buffer.from(JSON.stringify(['tool-calls', 1, 'abc', '0123456789abcdef'])).toString('base64url'),
    ],
    ['an object', Buffer.from(JSON.stringify({ a: 1 })).toString('base64url')],
    [
      'extra values',
      Buffer.from(JSON.stringify(['tool-calls', 1, traceId, '0123456789abcdef', 'x'])).toString('base64url'),
    ],
  ])('when the cursor is %s, then it is refused as invalid', (_, cursor) => {
    expect(() => decodeCursor('tool-calls', cursor)).toThrow(InvalidCursorError);
  });

  it("when a hit's sort values do not match the list, then that is an error rather than a bad cursor", () => {
    expect(sortValuesOf('trigger-events', [9, traceId])).toEqual([9, traceId]);
    expect(() => sortValuesOf('tool-calls', [9, traceId])).toThrow(/unexpected sort values/);
  });
});
