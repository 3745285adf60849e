/**
 * The scrolling pane around a trace's logs. `scrollLogToTop` (used by LogList when a log is jumped
 * to) puts the pane right under the sticky header and the log line at the pane's top, even the last
 * line: the spacer gives the room below it that the list itself does not have.
 */
import type { ReactNode } from 'react';
import styles from './LogPane.module.css';

/** Space between the sticky header and the pane, in px. */
const GAP = 8;

export function LogPane({ children }: { children: ReactNode }) {
  return (
    <div className={styles.pane} data-log-pane="" data-testid="log-pane">
      {children}
      <div className={styles.spacer} data-log-pane-spacer="" aria-hidden="true" />
    </div>
  );
}

/** Scrolls so `item` is at the top of its log pane (or of the window, outside one). */
export function scrollLogToTop(item: HTMLElement): void {
  const pane = item.closest<HTMLElement>('[data-log-pane]');
  if (!pane) {
    item.scrollIntoView({ block: 'start' });
    return;
  }
  const headerBottom = document.querySelector('[data-app-header]')?.getBoundingClientRect().bottom ?? 0;
  pane.style.maxHeight = `${Math.max(200, window.innerHeight - headerBottom - 2 * GAP)}px`;
  const spacer = pane.querySelector<HTMLElement>('[data-log-pane-spacer]');
  const offset = item.getBoundingClientRect().top - pane.getBoundingClientRect().top + pane.scrollTop;
  if (spacer) {
    const content = pane.scrollHeight - spacer.offsetHeight;
    spacer.style.height = `${Math.max(0, pane.clientHeight - (content - offset))}px`;
  }
  window.scrollBy({ top: pane.getBoundingClientRect().top - headerBottom - GAP });
  pane.scrollTop = offset;
}
