/**
 * The list endpoints of both tabs share one behaviour: a page with a signed
 * cursor, or, with `format`, a download of every matching row.
 */
import type { Page, PageRequest } from '@tooltrace/store';
import type { CursorScope } from '../cursor.ts';
import { allPages, EXPORT_PAGE_SIZE, type ExportFormat, sendExport } from '../export.ts';
import { type RouteContext, STREAMED } from '../route.ts';
import type { RouteDeps } from './deps.ts';

interface ListQuery {
  limit: number;
  cursor?: string | undefined;
  format?: ExportFormat | undefined;
}

export function listOrExport<F extends object, T extends object>(
  { cursors, now, sessions }: Pick<RouteDeps, 'cursors' | 'now' | 'sessions'>,
  list: CursorScope['list'],
  columns: readonly string[],
  fetchPage: (projectId: string, filters: F, page: PageRequest) => Promise<Page<T>>,
) {
  return async (
    { query }: { query: ListQuery & F },
    { project, caller, res }: RouteContext,
  ): Promise<{ items: T[]; nextCursor: string | null } | typeof STREAMED> => {
    const { limit, cursor, format, ...rest } = query;
    const filters = rest as unknown as F;
    const scope = { list, projectId: project.projectId, filters };
    const start = cursor === undefined ? undefined : cursors.unwrap(scope, cursor);
    if (format) {
      const pages = allPages(start, (c) =>
        fetchPage(project.projectId, filters, { limit: EXPORT_PAGE_SIZE, cursor: c }),
      );
      // A download opened with a key that is then rotated is cut: the client sees it fail, not finish.
      const untrack = sessions.track(caller.key, () => res.destroy());
      try {
        await sendExport(res, { format, listName: list, columns, now: new Date(now()) }, pages);
      } finally {
        untrack();
      }
      return STREAMED;
    }
    const page = await fetchPage(project.projectId, filters, { limit, cursor: start });
    return { items: page.items, nextCursor: page.nextCursor === null ? null : cursors.wrap(scope, page.nextCursor) };
  };
}
