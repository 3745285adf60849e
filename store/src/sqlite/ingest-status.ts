/** A project's ingest status in SQLite: one row per project holding the document of ../ingest-status.ts. */
import { type IngestStatusDocument, mergeIngestDelta, sampleTraceIds, summarizeIngest } from '../ingest-status.ts';
import type { IngestStatusStore } from '../store.ts';
import { tracesWithRecords } from './details.ts';
import type { Statements } from './statements.ts';

type Runner = <T>(operation: () => T) => Promise<T>;

/** `write` runs in a write transaction; `read` in a read snapshot, so the summary never waits for the writer. */
export function sqliteIngestStatus(
  s: Statements,
  { write, read }: { write: Runner; read: Runner },
  now: () => number,
): IngestStatusStore {
  const documentOf = (projectId: string): IngestStatusDocument | null => {
    const row = s.one<{ doc: string }>('SELECT doc FROM ingest_status WHERE project_id = ?', projectId);
    return row ? (JSON.parse(row.doc) as IngestStatusDocument) : null;
  };
  return {
    record: (projectId, delta) =>
      write(() => {
        if (!s.one('SELECT 1 FROM projects WHERE project_id = ?', projectId)) return;
        const doc = mergeIngestDelta(documentOf(projectId), delta);
        s.run(
          'INSERT INTO ingest_status (project_id, doc) VALUES (?, ?) ON CONFLICT (project_id) DO UPDATE SET doc = excluded.doc',
          projectId,
          JSON.stringify(doc),
        );
      }),
    summary: (projectId) =>
      read(() => {
        const doc = documentOf(projectId);
        return summarizeIngest(doc, now(), tracesWithRecords(s, projectId, sampleTraceIds(doc)));
      }),
  };
}
