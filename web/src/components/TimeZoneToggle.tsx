/** Local | UTC: which zone every time on screen is in, labelled, remembered per browser. */
import { useEffect, useState } from 'react';
import { setTimeZoneChoice, type TimeZoneChoice, timeZoneChoice, timeZoneLabel } from '../model/time-zone.ts';
import styles from './TimeZoneToggle.module.css';

const EVENT = 'tooltrace:time-zone';

export function TimeZoneToggle() {
  const [choice, setChoice] = useState<TimeZoneChoice>(timeZoneChoice);
  const next: TimeZoneChoice = choice === 'utc' ? 'local' : 'utc';
  return (
    <button
      type="button"
      className={styles.toggle}
      data-testid="time-zone"
      aria-label={`Times in ${timeZoneLabel(choice)}; show them in ${next === 'utc' ? 'UTC' : 'local time'}`}
      title={`Show times in ${next === 'utc' ? 'UTC' : 'local time'}`}
      onClick={() => {
        setTimeZoneChoice(next);
        setChoice(next);
        window.dispatchEvent(new Event(EVENT));
      }}
    >
      <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true">
        <circle cx="8" cy="8" r="6.2" fill="none" stroke="currentColor" strokeWidth="1.4" />
        <path d="M8 4.5V8l2.4 1.6" fill="none" stroke="currentColor" strokeWidth="1.4" />
      </svg>
      {timeZoneLabel(choice)}
    </button>
  );
}

/** Re-renders the caller when the zone changes, so every formatted time follows. */
export function useTimeZoneChoice(): TimeZoneChoice {
  const [choice, setChoice] = useState<TimeZoneChoice>(timeZoneChoice);
  useEffect(() => {
    const onChange = () => setChoice(timeZoneChoice());
    window.addEventListener(EVENT, onChange);
    return () => window.removeEventListener(EVENT, onChange);
  }, []);
  return choice;
}
