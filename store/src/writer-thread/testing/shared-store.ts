/**
 * One store for a whole conformance run, for the writer-worker mode: each
 * test's `close` is a no-op and `close()` here closes it after the run. A
 * worker per test (its tsx bootstrap and the backend's modules, about a
 * second) made the Elasticsearch suite 25× slower than inline, and production
 * keeps one writer for its whole life. Tests stay apart as on the real node:
 * each makes its own projects (in one database file, one resource prefix).
 */
import type { Store } from '../../store.ts';

export function sharedStore(open: () => Promise<Store>): { get(): Promise<Store>; close(): Promise<void> } {
  let opened: Promise<Store> | undefined;
  return {
    async get() {
      opened ??= open();
      const store = await opened;
      return new Proxy(store, {
        get: (target, property, receiver) =>
          property === 'close' ? async () => undefined : Reflect.get(target, property, receiver),
      });
    },
    async close() {
      if (opened) await (await opened).close();
    },
  };
}
