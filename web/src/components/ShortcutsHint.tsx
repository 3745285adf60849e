import styles from './ShortcutsHint.module.css';

/** The keyboard shortcuts, where the user scans a table. */
export function ShortcutsHint() {
  return (
    <p className={styles.shortcutsHint}>
      <kbd>/</kbd> search <kbd>j</kbd> <kbd>k</kbd> move <kbd>Enter</kbd> open <kbd>Esc</kbd> close · paste a requestId
      anywhere to open its trace
    </p>
  );
}
