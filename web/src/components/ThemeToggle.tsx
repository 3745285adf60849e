/** System | Light | Dark: one button that cycles, remembered per browser (model/theme.ts). */
import { useState } from 'react';
import { applyTheme, nextTheme, saveTheme, storedTheme, THEME_LABELS, type ThemeChoice } from '../model/theme.ts';
import styles from './ThemeToggle.module.css';

export function ThemeToggle() {
  const [choice, setChoice] = useState<ThemeChoice>(storedTheme);
  const next = nextTheme(choice);
  return (
    <button
      type="button"
      className={styles.toggle}
      data-testid="theme"
      data-theme-choice={choice}
      aria-label={`Theme: ${THEME_LABELS[choice]}; switch to ${THEME_LABELS[next]}`}
      title={`Theme: ${THEME_LABELS[choice]} (switch to ${THEME_LABELS[next]})`}
      onClick={() => {
        saveTheme(next);
        applyTheme(next);
        setChoice(next);
      }}
    >
      <ThemeIcon choice={choice} />
      <span className={styles.label}>{THEME_LABELS[choice]}</span>
    </button>
  );
}

function ThemeIcon({ choice }: { choice: ThemeChoice }) {
  return (
    <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true">
      {choice === 'light' && (
        <>
          <circle cx="8" cy="8" r="3" fill="none" stroke="currentColor" strokeWidth="1.4" />
          <path
            d="M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4"
            stroke="currentColor"
            strokeWidth="1.4"
          />
        </>
      )}
      {choice === 'dark' && (
        <path
          d="M13 9.5A5.5 5.5 0 0 1 6.5 3a5.5 5.5 0 1 0 6.5 6.5z"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.4"
        />
      )}
      {choice === 'system' && (
        <>
          <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" strokeWidth="1.4" />
          <path d="M8 2a6 6 0 0 1 0 12z" fill="currentColor" />
        </>
      )}
    </svg>
  );
}
