/**
 * A project's redaction rules, read from the store and kept for a few seconds
 * so a busy project costs one read per interval, not one per request. A rule
 * saved through the API or CLI applies to batches received after that.
 */
import type { RedactionRules } from '@tooltrace/conventions';
import type { Store } from '@tooltrace/store';

export type RedactionRulesSource = (projectId: string) => Promise<RedactionRules>;

export const RULES_CACHE_MS = 5_000;

export function cachedRedactionRules(
  store: Pick<Store, 'getRedactionRules'>,
  now: () => number = Date.now,
  ttlMs = RULES_CACHE_MS,
): RedactionRulesSource {
  const cache = new Map<string, { rules: RedactionRules; until: number }>();
  return async (projectId) => {
    const hit = cache.get(projectId);
    if (hit && hit.until > now()) return hit.rules;
    const rules = await store.getRedactionRules(projectId);
    cache.set(projectId, { rules, until: now() + ttlMs });
    return rules;
  };
}
