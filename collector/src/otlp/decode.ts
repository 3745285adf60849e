/**
 * Request bodies (already decompressed) to the internal shape. Protobuf goes
 * through our protobufjs definition and is read straight from the decoded
 * messages (no `toObject` copy); JSON through JSON.parse and our own field
 * reader, never protobufjs `fromObject` (OTLP/JSON IDs are hex, the generic
 * protobuf JSON mapping would read them as base64).
 */
import type protobuf from 'protobufjs';
import { checkJsonNesting } from './json-nesting.ts';
import { normaliseJsonLogsRequest, normaliseJsonTracesRequest } from './normalise-json.ts';
import { normaliseProtobufLogsRequest, normaliseProtobufTracesRequest } from './normalise-protobuf.ts';
import { ExportLogsServiceRequest, ExportTraceServiceRequest } from './proto-schema.ts';
import { type LogsRequest, OtlpDecodeError, type OtlpEncoding, type TracesRequest } from './types.ts';

function decodeProtobuf(type: protobuf.Type, body: Uint8Array): protobuf.Message {
  try {
    // protobufjs reads strings from a Buffer with Node's native UTF-8 decoder, from a plain Uint8Array (a
    // body transferred to a decode worker arrives as one) in JavaScript: a Buffer view of the same memory.
    return type.decode(Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  } catch (error) {
    throw new OtlpDecodeError(`request body is not a valid ${type.name} protobuf message: ${(error as Error).message}`);
  }
}

function decodeJson(body: Uint8Array): unknown {
  checkJsonNesting(body);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new OtlpDecodeError('request body is not valid UTF-8 JSON');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new OtlpDecodeError(`request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** An empty body is an empty request (some clients send one as a connectivity check). */
function isEmpty(body: Uint8Array): boolean {
  return body.byteLength === 0;
}

export function decodeTracesRequest(body: Uint8Array, encoding: OtlpEncoding): TracesRequest {
  if (isEmpty(body)) return { resourceSpans: [] };
  return encoding === 'protobuf'
    ? normaliseProtobufTracesRequest(decodeProtobuf(ExportTraceServiceRequest, body))
    : normaliseJsonTracesRequest(decodeJson(body));
}

export function decodeLogsRequest(body: Uint8Array, encoding: OtlpEncoding): LogsRequest {
  if (isEmpty(body)) return { resourceLogs: [] };
  return encoding === 'protobuf'
    ? normaliseProtobufLogsRequest(decodeProtobuf(ExportLogsServiceRequest, body))
    : normaliseJsonLogsRequest(decodeJson(body));
}
