/**
 * Forwarding destinations in Elasticsearch: an array on the project's
 * document (a project has a handful), changed by read-modify-write guarded by
 * the document's sequence number (./project-field.ts). The collector's status
 * reports sit beside it, an object by destination ID (`forwardingStatus`).
 */
import type { ForwardDestination } from '@tooltrace/conventions';
import { isDestinationId, newDestination, patchedDestination } from '../destinations.ts';
import {
  DestinationNotFoundError,
  type DestinationSettings,
  ProjectNotFoundError,
  type ReportedDestinationStatus,
} from '../store.ts';
import type { Cluster } from './cluster.ts';
import { modifyProjectField, readProjectField } from './project-field.ts';

const read = async (cluster: Cluster, projectId: string) => ({
  destinations: (await readProjectField(cluster, projectId, 'forwarding')).value ?? [],
});

function modify<T>(
  cluster: Cluster,
  projectId: string,
  change: (destinations: ForwardDestination[]) => { next: ForwardDestination[]; result: T },
): Promise<T> {
  return modifyProjectField(cluster, projectId, 'forwarding', (current) => change(current ?? []));
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
    reportStatus: (projectId, statuses) =>
      guard(async () => {
        const ids = new Set((await listOf(projectId)).map((d) => d.id));
        if (ids.size === 0) return;
        const reportedAt = new Date(cluster.now()).toISOString();
        await modifyProjectField(cluster, projectId, 'forwardingStatus', (current) => {
          // Reports of deleted destinations are pruned here, on the way.
          const next: Record<string, ReportedDestinationStatus> = {};
          for (const [id, report] of Object.entries(current ?? {})) if (ids.has(id)) next[id] = report;
          for (const [id, status] of Object.entries(statuses)) if (ids.has(id)) next[id] = { status, reportedAt };
          return { next, result: undefined };
        });
      }),
    reportedStatus: (projectId) =>
      guard(async () => {
        const [destinations, reports] = await Promise.all([
          listOf(projectId),
          readProjectField(cluster, projectId, 'forwardingStatus').catch((error) => {
            if (error instanceof ProjectNotFoundError) return { value: undefined };
            throw error;
          }),
        ]);
        const out: Record<string, ReportedDestinationStatus> = {};
        for (const { id } of destinations) {
          const report = reports.value?.[id];
          if (report) out[id] = report;
        }
        return out;
      }),
  };
}
