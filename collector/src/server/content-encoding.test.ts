import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ZSTD_FIXTURE, ZSTD_FIXTURE_JSON, zstdRawFrame, zstdRleBomb } from '../testing/zstd-frames.ts';
import { BodyTooLargeError, type ContentEncoding, contentEncodingOf, createDecompressor } from './content-encoding.ts';

/** Pipes `body` through the decompressor, as the body reader does, counting output against `maxBytes`. */
function decompress(body: Buffer, encoding: ContentEncoding, maxBytes: number): Promise<Buffer> {
  const stream = createDecompressor(encoding, maxBytes);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    stream.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) {
        stream.destroy();
        reject(new BodyTooLargeError());
      }
      chunks.push(chunk);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
    stream.end(body);
  });
}

const text = Buffer.from('{"resourceSpans":[]}'.repeat(50));

describe('contentEncodingOf', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['identity', 'identity'],
    ['GZIP', 'gzip'],
    ['x-gzip', 'gzip'],
    [' deflate ', 'deflate'],
    ['br', 'br'],
    ['zstd', 'zstd'],
    ['compress', null],
    ['gzip, br', null],
  ])('when the header is %j, then %j', (header, expected) => {
    expect(contentEncodingOf(header)).toBe(expected);
  });
});

describe('decompress', () => {
  it.each([
    ['gzip', zlib.gzipSync(text)],
    ['deflate', zlib.deflateSync(text)],
    ['br', zlib.brotliCompressSync(text)],
    ['zstd', zstdRawFrame(text)],
  ] as const)('when the body is %s, then the original bytes come back', async (encoding, body) => {
    expect((await decompress(body, encoding, 1 << 20)).equals(text)).toBe(true);
  });

  it('when a zstd body was compressed by the zstd tool (entropy-coded blocks), then it decodes exactly', async () => {
    expect((await decompress(ZSTD_FIXTURE, 'zstd', 1 << 20)).toString()).toBe(ZSTD_FIXTURE_JSON);
  });

  it('when a zstd body spans several blocks, then every block is kept in order', async () => {
    const data = Buffer.alloc(300 * 1024);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31) % 251;
    expect((await decompress(zstdRawFrame(data), 'zstd', 1 << 20)).equals(data)).toBe(true);
  });

  it.each([
    ['gzip', zlib.gzipSync(Buffer.alloc(4 << 20))],
    ['deflate', zlib.deflateSync(Buffer.alloc(4 << 20))],
    ['br', zlib.brotliCompressSync(Buffer.alloc(4 << 20))],
    ['zstd', zstdRleBomb(4 << 20)],
  ] as const)('when a %s body inflates past the limit, then BodyTooLargeError', async (encoding, body) => {
    expect(body.length).toBeLessThan(64 * 1024);
    await expect(decompress(body, encoding, 1 << 20)).rejects.toBeInstanceOf(BodyTooLargeError);
  });

  it('when a 1 GiB zstd bomb arrives, then decoding stops near the limit instead of inflating it all', async () => {
    const bomb = zstdRleBomb(1 << 30);
    expect(bomb.length).toBeLessThan(64 * 1024);
    await expect(decompress(bomb, 'zstd', 1 << 20)).rejects.toBeInstanceOf(BodyTooLargeError);
  });

  it.each([
    ['gzip', Buffer.from('not gzip at all')],
    ['br', Buffer.from([0xff, 0xff, 0xff, 0xff])],
    ['zstd', Buffer.from('not zstd at all')],
    ['zstd', zstdRawFrame(text).subarray(0, 40)],
  ] as const)(
    'when a %s body is corrupt or cut, then the stream fails (not with BodyTooLargeError)',
    async (encoding, body) => {
      const error = await decompress(body, encoding, 1 << 20).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(BodyTooLargeError);
    },
  );

  it('when a zstd bomb is written in one chunk, then the zstd stream itself stops at the limit', async () => {
    const stream = createDecompressor('zstd', 1 << 20);
    let emitted = 0;
    stream.on('data', (chunk: Buffer) => {
      emitted += chunk.length;
    });
    const failed = new Promise((resolve) => stream.once('error', resolve));
    stream.end(zstdRleBomb(1 << 30));
    expect(await failed).toBeInstanceOf(BodyTooLargeError);
    expect(emitted).toBeLessThanOrEqual(1 << 20);
  });
});
