/** Which OTLP encoding a request's Content-Type asks for. */
import { getOwn } from '@tooltrace/conventions';
import type { Request } from 'express';
import type { OtlpEncoding } from '../otlp/types.ts';

const ENCODINGS: Record<string, OtlpEncoding> = {
  'application/x-protobuf': 'protobuf',
  'application/protobuf': 'protobuf',
  'application/json': 'json',
};

export const CONTENT_TYPE_OF: Record<OtlpEncoding, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

export const SUPPORTED_CONTENT_TYPES = 'application/x-protobuf or application/json';

/** The encoding, or null for a missing or unsupported media type (parameters such as charset are ignored). */
export function encodingOf(req: Request): OtlpEncoding | null {
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return getOwn(ENCODINGS, mediaType) ?? null;
}
