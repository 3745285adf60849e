import type { Plan, RetentionLimits } from '@tooltrace/conventions';
import { afterEach, beforeEach } from 'vitest';
import type { Store } from '../store.ts';

/** What a backend's factory receives. A backend that cannot take a clock may ignore it (the tests' clock is real time). */
export interface ConformanceStoreOptions {
  now: () => number;
}

export type MakeStore = (options: ConformanceStoreOptions) => Promise<Store>;

export interface ConformanceContext {
  /** A fresh store for the current test. */
  readonly store: Store;
  /** The test clock: real time at the start of the test. */
  readonly now: number;
  project(plan?: Plan, limits?: Partial<RetentionLimits>): Promise<string>;
}

/** Opens a fresh store before each test and closes it after. */
export function useStore(makeStore: MakeStore): ConformanceContext {
  let store: Store | undefined;
  let now = Date.now();
  beforeEach(async () => {
    now = Date.now();
    store = await makeStore({ now: () => now });
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });
  return {
    get store() {
      if (!store) throw new Error('store used outside a test');
      return store;
    },
    get now() {
      return now;
    },
    async project(plan = 'pro', limits) {
      if (!store) throw new Error('store used outside a test');
      const created = await store.createProject({ name: `p-${plan}`, plan, limits });
      return created.project.projectId;
    },
  };
}
