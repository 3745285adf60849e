/**
 * Error bodies of provider requests made with node's `http`/`https` clients
 * (and every client built on them). The official instrumentation's hooks see
 * the response object but not its body, and reading the stream would take the
 * body from the application. So the response's own `push` — the one method
 * node's HTTP parser feeds each received chunk through — is tapped: chunks are
 * copied as they arrive (up to the body cap) and still go into the stream,
 * untouched, whenever and however the application reads it. When the
 * instrumentation closes the span at the response's end, the copy becomes
 * `tooltrace.http.response.body` (decompressed when the provider sent it
 * gzip/deflate/br); the SDK's redacting span processor then handles it like
 * the body of a `fetch`.
 */
import type { IncomingMessage } from 'node:http';
import zlib from 'node:zlib';
import type { Span } from '@opentelemetry/api';
import { ATTR_HTTP_RESPONSE_BODY } from '@tooltrace/conventions';
import { isErrorStatus } from './provider-request.ts';
import { capText, settings } from './settings.ts';

interface Tap {
  chunks: Buffer[];
  size: number;
  /** More arrived than was kept. */
  cut: boolean;
}

const tapOfSpan = new WeakMap<Span, { tap: Tap; response: IncomingMessage }>();

/** Starts copying the body of an error response; call from the instrumentation's `responseHook`. */
export function tapErrorBody(span: Span, response: IncomingMessage): void {
  if (!isErrorStatus(response.statusCode ?? 0)) return;
  // Compressed bodies are kept a little longer so that the cap applies to the text, roughly.
  const keep = settings().maxResponseBodyBytes * (response.headers['content-encoding'] ? 4 : 1);
  const tap: Tap = { chunks: [], size: 0, cut: false };
  const push = response.push;
  response.push = function tappedPush(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk !== null && chunk !== undefined && !tap.cut) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : Buffer.from(chunk as Uint8Array);
      const room = keep - tap.size;
      tap.chunks.push(bytes.length > room ? bytes.subarray(0, room) : bytes);
      tap.size += Math.min(bytes.length, room);
      if (bytes.length > room) tap.cut = true;
    }
    return push.call(this, chunk, encoding);
  };
  tapOfSpan.set(span, { tap, response });
}

/** Records what the tap copied on the span; call from `applyCustomAttributesOnSpan` (the response's end). */
export function recordTappedBody(span: Span): void {
  const tapped = tapOfSpan.get(span);
  if (!tapped) return;
  tapOfSpan.delete(span);
  const text = bodyText(tapped.tap, tapped.response.headers['content-encoding']);
  if (text) span.setAttribute(ATTR_HTTP_RESPONSE_BODY, text);
}

/** Output one decompression may produce: bounds the work a small, highly compressed body can cause. */
const DECODE_LIMIT = 1 << 20;

function bodyText(tap: Tap, encoding: string | undefined): string {
  const maxBytes = settings().maxResponseBodyBytes;
  const raw = Buffer.concat(tap.chunks);
  let decoded: { bytes: Buffer; cut: boolean };
  try {
    decoded = decodePrefix(raw, encoding?.trim().toLowerCase());
  } catch {
    // Not what the header said: say so rather than store binary noise.
    return `[${encoding}-encoded body of ${raw.length} bytes could not be decoded]`;
  }
  const text = decoded.bytes.toString('utf8');
  if (decoded.bytes.length > maxBytes || tap.cut || decoded.cut) {
    const capped = capText(text, maxBytes);
    return capped === text ? `${text}…[truncated]` : capped;
  }
  return text;
}

/**
 * Decompresses what may be only the start of a compressed body (sync flush:
 * no error at a cut). A body that inflates past DECODE_LIMIT is decoded from a
 * shorter start instead (halving), so only its beginning is kept.
 */
function decodePrefix(raw: Buffer, encoding: string | undefined): { bytes: Buffer; cut: boolean } {
  const decode = decoderOf(encoding);
  if (!decode) return { bytes: raw, cut: false };
  let input = raw;
  for (;;) {
    try {
      return { bytes: decode(input), cut: input.length < raw.length };
    } catch (error) {
      const tooLarge = (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
      if (!tooLarge || input.length < 2) throw error;
      input = input.subarray(0, input.length >> 1);
    }
  }
}

function decoderOf(encoding: string | undefined): ((input: Buffer) => Buffer) | null {
  const options = { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: DECODE_LIMIT };
  switch (encoding) {
    case undefined:
    case '':
    case 'identity':
      return null;
    case 'gzip':
    case 'x-gzip':
      return (input) => zlib.gunzipSync(input, options);
    case 'deflate':
      return (input) => zlib.inflateSync(input, options);
    case 'br':
      return (input) =>
        zlib.brotliDecompressSync(input, {
          finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
          maxOutputLength: DECODE_LIMIT,
        });
    default:
      throw new Error(`unknown content-encoding ${encoding}`);
  }
}
