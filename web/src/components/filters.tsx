/** The pieces of a filter bar: facet pickers, a free-text field with suggestions, the trace ID search. */

import type { FacetValues } from '@tooltrace/conventions';
import { TRACE_ID_FORMAT_HINT } from '@tooltrace/conventions';
import { useEffect, useId, useState } from 'react';
import { formatCount } from '../model/format.ts';
import { findTraceIdInText, traceIdInputState } from '../model/request-id.ts';
import styles from './filters.module.css';

export function FacetSelect({
  label,
  value,
  facet,
  onChange,
  optionLabel = (v) => v,
  allLabel,
  fixedOptions,
  name,
}: {
  /** The filter key, for tests and styling hooks. */
  name?: string;
  label: string;
  value: string | undefined;
  facet: FacetValues | undefined;
  onChange: (value: string | null) => void;
  optionLabel?: (value: string) => string;
  allLabel: string;
  /** Values offered even when the facet has no rows for them (status, type). */
  fixedOptions?: readonly string[];
}) {
  const id = useId();
  const counts = new Map((facet ?? []).map((f) => [f.value, f.count]));
  const values = [
    ...new Set([...(fixedOptions ?? []), ...(facet ?? []).map((f) => f.value), ...(value ? [value] : [])]),
  ];
  return (
    <div className={`${styles.field}${value ? ` ${styles.isActive}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      <select id={id} data-filter={name} value={value ?? ''} onChange={(e) => onChange(e.target.value || null)}>
        <option value="">{allLabel}</option>
        {values.map((v) => (
          <option key={v} value={v}>
            {optionLabel(v)}
            {counts.has(v) ? ` (${formatCount(counts.get(v) ?? 0)})` : ''}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Free text (user ID, trigger name) with suggestions from the facets; applies on Enter, blur or a pick. */
export function TextFilter({
  label,
  value,
  suggestions,
  onChange,
  placeholder,
}: {
  label: string;
  value: string | undefined;
  suggestions: FacetValues | undefined;
  onChange: (value: string | null) => void;
  placeholder: string;
}) {
  const id = useId();
  const [draft, setDraft] = useState(value ?? '');
  useEffect(() => setDraft(value ?? ''), [value]);
  const commit = (next: string) => {
    const trimmed = next.trim();
    if (trimmed !== (value ?? '')) onChange(trimmed || null);
  };
  const known = new Set((suggestions ?? []).map((s) => s.value));
  return (
    <div className={`${styles.field}${value ? ` ${styles.isActive}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      <div className={styles.inputWithClear}>
        <input
          id={id}
          type="text"
          list={`${id}-list`}
          value={draft}
          placeholder={placeholder}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => {
            setDraft(e.target.value);
            // Picking a suggestion from the list applies it at once.
            if (known.has(e.target.value)) commit(e.target.value);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit(draft);
          }}
          onBlur={() => commit(draft)}
        />
        {draft && (
          <button
            type="button"
            className={styles.clearInput}
            aria-label={`Clear ${label}`}
            onClick={() => {
              setDraft('');
              onChange(null);
            }}
          >
            ×
          </button>
        )}
      </div>
      <datalist id={`${id}-list`}>
        {(suggestions ?? []).slice(0, 200).map((s) => (
          <option key={s.value} value={s.value}>
            {`${formatCount(s.count)}`}
          </option>
        ))}
      </datalist>
    </div>
  );
}

/**
 * Trace / request ID search. Pasting an ID (or a whole error body holding one) jumps straight
 * to its trace; typing one and pressing Enter filters the table to it.
 */
export function TraceSearch({
  value,
  onFilter,
  onJump,
}: {
  value: string | undefined;
  onFilter: (traceId: string | null) => void;
  onJump: (traceId: string) => void;
}) {
  const [draft, setDraft] = useState(value ?? '');
  const [touched, setTouched] = useState(false);
  useEffect(() => setDraft(value ?? ''), [value]);
  const state = traceIdInputState(draft);
  const invalid = touched && state.kind === 'invalid';
  return (
    <div className={`${styles.field} ${styles.fieldSearch}${value ? ` ${styles.isActive}` : ''}`}>
      <label htmlFor="trace-search">Trace / request ID</label>
      <div className={styles.inputWithClear}>
        <svg className={styles.searchIcon} viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
          <circle cx="7" cy="7" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
          <path d="M10.5 10.5L14 14" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
        </svg>
        <input
          id="trace-search"
          type="search"
          value={draft}
          placeholder="Paste a requestId or trace ID"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={invalid}
          aria-describedby="trace-search-hint"
          onChange={(e) => {
            setDraft(e.target.value);
            setTouched(false);
            if (e.target.value === '' && value) onFilter(null);
          }}
          onPaste={(e) => {
            const traceId = findTraceIdInText(e.clipboardData.getData('text'));
            if (!traceId) return;
            e.preventDefault();
            setDraft(traceId);
            onJump(traceId);
          }}
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            setTouched(true);
            if (state.kind === 'valid') onFilter(state.traceId);
            if (state.kind === 'empty') onFilter(null);
          }}
        />
        <span className={styles.kbdHint} aria-hidden="true">
          /
        </span>
      </div>
      <span id="trace-search-hint" className={invalid ? 'field-error' : 'sr-only'} role={invalid ? 'alert' : undefined}>
        {invalid
          ? `Not a trace ID: ${TRACE_ID_FORMAT_HINT}.`
          : 'Paste an ID to open its trace, or press Enter to filter the table.'}
      </span>
    </div>
  );
}
