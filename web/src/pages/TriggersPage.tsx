/** The Triggers tab: filters, histogram, table of trigger events, and the event detail panel. */
import {
  TRIGGER_EVENT_STATUSES,
  TRIGGER_EVENT_TYPES,
  type TriggerEvent,
  TriggerEventSchema,
  type TriggerEventStatus,
} from '@tooltrace/conventions';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useApi } from '../app/api-context.tsx';
import { useApiParams, useFacet, useHistogram, usePinnedNow, useTriggerEvents } from '../app/queries.ts';
import { useRouter, withQuery } from '../app/router.tsx';
import { useShortcuts } from '../app/shortcuts.tsx';
import { useLive } from '../app/use-live.ts';
import { useDocumentTitle } from '../app/use-title.ts';
import { DateRangePicker } from '../components/DateRangePicker.tsx';
import { FacetSelect, TextFilter } from '../components/filters.tsx';
import { Histogram } from '../components/Histogram.tsx';
import { ShortcutsHint } from '../components/ShortcutsHint.tsx';
import { StatusBadge, TimeCell } from '../components/StatusBadge.tsx';
import { EmptyState, ErrorState, SkeletonRows } from '../components/states.tsx';
import { ExportMenu, LiveToggle } from '../components/toolbar.tsx';
import { type Column, VirtualTable } from '../components/VirtualTable.tsx';
import { customRange, PRESET_LABELS, rangeLabel } from '../model/date-range.ts';
import {
  activeFilterCount,
  filtersToParams,
  parseTriggerFilters,
  type TriggerFilters,
  withFilterValue,
} from '../model/filters.ts';
import { moveSelection } from '../model/keyboard.ts';
import { mergeRows, triggerEventKey } from '../model/live.ts';
import { routePath } from '../model/routes.ts';
import { statusSeries, triggerEventStatusView } from '../model/status.ts';
import { IntegrationName } from './ToolsPage.tsx';
import { TriggerEventPanel } from './TriggerEventPanel.tsx';

const NEW_MS = 8000;

const COLUMNS: Column<TriggerEvent>[] = [
  {
    id: 'time',
    narrowWidth: 'max-content',
    header: 'Time received',
    width: 'minmax(150px, 1.1fr)',
    render: (r) => <TimeCell iso={r.receivedAt} />,
  },
  {
    id: 'trigger',
    header: 'Trigger',
    width: 'minmax(200px, 1.7fr)',
    render: (r) => (
      <span className="trigger-cell">
        <span className="mono strong">{r.triggerName ?? '—'}</span>
        {r.type === 'subscription' && <span className="type-tag">subscription</span>}
      </span>
    ),
  },
  {
    id: 'integration',
    wide: true,
    header: 'Integration',
    width: 'minmax(110px, 0.9fr)',
    render: (r) => <IntegrationName name={r.integration} />,
  },
  {
    id: 'model',
    wide: true,
    header: 'Model',
    width: 'minmax(90px, 0.6fr)',
    render: (r) =>
      r.subscriptionModel ? <span className="type-tag">{r.subscriptionModel}</span> : <span className="muted">—</span>,
  },
  {
    id: 'users',
    wide: true,
    header: 'Users',
    width: 'minmax(130px, 1fr)',
    render: (r) =>
      r.userIds.length === 0 ? (
        <span className="muted">—</span>
      ) : (
        <span className="mono muted-strong" title={r.userIds.join(', ')}>
          {r.userIds[0]}
          {r.userIds.length > 1 && <span className="more-pill">+{r.userIds.length - 1}</span>}
        </span>
      ),
  },
  {
    id: 'status',
    narrowWidth: 'max-content',
    header: 'Status',
    width: 'minmax(140px, 0.9fr)',
    render: (r) => <StatusBadge view={triggerEventStatusView(r.status)} />,
  },
];

