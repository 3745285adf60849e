/**
 * One OTLP/HTTP POST to a destination, classified as the OTLP specification
 * says: 2xx sent; 429, 502, 503, 504, timeouts and connection failures retry
 * (with the answer's Retry-After); any other answer rejects the batch for
 * good, with the answer's message. Failures are data, never exceptions.
 *
 * Unless private addresses are allowed, a host that is, or resolves to, a
 * loopback/private/link-local address is refused at connect time (the DNS
 * answer is checked, not only the name), so a destination cannot reach into
 * the network tooltrace runs in.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isHttpSuccess, isPrivateHost, privateEndpointMessage } from '@tooltrace/conventions';
import { decodeRpcStatus } from '../otlp/rpc-status.ts';
import { retryAfterMs } from './backoff.ts';

export type SendOutcome =
  | { kind: 'sent'; httpStatus: number; message: string }
  | { kind: 'retry'; httpStatus: number | null; message: string; retryAfterMs: number | null }
  | { kind: 'reject'; httpStatus: number | null; message: string };

export interface SendRequest {
  url: string;
  headers: Record<string, string>;
  body: Buffer;
  timeoutMs: number;
  allowPrivate: boolean;
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
/** Bytes of an answer read for its message; the rest is discarded. */
const MAX_ANSWER_BYTES = 8 * 1024;
const MAX_MESSAGE_CHARS = 300;

class PrivateAddressError extends Error {}

function guardedLookup(allowPrivate: boolean, endpoint: string): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as dns.LookupAddress[];
      if (!allowPrivate && list.some((a) => isPrivateHost(a.address))) {
        return callback(new PrivateAddressError(privateEndpointMessage(endpoint)), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      const first = list[0] as dns.LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}

/** The answer's message: OTLP's google.rpc.Status (protobuf or JSON), else its text. */
function messageOf(body: Buffer, contentType: string | undefined, status: number): string {
  let text = '';
  try {
    if (contentType?.includes('protobuf')) {
      text = decodeRpcStatus(body).message;
    } else if (contentType?.includes('json')) {
      const parsed = JSON.parse(body.toString('utf8')) as { message?: unknown; error?: { message?: unknown } };
      const m = parsed.message ?? parsed.error?.message;
      text = typeof m === 'string' ? m : '';
    }
  } catch {
    // Not the shape it claimed: fall back to the text.
  }
  if (!text) text = body.toString('utf8').replace(/\s+/g, ' ').trim();
  const line = text ? `HTTP ${status}: ${text}` : `HTTP ${status}`;
  return line.length > MAX_MESSAGE_CHARS ? `${line.slice(0, MAX_MESSAGE_CHARS)}…` : line;
}

export function postOtlp(request: SendRequest): Promise<SendOutcome> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return Promise.resolve({ kind: 'reject', httpStatus: null, message: `invalid URL ${request.url}` });
  }
  if (!request.allowPrivate && isPrivateHost(url.hostname)) {
    return Promise.resolve({ kind: 'reject', httpStatus: null, message: privateEndpointMessage(url.origin) });
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: { ...request.headers, 'content-length': String(request.body.length) },
        lookup: guardedLookup(request.allowPrivate, url.origin),
        timeout: request.timeoutMs,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('error', () => {});
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const message = messageOf(
            Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES),
            res.headers['content-type'],
            status,
          );
          if (isHttpSuccess(status)) return resolve({ kind: 'sent', httpStatus: status, message });
          if (RETRYABLE_STATUS.has(status)) {
            const header = res.headers['retry-after'];
            return resolve({
              kind: 'retry',
              httpStatus: status,
              message,
              retryAfterMs: retryAfterMs(header, Date.now()),
            });
          }
          resolve({ kind: 'reject', httpStatus: status, message });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${request.timeoutMs} ms`)));
    req.on('error', (error) => {
      if (error instanceof PrivateAddressError) {
        return resolve({ kind: 'reject', httpStatus: null, message: error.message });
      }
      const code = (error as { code?: string }).code;
      resolve({
        kind: 'retry',
        httpStatus: null,
        message: code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message,
        retryAfterMs: null,
      });
    });
    req.end(request.body);
  });
}
