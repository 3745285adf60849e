/**
 * A virtualised table with infinite scroll. Rows are ARIA grid rows; `j`/`k` move the
 * selection (owned by the caller so it survives re-renders) and `Enter` opens it.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import styles from './VirtualTable.module.css';

export interface Column<T> {
  id: string;
  header: string;
  /** A CSS grid track, e.g. `minmax(160px, 1.4fr)`. */
  width: string;
  render: (row: T) => ReactNode;
  align?: 'left' | 'right';
  /** Left out on narrow windows, where the row keeps only what identifies it. */
  wide?: boolean;
  /** The track on narrow windows; columns share the width there instead of scrolling sideways. */
  narrowWidth?: string;
}

const NARROW = '(max-width: 760px)';

function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(
    () => typeof window !== 'undefined' && window.matchMedia?.(NARROW).matches === true,
  );
  useEffect(() => {
    const query = window.matchMedia?.(NARROW);
    if (!query) return;
    const onChange = () => setNarrow(query.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  return narrow;
}

const ROW_HEIGHT = 44;

export function VirtualTable<T>({
  label,
  columns: allColumns,
  rows,
  rowKey,
  selectedIndex,
  onSelect,
  onOpen,
  hasMore,
  loadingMore,
  onLoadMore,
  isNew,
  footer,
}: {
  label: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  selectedIndex: number | null;
  onSelect: (index: number) => void;
  onOpen: (row: T) => void;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  isNew?: (row: T) => boolean;
  footer?: ReactNode;
}) {
  const narrow = useNarrow();
  const columns = narrow ? allColumns.filter((c) => !c.wide) : allColumns;
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (index) => rowKey(rows[index]!),
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;

  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= rows.length - 15) onLoadMore();
  }, [hasMore, loadingMore, lastIndex, rows.length, onLoadMore]);

  useEffect(() => {
    if (selectedIndex === null) return;
    virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
    // While a row has focus, focus follows the selection (j/k), so Tab order and Enter stay on it.
    const grid = scroller.current;
    if (grid?.contains(document.activeElement) && document.activeElement?.getAttribute('role') === 'row') {
      grid.querySelector<HTMLElement>(`[role="row"][data-index="${selectedIndex}"]`)?.focus({ preventScroll: true });
    }
  }, [selectedIndex, virtualizer]);

  const template = columns.map((c) => (narrow ? (c.narrowWidth ?? 'minmax(0, 1fr)') : c.width)).join(' ');
  return (
    <div className={styles.vtable} role="grid" aria-label={label} aria-rowcount={rows.length + 1}>
      <div ref={scroller} className={styles.vtableScroll} data-testid="grid-scroll" tabIndex={-1}>
        <div className={`${styles.vtableInner}${narrow ? ` ${styles.isNarrow}` : ''}`}>
          <div
            className={`${styles.vtableRow} ${styles.vtableHead}`}
            role="row"
            aria-rowindex={1}
            style={{ gridTemplateColumns: template }}
          >
            {columns.map((c) => (
              <div key={c.id} role="columnheader" className={c.align === 'right' ? styles.alignRight : undefined}>
                {c.header}
              </div>
            ))}
          </div>
          <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const row = rows[item.index]!;
              const selected = item.index === selectedIndex;
              const fresh = isNew?.(row) ?? false;
              return (
                <div
                  key={item.key}
                  role="row"
                  aria-rowindex={item.index + 2}
                  aria-selected={selected}
                  // Roving tabindex: Tab reaches the table once, on the selected row (the first when none is).
                  tabIndex={item.index === (selectedIndex ?? 0) ? 0 : -1}
                  onFocus={() => {
                    if (item.index !== selectedIndex) onSelect(item.index);
                  }}
                  data-index={item.index}
                  data-new={fresh || undefined}
                  className={`${styles.vtableRow}${selected ? ` ${styles.isSelected}` : ''}${fresh ? ` ${styles.isNew}` : ''}`}
                  style={{
                    gridTemplateColumns: template,
                    transform: `translateY(${item.start}px)`,
                    height: ROW_HEIGHT,
                  }}
                  onClick={() => {
                    onSelect(item.index);
                    onOpen(row);
                  }}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter') onOpen(row);
                  }}
                >
                  {columns.map((c, i) => (
                    <div key={c.id} role="gridcell" className={c.align === 'right' ? styles.alignRight : undefined}>
                      {i === 0 && fresh && (
                        <>
                          <span className={styles.newDot} title="Arrived live" aria-hidden="true" />
                          <span className="sr-only">new</span>
                        </>
                      )}
                      {c.render(row)}
                    </div>
                  ))}
                </div>
              );
            })}
          </div>
          <div className={styles.vtableFooter} aria-live="polite">
            {loadingMore ? 'Loading more…' : hasMore ? '' : footer}
          </div>
        </div>
      </div>
    </div>
  );
}
