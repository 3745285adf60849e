/**
 * A small seeded PRNG (mulberry32): the generator must give the same traces
 * for the same seed on every run and machine, which Math.random cannot.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(list: readonly T[]): T {
    const item = list[Math.floor(this.next() * list.length)];
    if (item === undefined) throw new Error('Rng.pick: empty list');
    return item;
  }

  /** Lowercase hex of the given length, never all zeros (trace/span IDs must not be). */
  hex(length: number): string {
    let out = '';
    while (out.length < length) out += (this.next() * 0x100000000).toString(16).padStart(8, '0');
    out = out.slice(0, length);
    return /^0+$/.test(out) ? `1${out.slice(1)}` : out;
  }

  /** Readable filler text of about `length` characters, for attribute sizes like real payloads. */
  text(length: number): string {
    let out = '';
    while (out.length < length) out += `${this.pick(WORDS)} `;
    return out.slice(0, length).trimEnd();
  }
}

const WORDS = [
  'record',
  'account',
  'contact',
  'channel',
  'message',
  'owner',
  'status',
  'updated',
  'created',
  'pipeline',
  'stage',
  'ticket',
  'priority',
  'assignee',
  'workspace',
  'folder',
  'document',
  'invoice',
  'amount',
  'currency',
  'note',
  'team',
  'project',
  'description',
] as const;
