/** The Tools tab: filters, histogram, and the virtualised table of tool calls. */
import { TOOL_CALL_STATUSES, TOOL_CALL_TYPES, type ToolCall, ToolCallSchema } from '@tooltrace/conventions';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useApi } from '../app/api-context.tsx';
import { useApiParams, useFacet, useHistogram, usePinnedNow, useToolCalls } from '../app/queries.ts';
import { useRouter, withQuery } from '../app/router.tsx';
import { useShortcuts } from '../app/shortcuts.tsx';
import { useLive } from '../app/use-live.ts';
import { useDocumentTitle } from '../app/use-title.ts';
import { DateRangePicker } from '../components/DateRangePicker.tsx';
import { FacetSelect, TextFilter, TraceSearch } from '../components/filters.tsx';
import { Histogram } from '../components/Histogram.tsx';
import { ShortcutsHint } from '../components/ShortcutsHint.tsx';
import { Badge, StatusBadge, TimeCell } from '../components/StatusBadge.tsx';
import { EmptyState, ErrorState, SkeletonRows } from '../components/states.tsx';
import { ExportMenu, LiveToggle } from '../components/toolbar.tsx';
import { type Column, VirtualTable } from '../components/VirtualTable.tsx';
import { customRange, PRESET_LABELS, rangeLabel } from '../model/date-range.ts';
import {
  activeFilterCount,
  filtersToParams,
  parseToolFilters,
  type ToolFilters,
  withFilterValue,
} from '../model/filters.ts';
import { formatDuration } from '../model/format.ts';
import { moveSelection } from '../model/keyboard.ts';
import { mergeRows, toolCallKey } from '../model/live.ts';
import { describeErrorMessage } from '../model/log-metadata.ts';
import { routePath } from '../model/routes.ts';
import { httpStatusTone, statusSeries, toolCallStatusView } from '../model/status.ts';

const TYPE_LABELS: Record<string, string> = { run_tool: 'Run tool', list_tools: 'List tools' };
const NEW_MS = 8000;

const COLUMNS: Column<ToolCall>[] = [
  {
    id: 'time',
    narrowWidth: 'max-content',
    header: 'Time',
    width: 'minmax(150px, 1.1fr)',
    render: (r) => <TimeCell iso={r.startedAt} />,
  },
  {
    id: 'type',
    wide: true,
    header: 'Type',
    width: 'minmax(88px, 0.6fr)',
    render: (r) => <span className="type-tag">{TYPE_LABELS[r.type] ?? r.type}</span>,
  },
  {
    id: 'tool',
    header: 'Tool',
    width: 'minmax(180px, 1.6fr)',
    render: (r) => <span className="mono strong">{r.toolName ?? '—'}</span>,
  },
  {
    id: 'integration',
    wide: true,
    header: 'Integration',
    width: 'minmax(110px, 0.9fr)',
    render: (r) => <IntegrationName name={r.integration} />,
  },
  {
    id: 'user',
    wide: true,
    header: 'User',
    width: 'minmax(120px, 1fr)',
    render: (r) => <span className="mono muted-strong">{r.userId ?? '—'}</span>,
  },
  {
    id: 'status',
    narrowWidth: 'max-content',
    header: 'Status',
    width: 'minmax(96px, 0.7fr)',
    render: (r) => (
      <span
        title={
          r.errorMessage
            ? `${r.errorCode ? `${r.errorCode}: ` : ''}${describeErrorMessage(r.errorMessage).headline}`
            : undefined
        }
      >
        <StatusBadge view={toolCallStatusView(r.status)} />
      </span>
    ),
  },
  {
    id: 'http',
    wide: true,
    header: 'HTTP',
    width: 'minmax(64px, 0.45fr)',
    render: (r) =>
      r.httpStatus === null ? (
        <span className="muted">—</span>
      ) : (
        <Badge tone={httpStatusTone(r.httpStatus)}>{r.httpStatus}</Badge>
      ),
  },
  {
    id: 'duration',
    wide: true,
    header: 'Duration',
    width: 'minmax(80px, 0.6fr)',
    align: 'right',
    render: (r) => <span className="mono">{formatDuration(r.durationMs)}</span>,
  },
];

