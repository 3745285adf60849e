/** The Tools tab: filters, histogram, and the virtualised table of tool calls. */
import { TOOL_CALL_TYPES, type ToolCall, ToolCallSchema } from '@tooltrace/conventions';
import { useRouter, withQuery } from '../app/router.tsx';
import { type ListSource, useListPage } from '../app/use-list-page.ts';
import { useDocumentTitle } from '../app/use-title.ts';
import { FilterChips } from '../components/FilterChips.tsx';
import { INTEGRATION_FILTER, statusFilter, USER_ID_FILTER } from '../components/filter-fields.ts';
import { TraceSearch } from '../components/filters.tsx';
import { IntegrationName } from '../components/IntegrationName.tsx';
import { type FilterField, ListPage } from '../components/ListPage.tsx';
import { Badge, StatusBadge, TimeCell } from '../components/StatusBadge.tsx';
import { ToolsViewSwitch } from '../components/ToolsViewSwitch.tsx';
import type { Column } from '../components/VirtualTable.tsx';
import { parseToolFilters, TOOL_CHIP_FILTER_KEYS, type ToolFilterKey } from '../model/filters.ts';
import { formatDuration, toolCallTypeLabel } from '../model/format.ts';
import { toolCallKey, toolCallTime } from '../model/live.ts';
import { describeErrorMessage } from '../model/log-metadata.ts';
import { routePath } from '../model/routes.ts';
import { httpStatusTone, toolCallStatusView } from '../model/status.ts';
import styles from './ToolsPage.module.css';

const TOOL_CALLS: ListSource<ToolCall, ToolFilterKey> = {
  resource: 'tool-calls',
  path: '/tools',
  parseFilters: parseToolFilters,
  fetchPage: (api, params, signal) => api.toolCalls(params, signal),
  liveEvent: 'tool-call',
  schema: ToolCallSchema,
  keyOf: toolCallKey,
  timeOf: toolCallTime,
};

const FILTER_FIELDS: FilterField<ToolFilterKey>[] = [
  USER_ID_FILTER,
  INTEGRATION_FILTER,
  statusFilter('tools'),
  { kind: 'select', key: 'toolName', facet: 'toolNames', label: 'Tool name', allLabel: 'All tools' },
  {
    kind: 'select',
    key: 'type',
    facet: 'types',
    label: 'Type',
    allLabel: 'Any type',
    fixedOptions: TOOL_CALL_TYPES,
    optionLabel: toolCallTypeLabel,
  },
];

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
    render: (r) => <span className="type-tag">{toolCallTypeLabel(r.type)}</span>,
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
    id: 'error',
    wide: true,
    header: 'Error',
    width: 'minmax(180px, 1.6fr)',
    render: (r) => <ErrorCell call={r} />,
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

/** Error code and message, truncated in the cell, whole on hover. */
function ErrorCell({ call }: { call: ToolCall }) {
  if (call.status !== 'error') return <span className="muted">—</span>;
  const headline = call.errorMessage ? describeErrorMessage(call.errorMessage).headline : '';
  return (
    <span
      className={styles.errorCell}
      data-testid="error-cell"
      title={[call.errorCode, call.errorMessage].filter(Boolean).join(': ')}
    >
      {call.errorCode && <span className="error-code-pill">{call.errorCode}</span>}
      <span className={styles.errorCellText}>{headline}</span>
    </span>
  );
}

export function ToolsPage() {
  const { params, navigate } = useRouter();
  useDocumentTitle('Tools · Monitoring');
  // The span goes in the URL, so the call opened is the call shown (a trace may hold several) and can be linked.
  const openCall = (traceId: string, spanId?: string) => {
    const next = new URLSearchParams(params);
    if (spanId) next.set('span', spanId);
    navigate(withQuery(routePath({ name: 'trace', traceId, valid: true }), next));
  };
  const page = useListPage(TOOL_CALLS, { onOpen: (row) => openCall(row.traceId, row.spanId) });

  return (
    <ListPage
      state={page}
      title="Tool calls"
      nouns={{ plural: 'tool calls', one: 'call', many: 'calls' }}
      tab="tools"
      columns={COLUMNS}
      filterFields={FILTER_FIELDS}
      header={<ToolsViewSwitch current="calls" />}
      leadingFilter={
        <>
          <TraceSearch
            value={page.filters.values.traceId}
            onFilter={page.setFilter('traceId')}
            onJump={(traceId) => openCall(traceId)}
          />
          <FilterChips
            keys={TOOL_CHIP_FILTER_KEYS}
            values={page.filters.values}
            onClear={(key) => page.setFilter(key)(null)}
          />
        </>
      }
      emptyHint={{
        filtered:
          'Try removing a filter or widening the date range. A trace ID filter only matches calls inside the range.',
        unfiltered:
          'Calls appear here as soon as a service sends them, from the tooltrace SDK or any OpenTelemetry SDK. Widen the date range to look further back.',
      }}
    />
  );
}
