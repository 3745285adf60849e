import { describe, expect, it } from 'vitest';
import { csvCell, csvHeader, csvLine } from './csv.ts';

describe('csvCell', () => {
  it.each([
    [null, ''],
    [undefined, ''],
    [42, '42'],
    [-3.5, '-3.5'],
    [true, 'true'],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rlf', '"cr\rlf"'],
    [['u1', 'u2'], 'u1;u2'],
    [{ a: 1 }, '"{""a"":1}"'],
  ])('when the value is %j, then the cell is %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1+2', "'+1+2"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
  ])('when text starts like a formula (%j), then it is defused with a quote', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });
});

describe('csvLine', () => {
  it('writes the columns in order with CRLF and empty cells for missing values', () => {
    expect(csvHeader(['a', 'b', 'c'])).toBe('a,b,c\r\n');
    expect(csvLine(['a', 'b', 'c'], { c: 'z,', a: 1 })).toBe('1,,"z,"\r\n');
  });
});
