import { useRetention } from '../app/queries.ts';
import { Link, useRouter } from '../app/router.tsx';
import { formatAgo } from '../model/format.ts';
import { retentionView } from '../model/retention.ts';
import { tabOf } from '../model/routes.ts';
import { BrandLogo } from './BrandLogo.tsx';
import styles from './Header.module.css';
import { RetentionSettings } from './RetentionSettings.tsx';
import { ThemeToggle } from './ThemeToggle.tsx';
import { TimeZoneToggle } from './TimeZoneToggle.tsx';

export function Header({ onSignOut }: { onSignOut: () => void }) {
  const { route } = useRouter();
  const tab = tabOf(route);
  return (
    <header className={styles.header} data-app-header="">
      <div className={styles.brand}>
        <BrandLogo size={22} />
        <span className={styles.brandName}>tooltrace</span>
        <span className={styles.brandSep} aria-hidden="true">
          /
        </span>
        <span className={styles.brandPage}>Monitoring</span>
      </div>
      <nav className={styles.tabs} aria-label="Monitoring">
        <Link to="/tools" className={styles.tab} aria-current={tab === 'tools' ? 'page' : undefined}>
          Tools
        </Link>
        <Link to="/triggers" className={styles.tab} aria-current={tab === 'triggers' ? 'page' : undefined}>
          Triggers
        </Link>
        <Link to="/forwarding" className={styles.tab} aria-current={tab === 'forwarding' ? 'page' : undefined}>
          Forwarding
        </Link>
      </nav>
      <div className={styles.end}>
        <ThemeToggle />
        <TimeZoneToggle />
        <RetentionIndicator />
        <button type="button" className="button ghost" onClick={onSignOut}>
          Sign out
        </button>
      </div>
    </header>
  );
}

function RetentionIndicator() {
  const retention = useRetention();
  if (!retention.data) return <span className={`${styles.indicator} ${styles.loading}`} aria-hidden="true" />;
  const r = retention.data;
  const view = retentionView(r);
  return (
    <details className={styles.retention}>
      <summary
        className={`${styles.indicator} tone-${view.tone}`}
        data-testid="retention-summary"
        data-tone={view.tone}
        aria-label={`Log retention: ${view.planLabel} plan, ${view.usageLabel}`}
      >
        <span className={styles.planPill} data-testid="retention-plan">
          {view.planLabel}
        </span>
        <span className={styles.usageBar} aria-hidden="true">
          <span style={{ width: `${view.usagePct ?? 0}%` }} />
        </span>
        <span className={styles.usageLabel}>{view.usageLabel}</span>
      </summary>
      <div className={styles.popover} role="dialog" aria-label="Log retention">
        <h3>Log retention</h3>
        <p className="muted">{r.projectName}</p>
        <dl className="kv">
          <dt>Plan</dt>
          <dd>{view.planLabel}</dd>
          <dt>Usage</dt>
          <dd>
            {view.usageLabel}
            {view.usagePct !== null && ` (${view.usagePct.toFixed(1)}%)`}
          </dd>
          <dt>Age limit</dt>
          <dd>{view.ageLabel}</dd>
          <dt>Dropped</dt>
          <dd>{view.droppedLabel}</dd>
          {r.oldestLogAt && (
            <>
              <dt>Oldest log</dt>
              <dd title={r.oldestLogAt}>{formatAgo(r.oldestLogAt, Date.now())}</dd>
            </>
          )}
        </dl>
        <p className="muted small">
          When either limit is reached, the oldest logs are dropped first, a whole trace at a time.
        </p>
        <p className="small">
          <Link
            to="/ingest"
            onClick={(event) => event.currentTarget.closest('details')?.removeAttribute('open')}
            data-testid="ingest-link"
          >
            Ingest: what arrived and what was rejected →
          </Link>
        </p>
        <RetentionSettings status={r} />
      </div>
    </details>
  );
}
