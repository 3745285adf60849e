/** The Tools tab's Errors view: failed calls grouped by what went wrong, each opening its calls. */
import type { ErrorGroupResponse } from '@tooltrace/conventions';
import { useMemo } from 'react';
import { useApiParams, useErrorGroups, usePinnedNow } from '../app/queries.ts';
import { Link, useRouter, withQuery } from '../app/router.tsx';
import { useDocumentTitle } from '../app/use-title.ts';
import { DateRangePicker } from '../components/DateRangePicker.tsx';
import { FilterChips } from '../components/FilterChips.tsx';
import filterStyles from '../components/filters.module.css';
import { IntegrationName } from '../components/IntegrationName.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { EmptyState, ErrorState, SkeletonRows } from '../components/states.tsx';
import { ToolsViewSwitch } from '../components/ToolsViewSwitch.tsx';
import { rangeLabel } from '../model/date-range.ts';
import { errorCategoryView, groupCallsPath, sparklinePoints } from '../model/error-groups.ts';
import { filtersToParams, parseToolFilters, TOOL_CHIP_FILTER_KEYS, withFilterValue } from '../model/filters.ts';
import { formatCount, formatTimestamp } from '../model/format.ts';
import { describeErrorMessage } from '../model/log-metadata.ts';
import styles from './ErrorsPage.module.css';

const TREND_BUCKETS = 24;

export function ErrorsPage() {
  const { params, navigate } = useRouter();
  useDocumentTitle('Errors · Tools · Monitoring');
  const filters = useMemo(() => parseToolFilters(params), [params]);
  const now = usePinnedNow(filters, 0);
  const apiParams = useApiParams(filters, now);
  const query = useMemo(() => {
    const q = new URLSearchParams(apiParams);
    q.delete('errorGroup');
    q.delete('status');
    q.set('buckets', String(TREND_BUCKETS));
    return q;
  }, [apiParams]);
  const groups = useErrorGroups(query);
  const go = (next: typeof filters) => navigate(withQuery('/tools/errors', filtersToParams(next)));

  return (
    <section className="tab-page" aria-label="Errors">
      <ToolsViewSwitch current="errors" />
      <div className={filterStyles.filterBar} role="search" aria-label="Filter errors">
        <DateRangePicker range={filters.range} onChange={(range) => go({ ...filters, range })} />
        <FilterChips
          keys={['integration', 'toolName', 'userId', ...TOOL_CHIP_FILTER_KEYS.filter((k) => k !== 'errorGroup')]}
          values={filters.values}
          onClear={(key) => go(withFilterValue(filters, key, null))}
        />
      </div>
      <div className="panel">
        <h2 className="panel-title">
          Error groups <span className="muted">· {rangeLabel(filters.range)}</span>
        </h2>
        {groups.isPending ? (
          <SkeletonRows label="Loading error groups" rows={5} />
        ) : groups.isError ? (
          <ErrorState error={groups.error} what="the error groups" onRetry={() => groups.refetch()} />
        ) : groups.data.items.length === 0 ? (
          <EmptyState title="No failed calls in this range">
            Calls that fail are grouped here by what went wrong. Widen the date range to look further back.
          </EmptyState>
        ) : (
          <ol className={styles.groups} aria-label="Error groups">
            {groups.data.items.map((group) => (
              <ErrorGroupRow key={group.errorGroup} group={group} to={groupCallsPath(group.errorGroup, filters)} />
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}

function ErrorGroupRow({ group, to }: { group: ErrorGroupResponse; to: string }) {
  const headline = group.sampleMessage ? describeErrorMessage(group.sampleMessage).headline : 'No message';
  const users = `${formatCount(group.userCount)} ${group.userCount === 1 ? 'user' : 'users'}`;
  return (
    <li className={styles.group} data-error-group={group.errorGroup}>
      <Link
        to={to}
        className={styles.link}
        aria-label={`${group.count} calls: ${group.toolName ?? 'tool'} ${headline}`}
      >
        <span className={styles.head}>
          <StatusBadge view={errorCategoryView(group.errorCategory)} />
          <span className="mono strong">{group.toolName ?? '—'}</span>
          <IntegrationName name={group.integration} />
        </span>
        <span className={styles.message} title={group.sampleMessage ?? undefined}>
          {group.errorCode && <span className={styles.code}>{group.errorCode}</span>}
          {group.httpStatus !== null && <span className={styles.code}>HTTP {group.httpStatus}</span>}
          <span className={styles.text}>{headline}</span>
        </span>
        <span className={styles.count}>
          <strong>{formatCount(group.count)}</strong> <span className="muted">calls · {users}</span>
        </span>
        <span className={styles.seen}>
          <span title={group.firstSeen}>First {formatTimestamp(group.firstSeen)}</span>
          <span title={group.lastSeen}>Last {formatTimestamp(group.lastSeen)}</span>
        </span>
        <svg className={styles.spark} viewBox="0 0 96 24" width="96" height="24" role="img" aria-label="Trend">
          <polyline points={sparklinePoints(group.trend, 96, 24)} />
        </svg>
      </Link>
    </li>
  );
}
