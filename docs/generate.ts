/**
 * `npm run docs`: rewrites the generated part of docs/sending-telemetry.md (between its markers)
 * from conventions/. conventions/src/reference.test.ts fails when the file is out of date.
 */
import fs from 'node:fs';
import path from 'node:path';
import { renderAttributeReference } from '@tooltrace/conventions';

export const SENDING_TELEMETRY = path.join(import.meta.dirname, 'sending-telemetry.md');
export const START = '<!-- generated from conventions/src/reference.ts by `npm run docs`: do not edit by hand -->';
export const END = '<!-- end of generated reference -->';

export function withReference(markdown: string, reference: string): string {
  const start = markdown.indexOf(START);
  const end = markdown.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${SENDING_TELEMETRY} lacks the markers ${START} … ${END}`);
  return `${markdown.slice(0, start + START.length)}\n\n${reference}\n${markdown.slice(end)}`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const current = fs.readFileSync(SENDING_TELEMETRY, 'utf8');
  fs.writeFileSync(SENDING_TELEMETRY, withReference(current, renderAttributeReference()));
  console.log(`updated ${SENDING_TELEMETRY}`);
}
