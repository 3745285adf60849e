/**
 * Storing attributes under keys chosen by the sender. Plain assignment is fast
 * and keeps objects in V8's fast mode; only `__proto__` needs care, because
 * assigning it would replace the object's prototype instead of storing the
 * attribute (prototype pollution). No other key is an accessor on
 * Object.prototype, so every other key is stored as an ordinary own property.
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
