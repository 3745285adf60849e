/**
 * Wrappers around the real store that change one behaviour for a test: a
 * write that waits at a gate (to fill the write queue), or a write that
 * fails. Everything else goes to the real store.
 */
import type { Store, WritableBatch } from '@tooltrace/store';

function withWrite(store: Store, write: Store['write']): Store {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'write') return write;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export interface Gate {
  /** Resolves when the first write reached the gate. */
  reached: Promise<void>;
  open(): void;
}

export function gatedWrites(): { gate: Gate; wrap: (store: Store) => Store } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  let reach!: () => void;
  const reached = new Promise<void>((resolve) => {
    reach = resolve;
  });
  return {
    gate: { reached, open },
    wrap: (store) =>
      withWrite(store, async (projectId: string, batch: WritableBatch) => {
        reach();
        await opened;
        return store.write(projectId, batch);
      }),
  };
}

export function failingWrites(error: () => Error): (store: Store) => Store {
  return (store) => withWrite(store, () => Promise.reject(error()));
}
