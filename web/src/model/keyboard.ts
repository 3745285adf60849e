/** Keyboard shortcuts: `/` search, `j`/`k` move, `Enter` open, `Esc` close. */

export type ShortcutAction = 'focus-search' | 'next' | 'previous' | 'open' | 'close';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/** The action for a key press; typing in a field only ever gets `Esc` (to leave it). */
export function shortcutFor(event: KeyLike, typingInField: boolean): ShortcutAction | null {
  if (event.key === 'Escape') return 'close';
  if (typingInField || event.ctrlKey || event.metaKey || event.altKey) return null;
  switch (event.key) {
    case '/':
      return 'focus-search';
    case 'j':
    case 'ArrowDown':
      return 'next';
    case 'k':
    case 'ArrowUp':
      return 'previous';
    case 'Enter':
      return 'open';
    default:
      return null;
  }
}

/** Moves a selection within `count` rows; from nothing, `next` picks the first row. */
export function moveSelection(current: number | null, delta: 1 | -1, count: number): number | null {
  if (count === 0) return null;
  if (current === null) return delta === 1 ? 0 : count - 1;
  return Math.min(count - 1, Math.max(0, current + delta));
}
