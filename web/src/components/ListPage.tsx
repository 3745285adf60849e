/**
 * The layout every list tab shares: filter bar, toolbar (live, refresh, export) over the
 * histogram, and the table with its loading, error and empty states. The tab supplies its
 * columns, filter fields and words; the state comes from `useListPage`.
 */
import { type ReactNode, useId, useMemo, useState } from 'react';
import { useApi } from '../app/api-context.tsx';
import { type FacetKey, useFacet } from '../app/queries.ts';
import { useRouter } from '../app/router.tsx';
import type { ListPageState } from '../app/use-list-page.ts';
import { customRange, rangeLabel } from '../model/date-range.ts';
import { type FilterKey, ignoredParams } from '../model/filters.ts';
import {
  clearFiltersLabel,
  emptyListTitle,
  endOfResultsLabel,
  isNewRow,
  liveDisabledReason,
  type RowNouns,
} from '../model/list-page.ts';
import { statusSeries } from '../model/status.ts';
import { ArrivalsHint } from './ArrivalsHint.tsx';
import { DateRangePicker } from './DateRangePicker.tsx';
import { FilterChips } from './FilterChips.tsx';
import filterStyles from './filters.module.css';
import { FacetSelect, TextFilter } from './filters.tsx';
import { Histogram } from './Histogram.tsx';
import { IgnoredFiltersNotice } from './IgnoredFiltersNotice.tsx';
import { LateArrivals } from './LateArrivals.tsx';
import styles from './ListPage.module.css';
import { ShortcutsHint } from './ShortcutsHint.tsx';
import { EmptyState, ErrorState, SkeletonRows } from './states.tsx';
import { ExportMenu, LiveToggle } from './toolbar.tsx';
import { type Column, VirtualTable } from './VirtualTable.tsx';

/** One field of a tab's filter bar; its suggestions or options come from the facet of the same name. */
export type FilterField<K extends FilterKey> =
  | { kind: 'text'; key: K; facet: FacetKey; label: string; placeholder: string }
  | {
      kind: 'select';
      key: K;
      facet: FacetKey;
      label: string;
      allLabel: string;
      /** Values offered even when the facet has no rows for them (status, type). */
      fixedOptions?: readonly string[];
      optionLabel?: (value: string) => string;
    };

export interface ListPageProps<T, K extends FilterKey> {
  state: ListPageState<T, K>;
  /** "Tool calls": the section, grid and panel title. */
  title: string;
  nouns: RowNouns;
  tab: 'tools' | 'triggers';
  columns: Column<T>[];
  filterFields: FilterField<K>[];
  /** A field before the others (the trace ID search). */
  leadingFilter?: ReactNode;
  /** What the empty table suggests, with and without active filters. */
  emptyHint: { filtered: string; unfiltered: string };
  /** The row to highlight when the keyboard has not chosen one (the open detail panel's row). */
  fallbackSelection?: number | null;
  /** A detail panel beside the table. */
  panel?: ReactNode;
  /** Above the filter bar (the Tools tab's Calls | Errors switch). */
  header?: ReactNode;
}

export function ListPage<T, K extends FilterKey>(props: ListPageProps<T, K>) {
  const { title, panel, header, tab, state } = props;
  const { params } = useRouter();
  const ignored = useMemo(() => ignoredParams(params, tab), [params, tab]);
  return (
    <section className={`tab-page${panel ? ' has-panel' : ''}`} aria-label={title}>
      {header}
      <IgnoredFiltersNotice ignored={ignored} onDismiss={() => state.go(state.filters)} />
      <FilterBar {...props} />
      <HistogramPanel {...props} />
      <div className="panel panel-table">
        <RowsTable {...props} />
      </div>
      <ShortcutsHint />
      {panel}
    </section>
  );
}

function FilterBar<T, K extends FilterKey>(props: ListPageProps<T, K>) {
  const { state, nouns, filterFields, leadingFilter } = props;
  const { filters, go, activeCount } = state;
  // On a phone the fields fold away behind "Filters (n)" (CSS decides when the fold shows), so the
  // first screen reaches the table; the search stays, and the folded filters show as chips.
  const [open, setOpen] = useState(false);
  const fieldsId = useId();
  const folded = filterFields.filter((f) => filters.values[f.key]).length;
  return (
    <div className={filterStyles.filterBar} role="search" aria-label={`Filter ${nouns.plural}`}>
      {leadingFilter}
      <div className={styles.fold}>
        <button
          type="button"
          className="button"
          aria-expanded={open}
          aria-controls={fieldsId}
          onClick={() => setOpen(!open)}
        >
          Filters ({folded})
        </button>
        {!open && <FoldedFilterChips {...props} />}
      </div>
      <div id={fieldsId} className={styles.fields} data-open={open}>
        {filterFields.map((field) => (
          <FilterFieldControl key={field.key} field={field} state={state} />
        ))}
        <DateRangePicker range={filters.range} onChange={(range) => go({ ...filters, range })} />
        {activeCount > 0 && (
          <div className={filterStyles.filterActions}>
            <button type="button" className="link-button" onClick={() => go({ values: {}, range: filters.range })}>
              {clearFiltersLabel(activeCount)}
            </button>
          </div>
        )}
      </div>
    </div>
  );
}

