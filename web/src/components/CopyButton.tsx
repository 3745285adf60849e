import { useEffect, useState } from 'react';
import styles from './CopyButton.module.css';

/** Copies a value; falls back to selecting a hidden field where the Clipboard API is unavailable (plain http). */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState<'idle' | 'done' | 'failed'>('idle');
  useEffect(() => {
    if (copied === 'idle') return;
    const timer = setTimeout(() => setCopied('idle'), 1600);
    return () => clearTimeout(timer);
  }, [copied]);

  const copy = async () => {
    try {
      if (navigator.clipboard?.writeText) await navigator.clipboard.writeText(value);
      else legacyCopy(value);
      setCopied('done');
    } catch {
      try {
        legacyCopy(value);
        setCopied('done');
      } catch {
        setCopied('failed');
      }
    }
  };

  return (
    <button
      type="button"
      className={styles.copyButton}
      data-copy-button=""
      onClick={copy}
      aria-label={label}
      title={label}
    >
      <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
        {copied === 'done' ? (
          <path d="M3 8.5l3 3 7-7" fill="none" stroke="currentColor" strokeWidth="1.8" />
        ) : (
          <>
            <rect x="5" y="5" width="8" height="9" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.4" />
            <path d="M3 11V3.5A1.5 1.5 0 0 1 4.5 2H10" fill="none" stroke="currentColor" strokeWidth="1.4" />
          </>
        )}
      </svg>
      <span aria-live="polite">{copied === 'done' ? 'Copied' : copied === 'failed' ? 'Copy failed' : 'Copy'}</span>
    </button>
  );
}

function legacyCopy(value: string): void {
  const field = document.createElement('textarea');
  field.value = value;
  field.setAttribute('readonly', '');
  field.style.position = 'fixed';
  field.style.opacity = '0';
  document.body.appendChild(field);
  field.select();
  const ok = document.execCommand('copy');
  field.remove();
  if (!ok) throw new Error('copy refused');
}
