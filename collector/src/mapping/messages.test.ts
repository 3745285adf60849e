import { describe, expect, it } from 'vitest';
import { oneLine } from './messages.ts';

describe('oneLine', () => {
  const reference = (text: string) => {
    const line = text.replace(/\s+/g, ' ').trim();
    return line.length > 300 ? `${line.slice(0, 299)}…` : line;
  };

  it.each([
    'already one line',
    'two  spaces',
    ' leading',
    'trailing ',
    'tab\there',
    'new\nline',
    'crlf\r\nend',
    'no\u00a0break',
    'line\u2028separator',
    '\u3000ideographic',
    '',
    ' ',
    'x'.repeat(301),
    `${'y '.repeat(200)}end`,
  ])('when the text is %j, then it reads as replace + trim would make it', (text) => {
    expect(oneLine(text)).toBe(reference(text));
  });
});
