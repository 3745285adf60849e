/** Live mode's note of rows that arrived out of time order: left out of the top, listed by a refresh. */
import { lateArrivalsLabel } from '../model/live.ts';
import styles from './LateArrivals.module.css';

export function LateArrivals({ count, onRefresh }: { count: number; onRefresh: () => void }) {
  if (count <= 0) return null;
  return (
    <button
      type="button"
      className={styles.late}
      onClick={onRefresh}
      data-testid="late-arrivals"
      title="Rows older than the newest one shown arrived; refresh to list them in their place"
    >
      {lateArrivalsLabel(count)}
    </button>
  );
}
