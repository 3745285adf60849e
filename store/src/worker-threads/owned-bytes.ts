/**
 * `bytes` owning their whole ArrayBuffer, so that buffer can be transferred to another thread rather than copied:
 * a small Buffer is a slice of Node's shared pool, which must not be transferred, so such bytes are copied once here.
 */
export function ownedBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
}
