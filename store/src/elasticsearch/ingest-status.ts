/** A project's ingest status in Elasticsearch: the document of ../ingest-status.ts on the project's document. */
import { mergeIngestDelta, sampleTraceIds, summarizeIngest } from '../ingest-status.ts';
import { type IngestStatusStore, ProjectNotFoundError } from '../store.ts';
import type { Cluster } from './cluster.ts';
import { tracesWithRecords } from './details.ts';
import { modifyProjectField, readProjectField } from './project-field.ts';

export function elasticsearchIngestStatus(
  cluster: Cluster,
  guard: <T>(operation: () => Promise<T>) => Promise<T>,
): IngestStatusStore {
  const ignoreMissingProject = (error: unknown) => {
    if (error instanceof ProjectNotFoundError) return null;
    throw error;
  };
  return {
    record: (projectId, delta) =>
      guard(async () => {
        await modifyProjectField(cluster, projectId, 'ingest', (current) => ({
          next: mergeIngestDelta(current ?? null, delta),
          result: undefined,
        })).catch(ignoreMissingProject);
      }),
    summary: (projectId) =>
      guard(async () => {
        const read = await readProjectField(cluster, projectId, 'ingest').catch(ignoreMissingProject);
        const doc = read?.value ?? null;
        return summarizeIngest(doc, cluster.now(), await tracesWithRecords(cluster, projectId, sampleTraceIds(doc)));
      }),
  };
}
