/**
 * Long responses (live feeds, exports) outlive the request that authenticated
 * them. Rotating a project's keys must end them (DESIGN §5), also when the
 * rotation happens in another process (`tooltrace project rotate-keys` beside
 * a running `start`), so the open ones are re-checked against the store on a
 * timer: a key that no longer authenticates has its responses ended.
 */
import type { Store } from '@tooltrace/store';

export const KEY_CHECK_MS = 2_000;

type End = () => void;

export class KeySessions {
  readonly #open = new Map<string, Set<End>>();
  #timer: NodeJS.Timeout | null = null;
  #checking = false;

  constructor(
    private readonly store: Pick<Store, 'authenticate'>,
    private readonly checkMs = KEY_CHECK_MS,
  ) {}

  /** Tracks a response opened with `key`; `end` is called once if the key stops working. Returns the untrack function. */
  track(key: string, end: End): () => void {
    let ends = this.#open.get(key);
    if (!ends) {
      ends = new Set();
      this.#open.set(key, ends);
    }
    ends.add(end);
    this.#start();
    return () => {
      const set = this.#open.get(key);
      set?.delete(end);
      if (set && set.size === 0) this.#open.delete(key);
      if (this.#open.size === 0) this.#stop();
    };
  }

  /** Open responses, for tests and health. */
  get size(): number {
    let n = 0;
    for (const ends of this.#open.values()) n += ends.size;
    return n;
  }

  async check(): Promise<void> {
    if (this.#checking) return;
    this.#checking = true;
    try {
      for (const [key, ends] of [...this.#open]) {
        let valid: boolean;
        try {
          valid = (await this.store.authenticate(key)) !== null;
        } catch {
          continue; // The store being briefly unavailable is not a rotation.
        }
        if (valid) continue;
        this.#open.delete(key);
        for (const end of ends) end();
      }
      if (this.#open.size === 0) this.#stop();
    } finally {
      this.#checking = false;
    }
  }

  #start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.check(), this.checkMs);
    this.#timer.unref();
  }

  #stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
