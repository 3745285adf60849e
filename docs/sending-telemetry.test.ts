/** docs/sending-telemetry.md holds the attribute reference exactly as conventions/ renders it. */
import fs from 'node:fs';
import * as attributes from '@tooltrace/conventions';
import { renderAttributeReference, SPAN_REFERENCE, USER_ATTRIBUTES } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import { SENDING_TELEMETRY, withReference } from './generate.ts';

describe('docs/sending-telemetry.md', () => {
  it('when the reference is rendered from conventions/, then the file already holds it (else run npm run docs)', () => {
    const current = fs.readFileSync(SENDING_TELEMETRY, 'utf8');
    expect(current).toBe(withReference(current, renderAttributeReference()));
  });

  it('when conventions/ names an attribute, then the reference documents it', () => {
    const documented = new Set([
      ...SPAN_REFERENCE.flatMap((kind) => kind.attributes.map((a) => a.name)),
      ...USER_ATTRIBUTES,
    ]);
    const named = Object.entries(attributes)
      .filter(([name, value]) => name.startsWith('ATTR_') && typeof value === 'string')
      .map(([, value]) => value as string);
    expect(named.length).toBeGreaterThan(30);
    expect(named.filter((name) => !documented.has(name))).toEqual([]);
  });
});
