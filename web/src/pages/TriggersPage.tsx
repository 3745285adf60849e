/** The Triggers tab: filters, histogram, table of trigger events, and the event detail panel. */
import { TRIGGER_EVENT_TYPES, type TriggerEvent, TriggerEventSchema } from '@tooltrace/conventions';
import { useRouter, withQuery } from '../app/router.tsx';
import { type ListSource, useListPage } from '../app/use-list-page.ts';
import { useDocumentTitle } from '../app/use-title.ts';
import { EventSearch } from '../components/EventSearch.tsx';
import { INTEGRATION_FILTER, statusFilter, USER_ID_FILTER } from '../components/filter-fields.ts';
import { IntegrationName } from '../components/IntegrationName.tsx';
import { type FilterField, ListPage } from '../components/ListPage.tsx';
import { StatusBadge, TimeCell } from '../components/StatusBadge.tsx';
import type { Column } from '../components/VirtualTable.tsx';
import { parseTriggerFilters, type TriggerFilterKey } from '../model/filters.ts';
import { triggerEventKey, triggerEventTime } from '../model/live.ts';
import { routePath } from '../model/routes.ts';
import { triggerEventStatusView } from '../model/status.ts';
import { TriggerEventPanel } from './TriggerEventPanel.tsx';
import styles from './TriggersPage.module.css';

const TRIGGER_EVENTS: ListSource<TriggerEvent, TriggerFilterKey> = {
  resource: 'trigger-events',
  path: '/triggers',
  parseFilters: parseTriggerFilters,
  fetchPage: (api, params, signal) => api.triggerEvents(params, signal),
  liveEvent: 'trigger-event',
  schema: TriggerEventSchema,
  keyOf: triggerEventKey,
  timeOf: triggerEventTime,
};

const TYPE_LABELS: Record<string, string> = { event: 'Events', subscription: 'Subscriptions' };

const FILTER_FIELDS: FilterField<TriggerFilterKey>[] = [
  USER_ID_FILTER,
  INTEGRATION_FILTER,
  statusFilter('triggers'),
  {
    kind: 'select',
    key: 'type',
    facet: 'types',
    label: 'Type',
    allLabel: 'Any type',
    fixedOptions: TRIGGER_EVENT_TYPES,
    optionLabel: (v) => TYPE_LABELS[v] ?? v,
  },
  { kind: 'select', key: 'triggerName', facet: 'triggerNames', label: 'Trigger', allLabel: 'All triggers' },
];

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
      <span className={styles.triggerCell}>
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
    render: (r) => (
      <span className={styles.statusCell}>
        <StatusBadge view={triggerEventStatusView(r.status)} />
        {r.failedDeliveryCount > 0 && (
          <span className={styles.deliveryFailures} data-testid="delivery-failures">
            {r.failedDeliveryCount}/{r.deliveryCount} {r.deliveryCount === 1 ? 'delivery' : 'deliveries'} failed
          </span>
        )}
      </span>
    ),
  },
];

export function TriggersPage({ eventId }: { eventId: string | null }) {
  const { params, navigate } = useRouter();
  useDocumentTitle(eventId ? `Trigger event ${eventId}` : 'Triggers · Monitoring');
  const page = useListPage(TRIGGER_EVENTS, {
    onOpen: (row) => {
      // An event whose root span has not arrived has no event ID yet; its trace still shows what is known.
      const path = row.eventId
        ? routePath({ name: 'event', eventId: row.eventId })
        : routePath({ name: 'trace', traceId: row.traceId, valid: true });
      navigate(withQuery(path, params));
    },
  });
  const openEventIndex = eventId ? page.rows.findIndex((r) => r.eventId === eventId) : -1;

  return (
    <ListPage
      state={page}
      title="Trigger events"
      nouns={{ plural: 'trigger events', one: 'event', many: 'events' }}
      tab="triggers"
      columns={COLUMNS}
      filterFields={FILTER_FIELDS}
      leadingFilter={<EventSearch onFound={(path) => navigate(withQuery(path, params))} />}
      emptyHint={{
        filtered: 'Try another status or integration, or widen the date range.',
        unfiltered: 'Events appear here when a subscribed trigger detects new data or receives a webhook.',
      }}
      fallbackSelection={openEventIndex >= 0 ? openEventIndex : null}
      panel={
        eventId && <TriggerEventPanel eventId={eventId} onClose={() => navigate(withQuery('/triggers', params))} />
      }
    />
  );
}
