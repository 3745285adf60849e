/** The read key handed over in the link `tooltrace start` prints: `http://host/#readKey=tt_read_…`. */

export const READ_KEY_PREFIX = 'tt_read_';

/** The read key in a location hash, and the hash to leave behind once it is taken out. */
export function takeReadKeyFromHash(hash: string): { readKey: string | null; remainingHash: string } {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  const params = new URLSearchParams(raw);
  const readKey = params.get('readKey')?.trim() || null;
  params.delete('readKey');
  const rest = params.toString();
  return { readKey, remainingHash: rest ? `#${rest}` : '' };
}

/** A hint for the sign-in form; the API has the last word on whether the key is valid. */
export function readKeyProblem(value: string): string | null {
  const key = value.trim();
  if (key === '') return 'Enter the read key of your project.';
  if (key.startsWith('tt_ingest_'))
    return 'That is an ingest key; the UI signs in with the project’s read key (tt_read_…).';
  if (!key.startsWith(READ_KEY_PREFIX)) return `A read key starts with ${READ_KEY_PREFIX}.`;
  return null;
}
