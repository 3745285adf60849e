/**
 * The one walk over an OTLP request's resource and scope groups, shared by
 * both readers (protobuf messages and OTLP/JSON): traces and logs differ only
 * in the names of their three lists, so the paths in error messages
 * (`resourceSpans[0].scopeSpans[1].spans[2]`) are spelled in one place.
 */
import type { LogsRequest, OtlpAttributes, OtlpLogRecord, OtlpScope, OtlpSpan, TracesRequest } from './types.ts';

/**
 * How one encoding reads the list `key` of a container (the request, whose
 * path is '', or a group), and the resource and scope of a group at `path`.
 */
export interface GroupReader {
  list(container: unknown, path: string, key: string): readonly unknown[];
  resource(group: unknown, path: string): OtlpAttributes;
  scope(group: unknown, path: string): OtlpScope;
}

type ItemReader<T> = (value: unknown, path: string) => T;

interface Group<T> {
  resource: OtlpAttributes;
  scopes: { scope: OtlpScope; items: T[] }[];
}

function groups<T>(
  request: unknown,
  [resources, scopes, items]: readonly [string, string, string],
  reader: GroupReader,
  item: ItemReader<T>,
): Group<T>[] {
  return reader.list(request, '', resources).map((group, r) => {
    const path = `${resources}[${r}]`;
    return {
      resource: reader.resource(group, path),
      scopes: reader.list(group, path, scopes).map((scopeGroup, s) => {
        const sp = `${path}.${scopes}[${s}]`;
        return {
          scope: reader.scope(scopeGroup, sp),
          items: reader.list(scopeGroup, sp, items).map((value, i) => item(value, `${sp}.${items}[${i}]`)),
        };
      }),
    };
  });
}

export function tracesRequest(request: unknown, reader: GroupReader, span: ItemReader<OtlpSpan>): TracesRequest {
  return {
    resourceSpans: groups(request, ['resourceSpans', 'scopeSpans', 'spans'], reader, span).map((g) => ({
      resource: g.resource,
      scopeSpans: g.scopes.map((s) => ({ scope: s.scope, spans: s.items })),
    })),
  };
}

export function logsRequest(request: unknown, reader: GroupReader, record: ItemReader<OtlpLogRecord>): LogsRequest {
  return {
    resourceLogs: groups(request, ['resourceLogs', 'scopeLogs', 'logRecords'], reader, record).map((g) => ({
      resource: g.resource,
      scopeLogs: g.scopes.map((s) => ({ scope: s.scope, logRecords: s.items })),
    })),
  };
}
