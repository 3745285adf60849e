/**
 * Reads a request body into one Buffer, decompressing gzip, deflate, br or
 * zstd (./content-encoding.ts), with two
 * bounds checked as the bytes arrive: the body limit (counted after
 * decompression → 413) and the collector-wide bytes in flight (the request's
 * reservation grows with what it holds → 429). On a refusal the rest of the
 * body is read and thrown away as it comes, never buffered, so the answer
 * reaches the client and the keep-alive connection stays usable.
 */
import type { IncomingMessage } from 'node:http';
import type { Transform } from 'node:stream';
import type { InflightReservation } from '../pipeline/inflight-bytes.ts';
import {
  ACCEPTED_CONTENT_ENCODINGS_TEXT,
  BodyTooLargeError,
  contentEncodingOf,
  createDecompressor,
} from './content-encoding.ts';
import { type CollectorHttpError, httpErrors } from './http-error.ts';

export interface BodyBounds {
  maxBodyBytes: number;
  reservation: InflightReservation;
  /** The error to answer when the body outgrows the bytes in flight. */
  overBound: () => CollectorHttpError;
}

function inflaterFor(header: string | undefined, maxBodyBytes: number): Transform | null {
  const encoding = contentEncodingOf(header);
  if (encoding === null) {
    throw httpErrors.unsupportedMediaType(
      `unsupported Content-Encoding ${JSON.stringify(header)}: the collector accepts ${ACCEPTED_CONTENT_ENCODINGS_TEXT}`,
    );
  }
  return encoding === 'identity' ? null : createDecompressor(encoding, maxBodyBytes);
}

export function tooLarge(maxBodyBytes: number): CollectorHttpError {
  return httpErrors.tooLarge(`request body exceeds the limit of ${maxBodyBytes} bytes (counted after decompression)`);
}

/**
 * The chunks in one Buffer that owns its whole ArrayBuffer (never a slice of
 * Node's shared pool or a socket buffer), so the decode stage may transfer it
 * to a worker thread without detaching memory anything else uses.
 */
function ownBuffer(chunks: Buffer[], size: number): Buffer {
  const body = Buffer.allocUnsafeSlow(size);
  let at = 0;
  for (const chunk of chunks) at += chunk.copy(body, at);
  return body;
}

export function readBody(req: IncomingMessage, bounds: BodyBounds): Promise<Buffer> {
  const inflater = inflaterFor(req.headers['content-encoding'], bounds.maxBodyBytes);
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let wireBytes = 0;
    let bodyBytes = 0;
    let settled = false;

    const settle = (error: CollectorHttpError | null) => {
      if (settled) return;
      settled = true;
      req.off('data', onWire);
      req.off('end', onWireEnd);
      req.off('close', onClose);
      req.off('error', onError);
      if (inflater) {
        inflater.removeAllListeners('data');
        inflater.on('error', () => undefined);
        inflater.destroy();
      }
      if (error) {
        req.resume();
        chunks.length = 0;
        reject(error);
      } else {
        resolve(ownBuffer(chunks, bodyBytes));
      }
    };
    const holds = () => bounds.reservation.hold(Math.max(wireBytes, bodyBytes));
    const onBody = (chunk: Buffer) => {
      bodyBytes += chunk.length;
      if (bodyBytes > bounds.maxBodyBytes) return settle(tooLarge(bounds.maxBodyBytes));
      if (!holds()) return settle(bounds.overBound());
      chunks.push(chunk);
    };
    const onWire = (chunk: Buffer) => {
      wireBytes += chunk.length;
      if (!holds()) return settle(bounds.overBound());
      if (inflater) inflater.write(chunk);
      else onBody(chunk);
    };
    const onWireEnd = () => {
      if (inflater) inflater.end();
      else settle(null);
    };
    const onClose = () => {
      if (!req.complete) settle(httpErrors.badRequest('request aborted by the client before the body was complete'));
    };
    const onError = (error: Error) => settle(httpErrors.badRequest(`request body could not be read: ${error.message}`));

    if (inflater) {
      inflater.on('data', onBody);
      inflater.on('end', () => settle(null));
      inflater.on('error', (error) =>
        settle(
          error instanceof BodyTooLargeError
            ? tooLarge(bounds.maxBodyBytes)
            : httpErrors.badRequest(
                `request body could not be decompressed as ${req.headers['content-encoding']}: ${error.message}`,
              ),
        ),
      );
    }
    req.on('data', onWire);
    req.on('end', onWireEnd);
    req.on('close', onClose);
    req.on('error', onError);
  });
}
