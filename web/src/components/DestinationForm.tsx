/** Add or edit a forwarding destination (admin sessions). The API's 400 names the field; it is shown as is. */
import {
  type DestinationView,
  FORWARD_COMPRESSIONS,
  FORWARD_ENCODINGS,
  FORWARD_FILTERS,
  type ForwardCompression,
  type ForwardEncoding,
  type ForwardFilter,
} from '@tooltrace/conventions';
import { useState } from 'react';
import { bodyOf, EMPTY_FORM, FILTER_LABELS, type DestinationForm as Form, formOf } from '../model/forwarding.ts';
import styles from '../pages/ForwardingPage.module.css';

export function DestinationForm({
  editing,
  onSubmit,
  onCancel,
}: {
  editing: DestinationView | null;
  onSubmit: (body: Record<string, unknown>) => Promise<string | null>;
  onCancel: () => void;
}) {
  const [form, setForm] = useState<Form>(editing ? formOf(editing) : EMPTY_FORM);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const body = bodyOf(form, editing !== null);
    if ('error' in body) return setError(String(body.error));
    setBusy(true);
    const problem = await onSubmit(body);
    setBusy(false);
    setError(problem);
  };

  return (
    <form className={styles.form} onSubmit={submit} aria-label={editing ? `Edit ${editing.name}` : 'Add a destination'}>
      <label>
        Name
        <input value={form.name} onChange={(e) => set('name', e.target.value)} required />
      </label>
      <label>
        Endpoint (OTLP/HTTP base URL)
        <input
          value={form.endpoint}
          onChange={(e) => set('endpoint', e.target.value)}
          placeholder="https://otlp.example.com"
          required
        />
      </label>
      <label className={styles.wide}>
        Headers, one “Name: value” per line{editing ? ' (leave empty to keep the stored ones)' : ''}
        <textarea
          value={form.headers}
          onChange={(e) => set('headers', e.target.value)}
          rows={2}
          placeholder="x-honeycomb-team: your-api-key"
        />
      </label>
      <label>
        Encoding
        <select value={form.encoding} onChange={(e) => set('encoding', e.target.value as ForwardEncoding)}>
          {FORWARD_ENCODINGS.map((v) => (
            <option key={v}>{v}</option>
          ))}
        </select>
      </label>
      <label>
        Compression
        <select value={form.compression} onChange={(e) => set('compression', e.target.value as ForwardCompression)}>
          {FORWARD_COMPRESSIONS.map((v) => (
            <option key={v}>{v}</option>
          ))}
        </select>
      </label>
      <label>
        What to send
        <select value={form.filter} onChange={(e) => set('filter', e.target.value as ForwardFilter)}>
          {FORWARD_FILTERS.map((v) => (
            <option key={v} value={v}>
              {FILTER_LABELS[v]}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>
          <input type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', e.target.checked)} /> Enabled
        </span>
      </label>
      {error && (
        <p className={styles.formError} role="alert">
          {error}
        </p>
      )}
      <div className={`${styles.actions} ${styles.wide}`}>
        <button type="submit" className="button primary" disabled={busy}>
          {editing ? 'Save' : 'Add destination'}
        </button>
        <button type="button" className="button ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
