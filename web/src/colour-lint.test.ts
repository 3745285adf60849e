/**
 * No raw colour outside tokens.css: every stylesheet and every inline style or SVG paint in the web
 * sources uses var(--…) tokens, so dark mode (one light-dark() pair per token) reaches everything.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRawColours } from './colour-lint.ts';

const SRC = import.meta.dirname;
const TOKENS = path.join(SRC, 'tokens.css');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'e2e' ? [] : sources(file);
    if (/\.test\.tsx?$|\.fixture\.ts$/.test(entry.name) || file === TOKENS) return [];
    return /\.(css|tsx?)$/.test(entry.name) ? [file] : [];
  });
}

const kindOf = (file: string) => (file.endsWith('.css') ? 'css' : 'ts');

describe('colour tokens', () => {
  it('when a source writes a colour itself, then the check names it (hex, functions, named colours)', () => {
    const css = [
      '.a { color: var(--text); white-space: nowrap; }',
      '/* #fff in a comment is fine */',
      '.b { background: #f9fafb; }',
      '.c { box-shadow: 0 1px 2px rgb(16 24 40 / 5%); }',
      '.d {',
      '  border: 1px solid white;',
      '}',
      '.e { fill: hsl(200 50% 40%); }',
    ].join('\n');
    expect(findRawColours(css, 'css').map((f) => f.line)).toEqual([3, 4, 6, 8]);
    const tsx = [
      "const a = { background: 'var(--accent)' };",
      '<path stroke="white" />',
      "const b = { color: '#101828' };",
      '// #abc in a comment is fine',
      'const c = `hsl(200 55% 45%)`;',
      "window.location.hash = '#readKey=abc';",
    ].join('\n');
    expect(findRawColours(tsx, 'ts').map((f) => f.line)).toEqual([2, 3, 5]);
  });

  it('when the web sources are read, then no colour is written outside tokens.css', () => {
    const files = sources(SRC);
    expect(files.some((f) => f.endsWith('.module.css'))).toBe(true);
    const found = files.flatMap((file) =>
      findRawColours(fs.readFileSync(file, 'utf8'), kindOf(file)).map(
        (f) => `${path.relative(path.dirname(SRC), file)}:${f.line}: ${f.text}`,
      ),
    );
    expect(found, 'raw colours: use a token from web/src/tokens.css').toEqual([]);
  });

  it('when a source uses var(--name), then tokens.css (or the source itself) defines it', () => {
    const defined = new Set(
      [TOKENS, ...sources(SRC)].flatMap((file) =>
        [...fs.readFileSync(file, 'utf8').matchAll(/(--[\w-]+)\s*:/g)].map((m) => m[1]),
      ),
    );
    const undefinedUses = sources(SRC).flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/var\((--[\w-]+)/g)]
        .filter((m) => !defined.has(m[1]) && !/^--identity-$/.test(m[1] ?? ''))
        .map((m) => `${path.relative(path.dirname(SRC), file)}: ${m[1]}`),
    );
    expect(undefinedUses).toEqual([]);
  });
});
