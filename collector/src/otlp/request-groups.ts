/**
 * The one walk over an OTLP request's resource and scope groups. Traces and
 * logs differ only in the names of their three lists, so every place that
 * reads or rebuilds a request — both decoders (protobuf messages, OTLP/JSON),
 * the forwarder's filter and its encoder — goes through here, and the paths in
 * error messages (`resourceSpans[0].scopeSpans[1].spans[2]`) are spelled once.
 */
import type { LogsRequest, OtlpAttributes, OtlpRequest, OtlpScope, Signal, TracesRequest } from './types.ts';

/** The names of a signal's resource groups, scope groups and items. */
export type GroupLists = readonly [resources: string, scopes: string, items: string];

export const GROUP_LISTS: Record<Signal, GroupLists> = {
  traces: ['resourceSpans', 'scopeSpans', 'spans'],
  logs: ['resourceLogs', 'scopeLogs', 'logRecords'],
};

/**
 * How one encoding reads the list `key` of a container (the request, whose
 * path is '', or a group), and the resource and scope of a group at `path`.
 */
export interface GroupReader {
  list(container: unknown, path: string, key: string): readonly unknown[];
  resource(group: unknown, path: string): OtlpAttributes;
  scope(group: unknown, path: string): OtlpScope;
}

type ItemReader = (value: unknown, path: string) => unknown;

/** A decoded request in the internal shape: groups read by `reader`, items by `item`. */
function readGroups(request: unknown, lists: GroupLists, reader: GroupReader, item: ItemReader): unknown {
  const [resources, scopes, items] = lists;
  return {
    [resources]: reader.list(request, '', resources).map((group, r) => {
      const path = `${resources}[${r}]`;
      return {
        resource: reader.resource(group, path),
        [scopes]: reader.list(group, path, scopes).map((scopeGroup, s) => {
          const sp = `${path}.${scopes}[${s}]`;
          return {
            scope: reader.scope(scopeGroup, sp),
            [items]: reader.list(scopeGroup, sp, items).map((value, i) => item(value, `${sp}.${items}[${i}]`)),
          };
        }),
      };
    }),
  };
}

export function tracesRequest(request: unknown, reader: GroupReader, span: ItemReader): TracesRequest {
  return readGroups(request, GROUP_LISTS.traces, reader, span) as TracesRequest;
}

export function logsRequest(request: unknown, reader: GroupReader, record: ItemReader): LogsRequest {
  return readGroups(request, GROUP_LISTS.logs, reader, record) as LogsRequest;
}

/** What a rebuilt request holds in place of each resource, scope and item; an item mapped to null is left out. */
export interface GroupRebuild {
  resource(resource: OtlpAttributes): unknown;
  scope(scope: OtlpScope): unknown;
  item(item: never): unknown;
  /** Leave out scope and resource groups that end up empty. */
  dropEmpty: boolean;
}

interface ResourceGroup {
  resource: OtlpAttributes;
  [list: string]: unknown;
}
interface ScopeGroup {
  scope: OtlpScope;
  [list: string]: unknown;
}
const listOf = <T>(container: object, key: string): T[] => (container as Record<string, T[]>)[key]!;

/** A normalised request rebuilt group by group (the forwarder's filter, its encoder). */
export function rebuildGroups(request: TracesRequest | LogsRequest, lists: GroupLists, rebuild: GroupRebuild): object {
  const [resources, scopes, items] = lists;
  const out: object[] = [];
  for (const group of listOf<ResourceGroup>(request, resources)) {
    const scopesOut: object[] = [];
    for (const scopeGroup of listOf<ScopeGroup>(group, scopes)) {
      const kept: unknown[] = [];
      for (const item of listOf<never>(scopeGroup, items)) {
        const rebuilt = rebuild.item(item);
        if (rebuilt !== null) kept.push(rebuilt);
      }
      if (kept.length > 0 || !rebuild.dropEmpty)
        scopesOut.push({ scope: rebuild.scope(scopeGroup.scope), [items]: kept });
    }
    if (scopesOut.length > 0 || !rebuild.dropEmpty) {
      out.push({ resource: rebuild.resource(group.resource), [scopes]: scopesOut });
    }
  }
  return { [resources]: out };
}

/** Visits every span or log record of `decoded`, in order, with the resource of its group. */
export function forEachItem<T>(decoded: OtlpRequest, visit: (item: T, resource: OtlpAttributes) => void): void {
  const [resources, scopes, items] = GROUP_LISTS[decoded.signal];
  for (const group of listOf<ResourceGroup>(decoded.request, resources)) {
    for (const scopeGroup of listOf<ScopeGroup>(group, scopes)) {
      for (const item of listOf<T>(scopeGroup, items)) visit(item, group.resource);
    }
  }
}
