/**
 * Project keys: 256 bits from the CSPRNG, shown in clear once, stored as
 * SHA-256. A slow hash (scrypt) protects low-entropy passwords; a 256-bit
 * random key cannot be brute-forced, so a fast hash is enough and keeps every
 * OTLP request's authentication cheap.
 *
 * Lookup is by hash (an index seek). That leaks nothing useful through timing:
 * an attacker would need a preimage of a stored hash to exploit a match on a
 * prefix. The final comparison is still constant time, as defence in depth.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KeyRole } from './store.ts';

export const KEY_PREFIXES: Record<KeyRole, string> = { ingest: 'tt_ingest_', read: 'tt_read_', admin: 'tt_admin_' };

/** Every role a project has a key for, in the order they are issued and printed. */
export const KEY_ROLES: readonly KeyRole[] = ['ingest', 'read', 'admin'];

export function generateKey(role: KeyRole): string {
  return `${KEY_PREFIXES[role]}${randomBytes(32).toString('base64url')}`;
}

export function hashKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

export function hashesEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The role a clear-text key claims by its prefix; null for anything else. */
export function roleOfKey(key: string): KeyRole | null {
  if (key.startsWith(KEY_PREFIXES.ingest)) return 'ingest';
  if (key.startsWith(KEY_PREFIXES.read)) return 'read';
  if (key.startsWith(KEY_PREFIXES.admin)) return 'admin';
  return null;
}

export function generateProjectId(): string {
  return `prj_${randomBytes(10).toString('hex')}`;
}
