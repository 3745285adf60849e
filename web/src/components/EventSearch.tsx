/**
 * The Triggers tab's search: paste (or type and press Enter) an event ID or a delivery ID, and the
 * event opens; an ID that names neither says so.
 */
import { useState } from 'react';
import { useApi } from '../app/api-context.tsx';
import { findEvent } from '../app/find-event.ts';
import styles from './EventSearch.module.css';
import filterStyles from './filters.module.css';

export function EventSearch({ onFound }: { onFound: (path: string) => void }) {
  const api = useApi();
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const open = async (raw: string) => {
    const id = raw.trim();
    if (id === '') return;
    setBusy(true);
    setProblem(null);
    try {
      const found = await findEvent(api, id);
      if (found) onFound(found.path);
      else setProblem(`No trigger event or delivery with ID ${id} in this project.`);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={`${filterStyles.field} ${filterStyles.fieldSearch} ${styles.search}`}>
      <label htmlFor="event-search">Event or delivery ID</label>
      <input
        id="event-search"
        type="search"
        value={draft}
        placeholder="Paste an event ID or delivery ID"
        autoComplete="off"
        spellCheck={false}
        aria-invalid={problem !== null}
        aria-describedby="event-search-hint"
        aria-busy={busy}
        onChange={(e) => {
          setDraft(e.target.value);
          setProblem(null);
        }}
        onPaste={(e) => {
          const pasted = e.clipboardData.getData('text').trim();
          if (!pasted) return;
          e.preventDefault();
          setDraft(pasted);
          void open(pasted);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') void open(draft);
        }}
      />
      <span
        id="event-search-hint"
        className={problem ? 'field-error' : 'sr-only'}
        role={problem ? 'alert' : undefined}
        data-testid="event-search-hint"
      >
        {problem ?? 'Paste an event ID or a delivery ID to open its event.'}
      </span>
    </div>
  );
}
