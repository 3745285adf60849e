/**
 * Every global class a component names in a className string is defined by a stylesheet: when
 * styles move into CSS modules, a class left behind in the markup (styled by nothing) fails here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = import.meta.dirname;
// Built from a value (`tone-${tone}`, `badge-${tone}`, `status-${status}`): the prefix is not a class itself.
const DYNAMIC = /^(tone|badge|status)-$/;

function files(dir: string, ending: RegExp): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'e2e' ? [] : files(file, ending);
    return ending.test(entry.name) && !entry.name.includes('.test.') ? [file] : [];
  });
}

/** The literal class names of `className="…"` and of the fixed parts of `className={`…`}`. */
export function literalClassNames(tsx: string): string[] {
  const plain = [...tsx.matchAll(/className="([^"]*)"/g)].map((m) => m[1] ?? '');
  const templates = [...tsx.matchAll(/className=\{`([^`]*)`\}/g)].map((m) => (m[1] ?? '').replace(/\$\{[^}]*\}/g, ' '));
  return [...plain, ...templates].flatMap((text) => text.split(/\s+/)).filter((c) => c && !DYNAMIC.test(c));
}

describe('class names', () => {
  it('when classes are read from markup, then literal and template parts count and built prefixes do not', () => {
    const dollar = '$';
    const tsx = `<a className="button ghost" /><b className={\`${dollar}{styles.x} muted tone-${dollar}{t}\`} />`;
    expect(literalClassNames(tsx)).toEqual(['button', 'ghost', 'muted']);
  });

  it('when a component names a global class, then some stylesheet defines it', () => {
    const css = files(SRC, /\.css$/)
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('\n');
    const undefinedClasses = files(SRC, /\.tsx$/).flatMap((file) =>
      literalClassNames(fs.readFileSync(file, 'utf8'))
        .filter((c) => !new RegExp(`\\.${c.replace(/[-]/g, '\\-')}(?![\\w-])`).test(css))
        .map((c) => `${path.relative(SRC, file)}: ${c}`),
    );
    expect(undefinedClasses).toEqual([]);
  });
});
