/**
 * The key handed over in the links `tooltrace start` and `project create`
 * print: `http://host/#readKey=tt_read_…` (read-only) or `#adminKey=tt_admin_…`
 * (may also change the plan and retention). The UI keeps whichever it gets as
 * its session key; the API decides what each may do.
 */

export const READ_KEY_PREFIX = 'tt_read_';
export const ADMIN_KEY_PREFIX = 'tt_admin_';

export type SessionRole = 'read' | 'admin';

/** The role a key claims by its prefix (the API has the last word). */
export function roleOfSessionKey(key: string): SessionRole {
  return key.startsWith(ADMIN_KEY_PREFIX) ? 'admin' : 'read';
}

/** The key in a location hash, and the hash to leave behind once it is taken out. */
export function takeReadKeyFromHash(hash: string): { readKey: string | null; remainingHash: string } {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  const params = new URLSearchParams(raw);
  const readKey = params.get('adminKey')?.trim() || params.get('readKey')?.trim() || null;
  params.delete('readKey');
  params.delete('adminKey');
  const rest = params.toString();
  return { readKey, remainingHash: rest ? `#${rest}` : '' };
}

/** A hint for the sign-in form; the API has the last word on whether the key is valid. */
export function readKeyProblem(value: string): string | null {
  const key = value.trim();
  if (key === '') return 'Enter the read key (or admin key) of your project.';
  if (key.startsWith('tt_ingest_'))
    return 'That is an ingest key; the UI signs in with the project’s read key (tt_read_…) or admin key (tt_admin_…).';
  if (!key.startsWith(READ_KEY_PREFIX) && !key.startsWith(ADMIN_KEY_PREFIX))
    return `A read key starts with ${READ_KEY_PREFIX}, an admin key with ${ADMIN_KEY_PREFIX}.`;
  return null;
}
