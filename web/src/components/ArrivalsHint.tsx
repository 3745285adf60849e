/**
 * An empty list tab with no filters says what did arrive instead (issue 18): "1 204 spans and log
 * records from 3 services arrived in the last 24 hours; none is a tool call", with a link to what
 * makes one, to the newest sample trace of what arrived (its page says it is neither) and to the
 * Ingest panel. Without arrivals it shows the tab's own hint.
 */
import type { ReactNode } from 'react';
import { useIngest } from '../app/queries.ts';
import { Link } from '../app/router.tsx';
import type { DateRange } from '../model/date-range.ts';
import { arrivalSummary, DOC_LINKS, newestSampleTrace, windowForRange } from '../model/ingest.ts';
import { routePath } from '../model/routes.ts';
import styles from './ArrivalsHint.module.css';

export function ArrivalsHint({
  tab,
  range,
  fallback,
}: {
  tab: 'tools' | 'triggers';
  range: DateRange;
  fallback: ReactNode;
}) {
  const ingest = useIngest();
  const noun = tab === 'tools' ? 'a tool call' : 'a trigger event';
  const key = windowForRange(range);
  const summary = ingest.data ? arrivalSummary(ingest.data, key, noun) : null;
  if (!summary) return <>{fallback}</>;
  const sample = ingest.data ? newestSampleTrace(ingest.data, key) : null;
  return (
    <span className={styles.hint} data-testid="arrivals">
      <span>{summary}</span>{' '}
      <a href={DOC_LINKS[tab]} target="_blank" rel="noreferrer">
        This is what makes one
      </a>
      {sample && (
        <>
          {' · '}
          <Link
            to={routePath({ name: 'trace', traceId: sample.traceId, valid: true, tab })}
            data-testid="sample-trace-link"
            title={`The newest trace from ${sample.serviceName} with no tool call or trigger event`}
          >
            See a sample trace
          </Link>
        </>
      )}
      {' · '}
      <Link to="/ingest">What arrived, by sender</Link>
    </span>
  );
}