export function IntegrationName({ name }: { name: string | null }) {
  if (!name) return <span className="muted">—</span>;
  return (
    <span className="integration">
      {/* The initial comes from CSS so the cell's text is just the integration's name. */}
      <span
        className="integration-icon"
        aria-hidden="true"
        data-initial={name.slice(0, 1).toUpperCase()}
        style={{ background: integrationColour(name) }}
      />
      {name}
    </span>
  );
}

function integrationColour(name: string): string {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return `hsl(${hash % 360} 55% 45%)`;
}

export function ToolsPage() {
  const api = useApi();
  const { params, navigate } = useRouter();
  const filters = useMemo(() => parseToolFilters(params), [params]);
  const live = params.get('live') === '1';
  useDocumentTitle('Tools · Monitoring');
  const [refresh, setRefresh] = useState(0);
  // Live mode re-pins only the histogram's range; the table keeps its pages and gets rows from the stream.
  const [histogramTick, setHistogramTick] = useState(0);
  const now = usePinnedNow(filters, refresh);
  const histogramNow = usePinnedNow(filters, refresh * 1_000_000 + histogramTick);
  const apiParams = useApiParams(filters, now);
  const histogramParams = useApiParams(filters, histogramNow);
  const list = useToolCalls(apiParams);
  const f = {
    userIds: useFacet('tool-calls', filters, now, 'userId', 'userIds'),
    integrations: useFacet('tool-calls', filters, now, 'integration', 'integrations'),
    statuses: useFacet('tool-calls', filters, now, 'status', 'statuses'),
    toolNames: useFacet('tool-calls', filters, now, 'toolName', 'toolNames'),
    types: useFacet('tool-calls', filters, now, 'type', 'types'),
  };
  const histogram = useHistogram('tool-calls', histogramParams);
  const [selected, setSelected] = useState<number | null>(null);

  const go = useCallback(
    (next: ToolFilters, nextLive = live) => {
      const query = filtersToParams(next);
      if (nextLive) query.set('live', '1');
      navigate(withQuery('/tools', query));
    },
    [live, navigate],
  );
  const set = (key: keyof ToolFilters['values']) => (value: string | null) => go(withFilterValue(filters, key, value));

  const liveRows = useLive({
    resource: 'tool-calls',
    eventName: 'tool-call',
    schema: ToolCallSchema,
    params: apiParams,
    enabled: live && filters.range.preset !== 'custom',
    keyOf: toolCallKey,
    onRows: () => undefined,
  });
  // While live, the histogram catches up every few seconds so new bars appear too.
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setHistogramTick((t) => t + 1), 10_000);
    return () => clearInterval(timer);
  }, [live]);

  const fetched = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const rows = useMemo(() => mergeRows(liveRows.rows, fetched, toolCallKey), [liveRows.rows, fetched]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new filter starts a new selection.
  useEffect(() => setSelected(null), [apiParams]);

  const open = (row: ToolCall) =>
    navigate(withQuery(routePath({ name: 'trace', traceId: row.traceId, valid: true }), params));
  const jump = (traceId: string) => navigate(withQuery(routePath({ name: 'trace', traceId, valid: true }), params));

  useShortcuts({
    'focus-search': () => document.getElementById('trace-search')?.focus(),
    next: () => setSelected((s) => moveSelection(s, 1, rows.length)),
    previous: () => setSelected((s) => moveSelection(s, -1, rows.length)),
    open: () => {
      const row = selected !== null ? rows[selected] : undefined;
      if (row) open(row);
    },
  });

  const renderedAt = Date.now();
  const activeCount = activeFilterCount(filters);

  return (
    <section className="tab-page" aria-label="Tool calls">
      <div className="filter-bar" role="search" aria-label="Filter tool calls">
        <TraceSearch value={filters.values.traceId} onFilter={set('traceId')} onJump={jump} />
        <TextFilter
          label="User ID"
          value={filters.values.userId}
          suggestions={f.userIds}
          onChange={set('userId')}
          placeholder="Any user"
        />
        <FacetSelect
          name="integration"
          label="Integration"
          value={filters.values.integration}
          facet={f.integrations}
          onChange={set('integration')}
          allLabel="All integrations"
        />
        <FacetSelect
          name="status"
          label="Status"
          value={filters.values.status}
          facet={f.statuses}
          onChange={set('status')}
          allLabel="Any status"
          fixedOptions={[...TOOL_CALL_STATUSES]}
          optionLabel={(v) =>
            (TOOL_CALL_STATUSES as readonly string[]).includes(v)
              ? toolCallStatusView(v as ToolCall['status']).label
              : v
          }
        />
        <FacetSelect
          name="toolName"
          label="Tool name"
          value={filters.values.toolName}
          facet={f.toolNames}
          onChange={set('toolName')}
          allLabel="All tools"
        />
        <FacetSelect
          name="type"
          label="Type"
          value={filters.values.type}
          facet={f.types}
          onChange={set('type')}
          allLabel="Any type"
          fixedOptions={[...TOOL_CALL_TYPES]}
          optionLabel={(v) => TYPE_LABELS[v] ?? v}
        />
        <DateRangePicker range={filters.range} onChange={(range) => go({ ...filters, range })} />
        {activeCount > 0 && (
          <div className="filter-actions">
            <button type="button" className="link-button" onClick={() => go({ values: {}, range: filters.range })}>
              Clear {activeCount} {activeCount === 1 ? 'filter' : 'filters'}
            </button>
          </div>
        )}
      </div>

      <div className="panel">
        <div className="panel-toolbar">
          <h2 className="panel-title">
            Tool calls <span className="muted">· {rangeLabel(filters.range)}</span>
          </h2>
          <div className="toolbar-actions">
            <LiveToggle
              on={live}
              state={liveRows.state}
              newCount={liveRows.rows.length}
              disabledReason={
                filters.range.preset === 'custom' ? 'Live mode follows a relative range; pick a preset first' : null
              }
              onToggle={() => go(filters, !live)}
            />
            <button type="button" className="button" onClick={() => setRefresh((r) => r + 1)} aria-label="Refresh">
              <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
                <path d="M13 8a5 5 0 1 1-1.5-3.5M13 2.5V5h-2.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
              </svg>
            </button>
            <ExportMenu api={api} resource="tool-calls" filters={filters} />
          </div>
        </div>
        <Histogram
          data={histogram.data}
          loading={histogram.isPending}
          series={statusSeries('tools')}
          noun="tool calls"
          onRange={(from, to) => go({ ...filters, range: customRange(from, to) }, false)}
        />
        {histogram.isError && (
          <ErrorState error={histogram.error} what="the histogram" onRetry={() => histogram.refetch()} />
        )}
      </div>

      <div className="panel panel-table">
        {list.isPending ? (
          <SkeletonRows label="Loading tool calls" />
        ) : list.isError ? (
          <ErrorState error={list.error} what="tool calls" onRetry={() => list.refetch()} />
        ) : rows.length === 0 ? (
          <EmptyState
            title={
              activeCount > 0
                ? 'No tool calls match these filters'
                : filters.range.preset === 'custom'
                  ? 'No tool calls in this range'
                  : `No tool calls in the ${PRESET_LABELS[filters.range.preset].toLowerCase()}`
            }
            actions={
              <>
                {activeCount > 0 && (
                  <button type="button" className="button" onClick={() => go({ values: {}, range: filters.range })}>
                    Clear filters
                  </button>
                )}
                {filters.range.preset !== '30d' && (
                  <button type="button" className="button" onClick={() => go({ ...filters, range: { preset: '30d' } })}>
                    Search the last 30 days
                  </button>
                )}
              </>
            }
          >
            {activeCount > 0
              ? 'Try removing a filter or widening the date range. A trace ID filter only matches calls inside the range.'
              : 'Calls appear here as soon as your service sends them through the tooltrace SDK. Widen the date range to look further back.'}
          </EmptyState>
        ) : (
          <VirtualTable
            label="Tool calls"
            columns={COLUMNS}
            rows={rows}
            rowKey={toolCallKey}
            selectedIndex={selected}
            onSelect={setSelected}
            onOpen={open}
            hasMore={list.hasNextPage}
            loadingMore={list.isFetchingNextPage}
            onLoadMore={() => void list.fetchNextPage()}
            isNew={(row) => renderedAt - (liveRows.arrivedAt.get(toolCallKey(row)) ?? 0) < NEW_MS}
            footer={`${rows.length} ${rows.length === 1 ? 'call' : 'calls'} · end of results`}
          />
        )}
      </div>
      <ShortcutsHint />
    </section>
  );
}
