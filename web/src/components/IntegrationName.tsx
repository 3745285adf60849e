import { integrationColour } from '../model/format.ts';
import styles from './IntegrationName.module.css';

export function IntegrationName({ name }: { name: string | null }) {
  if (!name) return <span className="muted">—</span>;
  return (
    <span className={styles.integration}>
      {/* The initial comes from CSS so the cell's text is just the integration's name. */}
      <span
        className={styles.integrationIcon}
        aria-hidden="true"
        data-initial={name.slice(0, 1).toUpperCase()}
        style={{ background: integrationColour(name) }}
      />
      {name}
    </span>
  );
}
