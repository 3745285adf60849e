/**
 * Plan and retention settings inside the retention popover. A read-key session
 * sees them read-only with a hint naming the admin key; an admin-key session
 * gets the form, and a confirmation that says exactly how many logs the
 * change deletes now (the API's preview, counted by the store with
 * retention's own rules).
 */

import { useQueryClient } from '@tanstack/react-query';
import { PLANS, type Plan, type RetentionPreviewResponse, type RetentionStatusResponse } from '@tooltrace/conventions';
import { useId, useRef, useState } from 'react';
import { loadReadKey } from '../api/session.ts';
import { useApi } from '../app/api-context.tsx';
import { roleOfSessionKey } from '../model/auth.ts';
import { limitsOfChange, previewSummary, type RetentionChange } from '../model/retention-change.ts';

export function RetentionSettings({ status }: { status: RetentionStatusResponse }) {
  const key = loadReadKey();
  if (!key || roleOfSessionKey(key) !== 'admin') {
    return (
      <p className="muted small" data-testid="retention-read-only">
        Signed in with the read key, which is read-only. Changing the plan or limits needs the project’s admin key (
        <code>tt_admin_…</code>, from <code>tooltrace project create</code> or <code>rotate-keys</code>): sign in with
        it to edit.
      </p>
    );
  }
  return <RetentionForm status={status} />;
}

function parseLimit(text: string): number | null {
  const value = text.trim();
  return value === '' ? null : Number(value);
}

function RetentionForm({ status }: { status: RetentionStatusResponse }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const id = useId();
  const [plan, setPlan] = useState<Plan>(status.plan);
  const [days, setDays] = useState(String(status.limits.maxAgeDays ?? ''));
  const [maxLogs, setMaxLogs] = useState(String(status.limits.maxLogs ?? ''));
  const [pending, setPending] = useState<RetentionChange | null>(null);
  const [preview, setPreview] = useState<RetentionPreviewResponse | null>(null);
  // The preview of a change reviewed, then cancelled or replaced, must not show under the next one.
  const reviewed = useRef(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const change = (): RetentionChange =>
    plan === 'enterprise' ? { plan, limits: { maxAgeDays: parseLimit(days), maxLogs: parseLimit(maxLogs) } } : { plan };

  const review = async (next: RetentionChange) => {
    const mine = ++reviewed.current;
    setPending(next);
    setPreview(null);
    try {
      const answer = await api.previewRetention(next);
      if (mine === reviewed.current) setPreview(answer);
    } catch (e) {
      if (mine !== reviewed.current) return;
      setPending(null);
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const cancel = () => {
    reviewed.current += 1;
    setPending(null);
    setPreview(null);
  };

  const apply = async (confirmed: RetentionChange) => {
    setBusy(true);
    try {
      const updated = await api.updateRetention(confirmed);
      queryClient.setQueryData(['retention'], updated);
      cancel();
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      aria-label="Change plan and retention"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        void review(change());
      }}
    >
      <label htmlFor={`${id}-plan`}>Plan</label>
      <select id={`${id}-plan`} value={plan} onChange={(e) => setPlan(e.target.value as Plan)} disabled={busy}>
        {PLANS.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </select>
      {plan === 'enterprise' && (
        <>
          <label htmlFor={`${id}-days`}>Keep logs (days, empty for no limit)</label>
          <input id={`${id}-days`} inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} />
          <label htmlFor={`${id}-logs`}>Keep at most (logs, empty for no limit)</label>
          <input id={`${id}-logs`} inputMode="numeric" value={maxLogs} onChange={(e) => setMaxLogs(e.target.value)} />
        </>
      )}
      {pending ? (
        <div className="notice" role="alertdialog" aria-label="Confirm the retention change">
          <p>
            {pending.plan} plan: {describe(limitsOfChange(pending))}.{' '}
            {preview ? previewSummary(preview) : 'Counting the logs this change would delete…'}
          </p>
          <button
            type="button"
            className="button primary"
            disabled={busy || preview === null}
            onClick={() => apply(pending)}
          >
            {busy ? 'Applying…' : 'Apply change'}
          </button>{' '}
          <button type="button" className="button ghost" disabled={busy} onClick={cancel}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="submit" className="button">
          Review change
        </button>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function describe(limits: { maxAgeDays: number | null; maxLogs: number | null }): string {
  const age = limits.maxAgeDays === null ? 'no age limit' : `${limits.maxAgeDays} days`;
  const count = limits.maxLogs === null ? 'no log limit' : `${limits.maxLogs.toLocaleString('en-US')} logs`;
  return `${age} or ${count}, whichever first`;
}
