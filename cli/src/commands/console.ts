/** What the store-backed commands share: opening the store for one action, and printing. */
import type { Store } from '@tooltrace/store';
import { type Config, loadConfig } from '../config.ts';
import { openStore } from '../open-store.ts';
import { storeLocation, storeNotice } from '../store-location.ts';

/** Opens the configured store for one action and closes it after, also on failure. */
export async function withStore<T>(use: (store: Store) => Promise<T>, config: Config = loadConfig()): Promise<T> {
  for (const line of storeNotice(storeLocation(config))) process.stderr.write(`tooltrace: ${line}\n`);
  const store = await openStore(config);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  say(line(header));
  for (const row of rows) say(line(row));
}

export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** commander's accumulator for a repeatable option. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
