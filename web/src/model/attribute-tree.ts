/**
 * Flat OpenTelemetry attributes (`http.request.method`) → a tree grouped by dotted prefix, so
 * a log's metadata reads like the conventions it follows. JSON text values (tool arguments,
 * response bodies) are expanded too, because that is where the detail a user wants lives.
 */

export interface AttributeNode {
  key: string;
  /** Full dotted path, unique within the tree (React key, copy target). */
  path: string;
  /** Rendered leaf value; undefined for a branch. */
  value?: string;
  valueType?: 'string' | 'number' | 'boolean' | 'null' | 'json';
  children?: AttributeNode[];
}

type Branch = Map<string, Branch | { leaf: unknown }>;

export function toAttributeTree(attributes: Record<string, unknown>): AttributeNode[] {
  const root: Branch = new Map();
  for (const [key, value] of Object.entries(attributes)) {
    const parts = key.split('.').filter((p) => p.length > 0);
    if (parts.length === 0) continue;
    let branch = root;
    for (const [i, part] of parts.entries()) {
      const last = i === parts.length - 1;
      const existing = branch.get(part);
      if (last) {
        // `a.b` set both as a value and as a prefix (`a.b.c`): keep both, the value under its own key.
        if (existing instanceof Map) existing.set('', { leaf: value });
        else branch.set(part, { leaf: value });
      } else if (existing instanceof Map) {
        branch = existing;
      } else {
        const next: Branch = new Map();
        if (existing) next.set('', existing);
        branch.set(part, next);
        branch = next;
      }
    }
  }
  return toNodes(root, '');
}

function toNodes(branch: Branch, prefix: string): AttributeNode[] {
  const nodes: AttributeNode[] = [];
  for (const [key, entry] of [...branch.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const path = key === '' ? prefix : prefix ? `${prefix}.${key}` : key;
    const label = key === '' ? '(value)' : key;
    if (entry instanceof Map) nodes.push({ key: label, path, children: toNodes(entry, path) });
    else nodes.push(valueNode(label, path, entry.leaf));
  }
  return nodes;
}

function valueNode(key: string, path: string, value: unknown): AttributeNode {
  if (value === null || value === undefined) return { key, path, value: 'null', valueType: 'null' };
  if (typeof value === 'number') return { key, path, value: String(value), valueType: 'number' };
  if (typeof value === 'boolean') return { key, path, value: String(value), valueType: 'boolean' };
  if (typeof value === 'string') {
    const parsed = parseJsonContainer(value);
    if (parsed !== undefined) return { key, path, children: jsonChildren(parsed, path), valueType: 'json' };
    return { key, path, value, valueType: 'string' };
  }
  if (typeof value === 'object') return { key, path, children: jsonChildren(value, path), valueType: 'json' };
  return { key, path, value: String(value), valueType: 'string' };
}

function jsonChildren(value: unknown, path: string): AttributeNode[] {
  if (Array.isArray(value)) return value.map((item, i) => valueNode(`[${i}]`, `${path}[${i}]`, item));
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).map(([k, v]) => valueNode(k, `${path}.${k}`, v));
  }
  return [];
}

/** Objects and arrays only: a JSON number or string is shown as the text it is. */
function parseJsonContainer(text: string): object | undefined {
  const trimmed = text.trim();
  if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) return undefined;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    return parsed !== null && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Pretty-prints a body when it is JSON, else returns it unchanged. */
export function prettyBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
