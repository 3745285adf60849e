/** Filters set by drilling down (error group, code, category, HTTP status): one removable chip each. */
import { ERROR_CATEGORY_LABELS, type ErrorCategory } from '@tooltrace/conventions';
import styles from './FilterChips.module.css';

const LABELS: Record<string, string> = {
  traceId: 'Trace ID',
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
  label = 'Drill-down filters',
  labels = {},
  formatValue = valueLabel,
}: {
  keys: readonly K[];
  values: Partial<Record<K, string>>;
  onClear: (key: K) => void;
  /** The list's accessible name. */
  label?: string;
  /** Names for keys beyond the drill-down ones (the filter bar's field labels). */
  labels?: Partial<Record<string, string>>;
  formatValue?: (key: string, value: string) => string;
}) {
  const active = keys.filter((k) => values[k] !== undefined);
  if (active.length === 0) return null;
  const nameOf = (key: K) => labels[key] ?? LABELS[key] ?? key;
  return (
    <ul className={styles.chips} aria-label={label}>
      {active.map((key) => (
        <li key={key} className={styles.chip}>
          <span className={styles.name}>{nameOf(key)}</span>
          <span className="mono">{formatValue(key, values[key] ?? '')}</span>
          <button type="button" aria-label={`Remove filter ${nameOf(key)}`} onClick={() => onClear(key)}>
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