export function TriggersPage({ eventId }: { eventId: string | null }) {
  const api = useApi();
  const { params, navigate } = useRouter();
  const filters = useMemo(() => parseTriggerFilters(params), [params]);
  const live = params.get('live') === '1';
  useDocumentTitle(eventId ? `Trigger event ${eventId}` : 'Triggers · Monitoring');
  const [refresh, setRefresh] = useState(0);
  // Live mode re-pins only the histogram's range; the table keeps its pages and gets rows from the stream.
  const [histogramTick, setHistogramTick] = useState(0);
  const now = usePinnedNow(filters, refresh);
  const histogramNow = usePinnedNow(filters, refresh * 1_000_000 + histogramTick);
  const apiParams = useApiParams(filters, now);
  const histogramParams = useApiParams(filters, histogramNow);
  const list = useTriggerEvents(apiParams);
  const f = {
    userIds: useFacet('trigger-events', filters, now, 'userId', 'userIds'),
    integrations: useFacet('trigger-events', filters, now, 'integration', 'integrations'),
    statuses: useFacet('trigger-events', filters, now, 'status', 'statuses'),
    types: useFacet('trigger-events', filters, now, 'type', 'types'),
    triggerNames: useFacet('trigger-events', filters, now, 'triggerName', 'triggerNames'),
  };
  const histogram = useHistogram('trigger-events', histogramParams);
  const [selected, setSelected] = useState<number | null>(null);

  const go = useCallback(
    (next: TriggerFilters, nextLive = live) => {
      const query = filtersToParams(next);
      if (nextLive) query.set('live', '1');
      navigate(withQuery('/triggers', query));
    },
    [live, navigate],
  );
  const set = (key: keyof TriggerFilters['values']) => (value: string | null) =>
    go(withFilterValue(filters, key, value));

  const liveRows = useLive({
    resource: 'trigger-events',
    eventName: 'trigger-event',
    schema: TriggerEventSchema,
    params: apiParams,
    enabled: live && filters.range.preset !== 'custom',
    keyOf: triggerEventKey,
  });
  // While live, the histogram catches up every few seconds so new bars appear too.
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setHistogramTick((t) => t + 1), 10_000);
    return () => clearInterval(timer);
  }, [live]);

  const fetched = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const rows = useMemo(() => mergeRows(liveRows.rows, fetched, triggerEventKey), [liveRows.rows, fetched]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new filter starts a new selection.
  useEffect(() => setSelected(null), [apiParams]);

  const open = (row: TriggerEvent) => {
    // An event whose root span has not arrived has no event ID yet; its trace still shows what is known.
    const path = row.eventId
      ? routePath({ name: 'event', eventId: row.eventId })
      : routePath({ name: 'trace', traceId: row.traceId, valid: true });
    navigate(withQuery(path, params));
  };
  const selectedEventIndex = eventId ? rows.findIndex((r) => r.eventId === eventId) : -1;

  useShortcuts({
    'focus-search': () => document.querySelector<HTMLInputElement>('.tab-page input')?.focus(),
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
    <section className={`tab-page${eventId ? ' has-panel' : ''}`} aria-label="Trigger events">
      <div className="filter-bar" role="search" aria-label="Filter trigger events">
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
          fixedOptions={[...TRIGGER_EVENT_STATUSES]}
          optionLabel={(v) =>
            (TRIGGER_EVENT_STATUSES as readonly string[]).includes(v)
              ? triggerEventStatusView(v as TriggerEventStatus).label
              : v
          }
        />
        <FacetSelect
          name="type"
          label="Type"
          value={filters.values.type}
          facet={f.types}
          onChange={set('type')}
          allLabel="Any type"
          fixedOptions={[...TRIGGER_EVENT_TYPES]}
          optionLabel={(v) => (v === 'event' ? 'Events' : v === 'subscription' ? 'Subscriptions' : v)}
        />
        <FacetSelect
          name="triggerName"
          label="Trigger"
          value={filters.values.triggerName}
          facet={f.triggerNames}
          onChange={set('triggerName')}
          allLabel="All triggers"
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
            Trigger events <span className="muted">· {rangeLabel(filters.range)}</span>
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
            <ExportMenu api={api} resource="trigger-events" filters={filters} />
          </div>
        </div>
        <Histogram
          data={histogram.data}
          loading={histogram.isPending}
          series={statusSeries('triggers')}
          noun="trigger events"
          onRange={(from, to) => go({ ...filters, range: customRange(from, to) }, false)}
        />
        {histogram.isError && (
          <ErrorState error={histogram.error} what="the histogram" onRetry={() => histogram.refetch()} />
        )}
      </div>

      <div className="panel panel-table">
        {list.isPending ? (
          <SkeletonRows label="Loading trigger events" />
        ) : list.isError ? (
          <ErrorState error={list.error} what="trigger events" onRetry={() => list.refetch()} />
        ) : rows.length === 0 ? (
          <EmptyState
            title={
              activeCount > 0
                ? 'No trigger events match these filters'
                : filters.range.preset === 'custom'
                  ? 'No trigger events in this range'
                  : `No trigger events in the ${PRESET_LABELS[filters.range.preset].toLowerCase()}`
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
              ? 'Try another status or integration, or widen the date range.'
              : 'Events appear here when a subscribed trigger detects new data or receives a webhook.'}
          </EmptyState>
        ) : (
          <VirtualTable
            label="Trigger events"
            columns={COLUMNS}
            rows={rows}
            rowKey={triggerEventKey}
            selectedIndex={selected ?? (selectedEventIndex >= 0 ? selectedEventIndex : null)}
            onSelect={setSelected}
            onOpen={open}
            hasMore={list.hasNextPage}
            loadingMore={list.isFetchingNextPage}
            onLoadMore={() => void list.fetchNextPage()}
            isNew={(row) => renderedAt - (liveRows.arrivedAt.get(triggerEventKey(row)) ?? 0) < NEW_MS}
            footer={`${rows.length} ${rows.length === 1 ? 'event' : 'events'} · end of results`}
          />
        )}
      </div>
      <ShortcutsHint />
      {eventId && <TriggerEventPanel eventId={eventId} onClose={() => navigate(withQuery('/triggers', params))} />}
    </section>
  );
}
