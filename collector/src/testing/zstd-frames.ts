/**
 * zstd bodies for tests (Node 20 has no zstd encoder): frames built by hand
 * from raw and RLE blocks (RFC 8878 §3.1), and one fixture compressed by the
 * zstd command-line tool at level 19, so the entropy-coded path is covered too.
 */

const MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
/** Frame header: no content size, not single-segment; window descriptor 2^21 bytes. */
const HEADER = [0x00, 11 << 3];
const MAX_BLOCK = 128 * 1024;

function blockHeader(last: boolean, type: 0 | 1, size: number): number[] {
  const value = (size << 3) | (type << 1) | (last ? 1 : 0);
  return [value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff];
}

/** A valid zstd frame holding `data` uncompressed (raw blocks). */
export function zstdRawFrame(data: Uint8Array): Buffer {
  const parts: Uint8Array[] = [Uint8Array.from([...MAGIC, ...HEADER])];
  if (data.byteLength === 0) parts.push(Uint8Array.from(blockHeader(true, 0, 0)));
  for (let offset = 0; offset < data.byteLength; offset += MAX_BLOCK) {
    const chunk = data.subarray(offset, offset + MAX_BLOCK);
    parts.push(Uint8Array.from(blockHeader(offset + MAX_BLOCK >= data.byteLength, 0, chunk.byteLength)), chunk);
  }
  return Buffer.concat(parts);
}

/** A zstd bomb: `totalBytes` of spaces from 4 bytes per 128 KiB (RLE blocks). */
export function zstdRleBomb(totalBytes: number): Buffer {
  const blocks = Math.ceil(totalBytes / MAX_BLOCK);
  const out = Buffer.alloc(MAGIC.length + HEADER.length + blocks * 4);
  out.set([...MAGIC, ...HEADER]);
  let at = MAGIC.length + HEADER.length;
  for (let i = 0; i < blocks; i++) {
    out.set([...blockHeader(i === blocks - 1, 1, MAX_BLOCK), 0x20], at);
    at += 4;
  }
  return out;
}

/** `zstd -19` of ZSTD_FIXTURE_JSON. */
export const ZSTD_FIXTURE = Buffer.from(
  'KLUv/WS5AiUHACKNKBlQ1wP8TIXg0gk1r4kG3EVUIGaiBZSTmdlhYRRGYVRR09sqUQpfa6lmEBa/SxcS4SiKAxl8eobp0l3sPHabnenWLofpFl/LpV9ZtuPje0WLKRbjVzt6UrSv9WcNy6oPAjV8ulW+0ry1S59aVrXLMApD/7zt7k6A3frzh8I3b71dlHPpj1EcfL1cfu3Tvbd+b9LNe1MHp0PTNaYa8zVvmf7sYBgASoUA6lcqt1rbttYHYMNLrXK4DXSAYX0wNBD70+2pFrTCRo4lpMqAWsiEC64agACwYQ+Zs4Pqjj7HV9sMA5wjnaw=',
  'base64',
);

export const ZSTD_FIXTURE_JSON =
  '{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"zstd-fixture"}}]},"scopeSpans":[{"scope":{"name":"fixture"},"spans":[{"traceId":"5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a01","spanId":"5a5a5a5a5a5a5a01","name":"compressed by the zstd command line tool","kind":1,"startTimeUnixNano":"1764460800000000000","endTimeUnixNano":"1764460800250000000","attributes":[{"key":"padding","value":{"stringValue":"abcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefgh"}}]}]}]}]}';
