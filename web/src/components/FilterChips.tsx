/** Filters set by drilling down (error group, code, category, HTTP status): one removable chip each. */
import { ERROR_CATEGORY_LABELS, type ErrorCategory } from '@tooltrace/conventions';
import styles from './FilterChips.module.css';

const LABELS: Record<string, string> = {
  integration: 'Integration',
  toolName: 'Tool',
  userId: 'User',
  errorGroup: 'Error group',
  errorCategory: 'Error category',
  errorCode: 'Error code',
  httpStatus: 'HTTP status',
  toolCallId: 'Tool call ID',
};

function valueLabel(key: string, value: string): string {
  return key === 'errorCategory' ? (ERROR_CATEGORY_LABELS[value as ErrorCategory] ?? value) : value;
}

export function FilterChips<K extends string>({
  keys,
  values,
  onClear,
}: {
  keys: readonly K[];
  values: Partial<Record<K, string>>;
  onClear: (key: K) => void;
}) {
  const active = keys.filter((k) => values[k] !== undefined);
  if (active.length === 0) return null;
  return (
    <ul className={styles.chips} aria-label="Drill-down filters">
      {active.map((key) => (
        <li key={key} className={styles.chip}>
          <span className={styles.name}>{LABELS[key] ?? key}</span>
          <span className="mono">{valueLabel(key, values[key] ?? '')}</span>
          <button type="button" aria-label={`Remove filter ${LABELS[key] ?? key}`} onClick={() => onClear(key)}>
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
