/**
 * One field of a project's document (forwarding destinations, ingest status),
 * changed by read-modify-write guarded by the document's sequence number, so
 * two concurrent changes cannot lose one. The whole document is written back
 * (`index`), not a partial `update`: Elasticsearch merges a partial doc into
 * objects key by key, so keys the change removed (a pruned sender's samples, a
 * deleted destination's report) would stay.
 */
import { ProjectNotFoundError } from '../store.ts';
import { type Cluster, isNotFound } from './cluster.ts';
import type { ProjectDocument } from './projects.ts';

export type ProjectField = 'forwarding' | 'forwardingStatus' | 'ingest';

interface Versioned<K extends ProjectField> {
  value: ProjectDocument[K];
  seqNo: number;
  primaryTerm: number;
  document: ProjectDocument;
}

const CONFLICT_RETRIES = 5;

export async function readProjectField<K extends ProjectField>(
  cluster: Cluster,
  projectId: string,
  field: K,
): Promise<Versioned<K>> {
  try {
    const response = await cluster.client.get<ProjectDocument>({ index: cluster.names.projects, id: projectId });
    if (!response.found || !response._source) throw new ProjectNotFoundError(projectId);
    return {
      document: response._source,
      value: response._source[field],
      seqNo: response._seq_no ?? 0,
      primaryTerm: response._primary_term ?? 1,
    };
  } catch (error) {
    if (isNotFound(error)) throw new ProjectNotFoundError(projectId);
    throw error;
  }
}

function isConflict(error: unknown): boolean {
  return (error as { meta?: { statusCode?: number } })?.meta?.statusCode === 409;
}

/** Applies `change` to the field and stores it; retried when another writer got there first. */
export async function modifyProjectField<K extends ProjectField, T>(
  cluster: Cluster,
  projectId: string,
  field: K,
  change: (current: ProjectDocument[K]) => { next: ProjectDocument[K]; result: T },
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const current = await readProjectField(cluster, projectId, field);
    const { next, result } = change(current.value);
    try {
      await cluster.client.index({
        index: cluster.names.projects,
        id: projectId,
        document: { ...current.document, [field]: next },
        if_seq_no: current.seqNo,
        if_primary_term: current.primaryTerm,
        refresh: 'wait_for',
      });
      return result;
    } catch (error) {
      if (!isConflict(error) || attempt >= CONFLICT_RETRIES) throw error;
    }
  }
}
