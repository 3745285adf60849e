/**
 * Plain objects keyed by names a sender chooses (attribute keys, `service.name`).
 * Plain assignment is fast and keeps objects in V8's fast mode; only
 * `__proto__` needs care, because assigning it would replace the object's
 * prototype instead of storing the value (prototype pollution), and reading
 * `obj[key]` of a key the object lacks finds Object.prototype's members
 * (`constructor`, `toString`…). JSON.parse, structuredClone, object spread and
 * Object.fromEntries all define own properties, so they are safe as they are.
 */

/** Stores `value` under `key` as an own property, whatever the key. */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** The value stored under `key`, or undefined; never a member inherited from Object.prototype. */
export function getOwn<T>(source: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(source, key) ? source[key] : undefined;
}
