/**
 * The store conformance suite: one call runs every behaviour the `Store`
 * interface promises against a backend. Backend-neutral on purpose: it uses
 * only the interface, real time (optionally a clock the backend takes), and
 * explicit `enforceRetention(projectId, now)` so write-time and sweep-only
 * retention end in the same state.
 */
import { describe } from 'vitest';
import { type ConformanceStoreOptions, type MakeStore, useStore } from './context.ts';
import { deliveriesConformance } from './deliveries.ts';
import { deliveryFilterConformance } from './delivery-filter.ts';
import { destinationsConformance } from './destinations.ts';
import { errorGroupsConformance } from './error-groups.ts';
import { facetRangesConformance } from './facet-ranges.ts';
import { facetsAndHistogramsConformance } from './facets-histograms.ts';
import { ingestStatusConformance } from './ingest-status.ts';
import { projectsConformance } from './projects.ts';
import { retentionConformance } from './retention.ts';
import { retentionPreviewConformance } from './retention-preview.ts';
import { serializedBatchesConformance } from './serialized-batches.ts';
import { spanLinksConformance } from './span-links.ts';
import { toolCallsConformance } from './tool-calls.ts';
import { triggerEventsConformance } from './trigger-events.ts';
import { userInheritanceConformance } from './user-inheritance.ts';

export * as fixtures from './fixtures.ts';

/**
 * A SQLite writer worker module that dies on a batch holding a log named `crash-the-writer` (for
 * `openSqliteStore({ writer: 'worker', writerModule })` in crash tests of the store's callers).
 */
export const CRASHING_SQLITE_WRITER = new URL('../sqlite/testing/crashing-writer.ts', import.meta.url);
export type { ConformanceStoreOptions, MakeStore };

/** The suite's parts, in the order they run. */
const GROUPS = {
  projects: projectsConformance,
  toolCalls: toolCallsConformance,
  spanLinks: spanLinksConformance,
  serializedBatches: serializedBatchesConformance,
  userInheritance: userInheritanceConformance,
  errorGroups: errorGroupsConformance,
  triggerEvents: triggerEventsConformance,
  deliveries: deliveriesConformance,
  deliveryFilter: deliveryFilterConformance,
  facetsAndHistograms: facetsAndHistogramsConformance,
  facetRanges: facetRangesConformance,
  retention: retentionConformance,
  retentionPreview: retentionPreviewConformance,
  destinations: destinationsConformance,
  ingestStatus: ingestStatusConformance,
};

export type ConformanceGroup = keyof typeof GROUPS;

/**
 * Runs the whole suite, or with `only` some of its parts: for a second run of a backend in another mode on
 * a slow target (the writer worker on a real node), where the other parts would test the same code again.
 */
export function runStoreConformance(
  backendName: string,
  makeStore: MakeStore,
  options: { only?: ConformanceGroup[] } = {},
): void {
  describe(`Store conformance: ${backendName}`, () => {
    const ctx = useStore(makeStore);
    for (const [name, group] of Object.entries(GROUPS)) {
      if (!options.only || options.only.includes(name as ConformanceGroup)) group(ctx);
    }
  });
}
