/** Reading typed values out of OTLP attributes, and keeping stored values bounded. */
import { setOwn } from '@tooltrace/conventions';
import { type AttributeValue, MAX_ATTRIBUTES, type OtlpAttributes } from '../otlp/types.ts';

/** A non-empty string (numbers and booleans are stringified: IDs often arrive as ints), else null. */
export function attrString(attrs: OtlpAttributes, key: string): string | null {
  const value = attrs[key];
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** An integer, also from a decimal string ("403"), else null. */
export function attrInt(attrs: OtlpAttributes, key: string): number | null {
  const value = attrs[key];
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d{1,15}$/.test(value.trim())) return Number(value.trim());
  return null;
}

/** A boolean, also from "true"/"false", else null. */
export function attrBool(attrs: OtlpAttributes, key: string): boolean | null {
  const value = attrs[key];
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return null;
}

/** Any value as text: strings as they are, everything else as JSON. */
export function valueText(value: AttributeValue | undefined): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Cuts a string to `max` characters and says how much was cut, so a reader knows the value is partial. */
export function truncateText(value: string, max: number): string {
  if (value.length <= max) return value;
  return `${value.slice(0, max)}…[truncated: ${value.length - max} of ${value.length} characters omitted]`;
}

/** Truncates every string inside the attributes (nested arrays and maps too, keys too); returns a new object. */
export function truncateAttributes(attrs: OtlpAttributes, max: number): OtlpAttributes {
  const out: OtlpAttributes = {};
  for (const [key, value] of Object.entries(attrs)) setOwn(out, truncateText(key, max), truncateValue(value, max));
  return out;
}

/** Truncates every string inside one value (nested arrays and maps too). */
export function truncateValue(value: AttributeValue, max: number): AttributeValue {
  if (typeof value === 'string') return truncateText(value, max);
  if (Array.isArray(value)) return value.map((v) => truncateValue(v, max));
  if (value !== null && typeof value === 'object') return truncateAttributes(value, max);
  return value;
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * The attributes as stored, in one copy: without `dropKey`, with `extra`
 * merged in as `{ ...attrs, ...extra }` would (a key both have keeps its
 * place and takes the extra value; new keys go last), every string truncated
 * (keys too). Spreading, deleting and truncating in three copies cost a third
 * of the mapper's time per span.
 */
export function storedAttributes(
  attrs: OtlpAttributes,
  dropKey: string,
  max: number,
  extra: OtlpAttributes | null = null,
): OtlpAttributes {
  const out: OtlpAttributes = {};
  const keys = Object.keys(attrs);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key === dropKey) continue;
    const value = extra !== null && hasOwn.call(extra, key) ? extra[key]! : attrs[key]!;
    setOwn(out, truncateText(key, max), truncateValue(value, max));
  }
  if (extra !== null) {
    for (const key of Object.keys(extra)) {
      if (key !== dropKey && !hasOwn.call(attrs, key))
        setOwn(out, truncateText(key, max), truncateValue(extra[key]!, max));
    }
  }
  return out;
}

/** The partial_success line for an item whose attributes past MAX_ATTRIBUTES were dropped by the decoder. */
export function droppedAttributesWarning(ref: string, item: { droppedAttributes?: number }): string | null {
  const dropped = item.droppedAttributes ?? 0;
  if (dropped === 0) return null;
  return `${ref}.attributes: ${dropped + MAX_ATTRIBUTES} attributes, over the limit of ${MAX_ATTRIBUTES}; ${dropped} dropped, the first ${MAX_ATTRIBUTES} stored`;
}
