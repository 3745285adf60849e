import { useId, useState } from 'react';
import { readKeyProblem } from '../model/auth.ts';
import { BrandLogo } from './BrandLogo.tsx';
import styles from './SignIn.module.css';

export function SignIn({
  onSignIn,
  notice,
}: {
  onSignIn: (key: string) => Promise<string | null>;
  notice: string | null;
}) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  return (
    <main className={styles.page}>
      <form
        className={styles.card}
        aria-labelledby={`${id}-title`}
        onSubmit={async (e) => {
          e.preventDefault();
          const problem = readKeyProblem(key);
          if (problem) return setError(problem);
          setBusy(true);
          setError(await onSignIn(key.trim()));
          setBusy(false);
        }}
      >
        <div className={styles.brand}>
          <BrandLogo size={28} />
          <span className={styles.brandName}>tooltrace</span>
        </div>
        <h1 id={`${id}-title`}>Sign in to Monitoring</h1>
        <p className="muted">
          Use your project’s read key, or its admin key to also change the plan and retention.{' '}
          <code>tooltrace start</code> prints a link that signs you in to the demo project, and{' '}
          <code>tooltrace project create</code> prints the keys of a new one.
        </p>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        <label htmlFor={id}>Read or admin key</label>
        <input
          id={id}
          type="password"
          autoComplete="off"
          placeholder="tt_read_…"
          value={key}
          onChange={(e) => {
            setKey(e.target.value);
            setError(null);
          }}
          aria-invalid={error !== null}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        {error && (
          <p id={`${id}-error`} className="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button primary wide" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
        <p className="muted small">The key is kept in this tab’s session storage and never in the URL.</p>
      </form>
    </main>
  );
}
