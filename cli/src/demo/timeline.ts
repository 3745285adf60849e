/**
 * When each demo step "happened": a seeded spread of the steps over the last
 * day, oldest first, so the UI's default 24 h view opens on a day of history.
 * Gaps are exponential (arrivals of independent requests), so the traffic
 * clusters and thins out like real traffic rather than ticking evenly.
 */
import type { Random } from './random.ts';

export interface SpreadOptions {
  /** How far back the oldest step lies (default 23 h, inside the UI's 24 h view with room for the run itself). */
  oldestSecondsAgo?: number;
  /** How many of the last steps happen "now" (default 4), so the newest rows are fresh. */
  atNow?: number;
}

/** Seconds before now of each of `steps` steps: whole, non-increasing, first = `oldestSecondsAgo`, last ones 0. */
export function spreadOverDay(steps: number, random: Random, options: SpreadOptions = {}): number[] {
  const oldest = options.oldestSecondsAgo ?? 23 * 3600;
  const atNow = Math.min(options.atNow ?? 4, steps);
  if (!(Number.isInteger(oldest) && oldest >= 0)) {
    throw new RangeError(`oldestSecondsAgo must be a whole number >= 0, got ${oldest}`);
  }
  const spread = steps - atNow;
  // One gap after each spread step: the last spread step still lies a gap before "now".
  const gaps = Array.from({ length: spread }, () => -Math.log(1 - random.next()));
  const total = gaps.reduce((sum, gap) => sum + gap, 0);
  const offsets: number[] = [];
  let remaining = total;
  for (const gap of gaps) {
    offsets.push(Math.round((oldest * remaining) / total));
    remaining -= gap;
  }
  return [...offsets, ...Array.from({ length: atNow }, () => 0)];
}
