/**
 * Request body decompression for every Content-Encoding the OpenTelemetry
 * Collector and SDKs send: gzip, deflate, br and zstd, as streams the body
 * reader writes the wire bytes into. zlib streams emit their output in small
 * chunks the reader counts against the limit; the zstd stream (fzstd, pure
 * JS: Node 20's zlib has no zstd) stops itself as soon as its output passes
 * the limit, so a small bomb never inflates in full.
 */
import { Transform } from 'node:stream';
import zlib from 'node:zlib';
import { getOwn } from '@tooltrace/conventions';
import { Decompress } from 'fzstd';

export const ACCEPTED_CONTENT_ENCODINGS = ['gzip', 'deflate', 'br', 'zstd'] as const;
export type ContentEncoding = (typeof ACCEPTED_CONTENT_ENCODINGS)[number];

/** The 415 message names exactly what is accepted. */
export const ACCEPTED_CONTENT_ENCODINGS_TEXT = 'gzip, deflate, br, zstd or identity (none)';

/** Thrown (as the stream's error) when the output passes the limit. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

const ALIASES: Record<string, ContentEncoding | 'identity'> = {
  '': 'identity',
  identity: 'identity',
  none: 'identity',
  gzip: 'gzip',
  'x-gzip': 'gzip',
  deflate: 'deflate',
  br: 'br',
  zstd: 'zstd',
};

/** `identity`, one accepted encoding, or null when the header names something else (stacked encodings included). */
export function contentEncodingOf(header: string | undefined): ContentEncoding | 'identity' | null {
  return getOwn(ALIASES, (header ?? '').trim().toLowerCase()) ?? null;
}

/** A stream from wire bytes to body bytes for `encoding`. */
export function createDecompressor(encoding: ContentEncoding, maxBytes: number): Transform {
  switch (encoding) {
    case 'gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    case 'zstd':
      return createZstdDecompressor(maxBytes);
  }
}

/** Wire bytes are fed to fzstd in slices this big, so the output check runs at least every few blocks. */
const ZSTD_SLICE_BYTES = 4096;

function createZstdDecompressor(maxBytes: number): Transform {
  let total = 0;
  let stream: Transform;
  const decoder = new Decompress((block) => {
    total += block.byteLength;
    if (total > maxBytes) throw new BodyTooLargeError();
    // fzstd reuses its window buffer, so each block is copied out.
    if (block.byteLength > 0) stream.push(Buffer.from(block));
  });
  const feed = (chunk: Buffer, final: boolean, callback: (error?: Error | null) => void) => {
    try {
      for (let offset = 0; offset < chunk.byteLength; offset += ZSTD_SLICE_BYTES) {
        decoder.push(chunk.subarray(offset, offset + ZSTD_SLICE_BYTES), false);
      }
      if (final) decoder.push(new Uint8Array(0), true);
      callback();
    } catch (error) {
      callback(
        error instanceof BodyTooLargeError ? error : new Error(`invalid zstd data: ${(error as Error).message}`),
      );
    }
  };
  stream = new Transform({
    transform: (chunk: Buffer, _encoding, callback) => feed(chunk, false, callback),
    flush: (callback) => feed(Buffer.alloc(0), true, callback),
  });
  return stream;
}
