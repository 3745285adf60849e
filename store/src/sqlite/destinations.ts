/** Forwarding destinations in SQLite: one row each, settings as one JSON document. */
import type { ForwardDestination } from '@tooltrace/conventions';
import { isDestinationId, newDestination, patchedDestination } from '../destinations.ts';
import { DestinationNotFoundError, type DestinationSettings, type ReportedDestinationStatus } from '../store.ts';
import { projectRow } from './projects.ts';
import type { Statements } from './statements.ts';

interface DestinationRow {
  destination_id: string;
  project_id: string;
  settings: string;
  created_at: number;
  updated_at: number;
  status: string | null;
  status_at: number | null;
}

type Settings = Omit<ForwardDestination, 'id' | 'projectId' | 'createdAt' | 'updatedAt'>;

function fromRow(row: DestinationRow): ForwardDestination {
  const settings = JSON.parse(row.settings) as Settings;
  return {
    id: row.destination_id,
    projectId: row.project_id,
    ...settings,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

function settingsOf({ id: _id, projectId: _p, createdAt: _c, updatedAt: _u, ...settings }: ForwardDestination): string {
  return JSON.stringify(settings);
}

/** `run` executes one operation in a transaction, mapping "file unusable" errors like the rest of the store. */
export function sqliteDestinations(
  s: Statements,
  run: <T>(operation: () => T) => Promise<T>,
  now: () => number,
): DestinationSettings {
  const find = (projectId: string, id: string) =>
    isDestinationId(id)
      ? s.one<DestinationRow>(
          'SELECT * FROM forward_destinations WHERE project_id = ? AND destination_id = ?',
          projectId,
          id,
        )
      : undefined;
  const list = (projectId: string) =>
    s.all<DestinationRow>(
      'SELECT * FROM forward_destinations WHERE project_id = ? ORDER BY created_at, destination_id',
      projectId,
    );
  return {
    list: (projectId) => run(() => list(projectId).map(fromRow)),
    get: (projectId, id) =>
      run(() => {
        const row = find(projectId, id);
        return row ? fromRow(row) : null;
      }),
    create: (projectId, input) =>
      run(() => {
        projectRow(s, projectId);
        const destination = newDestination(projectId, input, list(projectId).length, now());
        s.run(
          'INSERT INTO forward_destinations (destination_id, project_id, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
          destination.id,
          projectId,
          settingsOf(destination),
          Date.parse(destination.createdAt),
          Date.parse(destination.updatedAt),
        );
        return destination;
      }),
    update: (projectId, id, patch) =>
      run(() => {
        const row = find(projectId, id);
        if (!row) throw new DestinationNotFoundError(id);
        const updated = patchedDestination(fromRow(row), patch, now());
        s.run(
          'UPDATE forward_destinations SET settings = ?, updated_at = ? WHERE destination_id = ?',
          settingsOf(updated),
          Date.parse(updated.updatedAt),
          id,
        );
        return updated;
      }),
    delete: (projectId, id) =>
      run(() => {
        if (!isDestinationId(id)) return false;
        const result = s.run(
          'DELETE FROM forward_destinations WHERE project_id = ? AND destination_id = ?',
          projectId,
          id,
        );
        return result.changes > 0;
      }),
    reportStatus: (projectId, statuses) =>
      run(() => {
        const at = now();
        for (const [id, status] of Object.entries(statuses)) {
          s.run(
            'UPDATE forward_destinations SET status = ?, status_at = ? WHERE project_id = ? AND destination_id = ?',
            JSON.stringify(status),
            at,
            projectId,
            id,
          );
        }
      }),
    reportedStatus: (projectId) =>
      run(() => {
        const reports: Record<string, ReportedDestinationStatus> = {};
        for (const row of list(projectId)) {
          if (row.status === null || row.status_at === null) continue;
          reports[row.destination_id] = {
            status: JSON.parse(row.status),
            reportedAt: new Date(row.status_at).toISOString(),
          };
        }
        return reports;
      }),
  };
}