/** The folded fields' active values as removable chips, named by the field's label and shown by its option label. */
function FoldedFilterChips<T, K extends FilterKey>({ state, filterFields }: ListPageProps<T, K>) {
  const fields = new Map<string, FilterField<K>>(filterFields.map((f) => [f.key, f]));
  return (
    <FilterChips
      keys={filterFields.map((f) => f.key)}
      values={state.filters.values}
      label="Active filters"
      labels={Object.fromEntries(filterFields.map((f) => [f.key, f.label]))}
      formatValue={(key, value) => {
        const field = fields.get(key);
        return field?.kind === 'select' && field.optionLabel ? field.optionLabel(value) : value;
      }}
      onClear={(key) => state.setFilter(key)(null)}
    />
  );
}

/** A field with its own facet query, so each picker lists the values under the other filters. */
function FilterFieldControl<T, K extends FilterKey>({
  field,
  state,
}: {
  field: FilterField<K>;
  state: ListPageState<T, K>;
}) {
  const facet = useFacet(state.resource, state.filters, state.now, field.key, field.facet);
  const value = state.filters.values[field.key];
  const onChange = state.setFilter(field.key);
  if (field.kind === 'text') {
    return (
      <TextFilter
        label={field.label}
        value={value}
        suggestions={facet}
        onChange={onChange}
        placeholder={field.placeholder}
      />
    );
  }
  return (
    <FacetSelect
      name={field.key}
      label={field.label}
      value={value}
      facet={facet}
      onChange={onChange}
      allLabel={field.allLabel}
      fixedOptions={field.fixedOptions}
      optionLabel={field.optionLabel}
    />
  );
}

function HistogramPanel<T, K extends FilterKey>({ state, title, nouns, tab }: ListPageProps<T, K>) {
  const api = useApi();
  const { filters, live, go, histogram, liveRows } = state;
  return (
    <div className="panel">
      <div className="panel-toolbar">
        <h2 className="panel-title">
          {title} <span className="muted">· {rangeLabel(filters.range)}</span>
        </h2>
        <div className="toolbar-actions">
          <LiveToggle
            on={live}
            state={liveRows.state}
            newCount={state.newCount}
            disabledReason={liveDisabledReason(filters.range)}
            onToggle={() => go(filters, !live)}
          />
          {live && <LateArrivals count={state.late} onRefresh={state.refresh} />}
          <button type="button" className="button" onClick={state.refresh} aria-label="Refresh">
            <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
              <path d="M13 8a5 5 0 1 1-1.5-3.5M13 2.5V5h-2.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
            </svg>
          </button>
          <ExportMenu api={api} resource={state.resource} filters={filters} />
        </div>
      </div>
      <Histogram
        data={histogram.data}
        loading={histogram.isPending}
        series={statusSeries(tab)}
        noun={nouns.plural}
        onRange={(from, to) => go({ ...filters, range: customRange(from, to) }, false)}
      />
      {histogram.isError && (
        <ErrorState error={histogram.error} what="the histogram" onRetry={() => histogram.refetch()} />
      )}
    </div>
  );
}

function RowsTable<T, K extends FilterKey>(props: ListPageProps<T, K>) {
  const { state, title, nouns, columns, emptyHint, fallbackSelection = null } = props;
  const { list, rows, filters, go, activeCount, liveRows, keyOf } = state;
  if (list.isPending) return <SkeletonRows label={`Loading ${nouns.plural}`} />;
  if (list.isError) return <ErrorState error={list.error} what={nouns.plural} onRetry={() => list.refetch()} />;
  if (rows.length === 0) {
    return (
      <EmptyState
        title={emptyListTitle(nouns, filters)}
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
        {activeCount > 0 ? (
          emptyHint.filtered
        ) : filters.range.preset === 'custom' ? (
          emptyHint.unfiltered
        ) : (
          <ArrivalsHint tab={props.tab} range={filters.range} fallback={emptyHint.unfiltered} />
        )}
      </EmptyState>
    );
  }
  const renderedAt = Date.now();
  return (
    <VirtualTable
      label={title}
      columns={columns}
      rows={rows}
      rowKey={keyOf}
      selectedIndex={state.selected ?? fallbackSelection}
      onSelect={state.setSelected}
      onOpen={state.onOpen}
      hasMore={list.hasNextPage}
      loadingMore={list.isFetchingNextPage}
      onLoadMore={() => void list.fetchNextPage()}
      isNew={(row) => isNewRow(liveRows.arrivedAt.get(keyOf(row)), renderedAt)}
      footer={endOfResultsLabel(rows.length, nouns)}
    />
  );
}
