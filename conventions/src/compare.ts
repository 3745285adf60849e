/**
 * "What changed" between a failing call and the last success before it (DESIGN §6): a structural
 * diff of two JSON values and the alignment of two calls' provider requests. Pure.
 */
export type DiffChange = 'added' | 'removed' | 'changed';

export interface DiffEntry {
  /** JSON path of the key, `$.channel`, `$.blocks[0].text`. */
  path: string;
  change: DiffChange;
  /** The last success's value (absent when added). */
  before?: unknown;
  /** The failing call's value (absent when removed). */
  after?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const keyPath = (path: string, key: string) =>
  /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;

/** Keys added, removed or changed from `before` to `after`, nested objects and arrays walked, in path order. */
export function diffJson(before: unknown, after: unknown, path = '$'): DiffEntry[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => {
      const p = keyPath(path, key);
      if (!(key in after)) return [{ path: p, change: 'removed' as const, before: before[key] }];
      if (!(key in before)) return [{ path: p, change: 'added' as const, after: after[key] }];
      return diffJson(before[key], after[key], p);
    });
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const out: DiffEntry[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i += 1) {
      const p = `${path}[${i}]`;
      if (i >= after.length) out.push({ path: p, change: 'removed', before: before[i] });
      else if (i >= before.length) out.push({ path: p, change: 'added', after: after[i] });
      else out.push(...diffJson(before[i], after[i], p));
    }
    return out;
  }
  return Object.is(before, after) || JSON.stringify(before) === JSON.stringify(after)
    ? []
    : [{ path, change: 'changed', before, after }];
}

/** Parameters as JSON when they parse, else the text itself (compared as one value). */
export function parseParameters(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export interface RequestSummary {
  method: string | null;
  host: string | null;
  path: string | null;
  status: number | null;
  durationMs: number | null;
}

export interface AlignedRequests<R extends RequestSummary = RequestSummary> {
  failing: R | null;
  baseline: R | null;
}

const requestKey = (r: RequestSummary) => `${r.method ?? ''} ${r.host ?? ''}${r.path ?? ''}`;

/**
 * Pairs two calls' provider requests (each in time order) by method, host and path, keeping order: a
 * longest common subsequence, so one extra request in either call leaves the rest paired.
 */
export function alignRequests<R extends RequestSummary>(
  failing: readonly R[],
  baseline: readonly R[],
): AlignedRequests<R>[] {
  const n = failing.length;
  const m = baseline.length;
  const lcs = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      lcs[i]![j] =
        requestKey(failing[i]!) === requestKey(baseline[j]!)
          ? lcs[i + 1]![j + 1]! + 1
          : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: AlignedRequests<R>[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && requestKey(failing[i]!) === requestKey(baseline[j]!)) {
      out.push({ failing: failing[i]!, baseline: baseline[j]! });
      i += 1;
      j += 1;
    } else if (j < m && (i >= n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      out.push({ failing: null, baseline: baseline[j]! });
      j += 1;
    } else {
      out.push({ failing: failing[i]!, baseline: null });
      i += 1;
    }
  }
  return out;
}
