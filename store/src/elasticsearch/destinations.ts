/**
 * Forwarding destinations in Elasticsearch: an array on the project's
 * document (a project has a handful), changed by read-modify-write guarded by
 * the document's sequence number, so two concurrent changes cannot lose one.
 */
import type { ForwardDestination } from '@tooltrace/conventions';
import { isDestinationId, newDestination, patchedDestination } from '../destinations.ts';
import { DestinationNotFoundError, type DestinationSettings, ProjectNotFoundError } from '../store.ts';
import { type Cluster, isNotFound } from './cluster.ts';
import type { ProjectDocument } from './projects.ts';

interface Versioned {
  destinations: ForwardDestination[];
  seqNo: number;
  primaryTerm: number;
}

const CONFLICT_RETRIES = 5;

async function read(cluster: Cluster, projectId: string): Promise<Versioned> {
  try {
    const response = await cluster.client.get<ProjectDocument>({ index: cluster.names.projects, id: projectId });
    if (!response.found || !response._source) throw new ProjectNotFoundError(projectId);
    return {
      destinations: response._source.forwarding ?? [],
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

/** Applies `change` to the project's list and stores it; retried when another writer got there first. */
async function modify<T>(
  cluster: Cluster,
  projectId: string,
  change: (destinations: ForwardDestination[]) => { next: ForwardDestination[]; result: T },
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const current = await read(cluster, projectId);
    const { next, result } = change(current.destinations);
    try {
      await cluster.client.update({
        index: cluster.names.projects,
        id: projectId,
        doc: { forwarding: next },
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

export function elasticsearchDestinations(
  cluster: Cluster,
  guard: <T>(operation: () => Promise<T>) => Promise<T>,
): DestinationSettings {
  const listOf = async (projectId: string) => {
    try {
      return (await read(cluster, projectId)).destinations;
    } catch (error) {
      if (error instanceof ProjectNotFoundError) return [];
      throw error;
    }
  };
  return {
    list: (projectId) => guard(() => listOf(projectId)),
    get: (projectId, id) =>
      guard(async () => (isDestinationId(id) ? ((await listOf(projectId)).find((d) => d.id === id) ?? null) : null)),
    create: (projectId, input) =>
      guard(() =>
        modify(cluster, projectId, (destinations) => {
          const destination = newDestination(projectId, input, destinations.length, cluster.now());
          return { next: [...destinations, destination], result: destination };
        }),
      ),
    update: (projectId, id, patch) =>
      guard(() =>
        modify(cluster, projectId, (destinations) => {
          const current = destinations.find((d) => d.id === id);
          if (!current) throw new DestinationNotFoundError(id);
          const updated = patchedDestination(current, patch, cluster.now());
          return { next: destinations.map((d) => (d.id === id ? updated : d)), result: updated };
        }),
      ),
    delete: (projectId, id) =>
      guard(async () => {
        if (!isDestinationId(id)) return false;
        try {
          return await modify(cluster, projectId, (destinations) => ({
            next: destinations.filter((d) => d.id !== id),
            result: destinations.some((d) => d.id === id),
          }));
        } catch (error) {
          if (error instanceof ProjectNotFoundError) return false;
          throw error;
        }
      }),
  };
}
