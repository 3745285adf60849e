/**
 * The store exactly as production opens it (`refresh: false`), with the one
 * thing a test adds: after each call that writes, an explicit refresh, so the
 * reads that follow see it, as they would a second later in production.
 * Nothing inside the store changes: the tested write path is the production one.
 */
import type { Store } from '../../store.ts';

const WRITING_METHODS = new Set<string>(['write', 'setPlan', 'enforceRetention', 'createProject', 'rotateKeys']);

export function withVisibleWrites(store: Store, refresh: () => Promise<unknown>): Store {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || !WRITING_METHODS.has(String(property))) return value;
      return async (...args: unknown[]) => {
        const result = await value.apply(target, args);
        await refresh();
        return result;
      };
    },
  });
}
