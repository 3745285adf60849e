import { type Attributes, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import {
  JsonLogsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { decodeLogsRequest, decodeTracesRequest } from './decode.ts';
import { ExportLogsServiceRequest, ExportTraceServiceRequest } from './proto-schema.ts';
import { OtlpDecodeError } from './types.ts';

const resource = resourceFromAttributes({ 'service.name': 'svc' });

function officialSpans() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('test-scope', '1.2.3');
  const attributes: Attributes = {
    'tooltrace.kind': 'tool_call',
    'http.response.status_code': 403,
    ratio: 0.25,
    ok: false,
    tags: ['a', 'b'],
  };
  const root = tracer.startSpan('run_tool SLACK_SEND_MESSAGE', { kind: SpanKind.SERVER, attributes });
  root.addEvent('retry', { attempt: 2 });
  root.recordException(new TypeError('fetch failed'));
  root.setStatus({ code: SpanStatusCode.ERROR, message: 'Team not authorized' });
  root.end();
  return exporter.getFinishedSpans();
}

function officialLogs() {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter })] });
  provider.getLogger('test-scope').emit({
    severityNumber: SeverityNumber.ERROR,
    severityText: 'ERROR',
    body: 'boom',
    attributes: { 'exception.type': 'Error', nested: { deep: [1, 'x'] } },
  });
  return exporter.getFinishedLogRecords();
}

describe('decodeTracesRequest', () => {
  it('when the official serializers encode the same spans as protobuf and as JSON, then both decode alike', () => {
    const spans = officialSpans();
    const fromProto = decodeTracesRequest(ProtobufTraceSerializer.serializeRequest(spans)!, 'protobuf');
    const fromJson = decodeTracesRequest(JsonTraceSerializer.serializeRequest(spans)!, 'json');
    expect(fromJson).toEqual(fromProto);

    const span = fromProto.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    const original = spans[0]!;
    expect(fromProto.resourceSpans[0]!.resource['service.name']).toBe('svc');
    expect(fromProto.resourceSpans[0]!.scopeSpans[0]!.scope).toEqual({ name: 'test-scope', version: '1.2.3' });
    expect(span.traceId).toBe(original.spanContext().traceId);
    expect(span.spanId).toBe(original.spanContext().spanId);
    expect(span.parentSpanId).toBe('');
    expect(span.kind).toBe(2);
    expect(span.status).toEqual({ code: 2, message: 'Team not authorized' });
    expect(span.attributes).toEqual({
      'tooltrace.kind': 'tool_call',
      'http.response.status_code': 403,
      ratio: 0.25,
      ok: false,
      tags: ['a', 'b'],
    });
    expect(span.events.map((e) => e.name)).toEqual(['retry', 'exception']);
    expect(span.events[1]!.attributes['exception.message']).toBe('fetch failed');
    const startNanos = BigInt(original.startTime[0]) * 1_000_000_000n + BigInt(original.startTime[1]);
    expect(span.startTimeUnixNano).toBe(startNanos.toString());
    expect(span.ref).toBe('resourceSpans[0].scopeSpans[0].spans[0]');
  });

  it('when OTLP/JSON uses numbers for int64, enum names, snake_case and unknown fields, then it still decodes', () => {
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
          futureField: { anything: true },
          scope_spans: [
            {
              spans: [
                {
                  trace_id: '4C7445D219724ED69E4746053BF1D45F',
                  spanId: '0102030405060708',
                  name: 'x',
                  kind: 'SPAN_KIND_CLIENT',
                  startTimeUnixNano: 1_700_000_000_000_000_000,
                  endTimeUnixNano: '1700000000500000000',
                  status: { code: 'STATUS_CODE_ERROR' },
                  attributes: [
                    { key: 'big', value: { intValue: '9223372036854775807' } },
                    { key: 'small', value: { intValue: 42 } },
                    { key: 'nan', value: { doubleValue: 'NaN' } },
                    { key: 'bytes', value: { bytesValue: 'AQI=' } },
                    { key: 'kv', value: { kvlistValue: { values: [{ key: 'a', value: { boolValue: true } }] } } },
                    { key: 'empty', value: {} },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const request = decodeTracesRequest(Buffer.from(JSON.stringify(body)), 'json');
    const span = request.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(span.traceId).toBe('4c7445d219724ed69e4746053bf1d45f');
    expect(span.kind).toBe(3);
    expect(span.status.code).toBe(2);
    expect(span.endTimeUnixNano).toBe('1700000000500000000');
    expect(span.attributes).toEqual({
      big: '9223372036854775807',
      small: 42,
      nan: 'NaN',
      bytes: 'AQI=',
      kv: { a: true },
      empty: null,
    });
  });

  it('when an attribute is named __proto__, then it is stored as an ordinary attribute', () => {
    const text =
      '{"resourceSpans":[{"resource":{"attributes":[{"key":"__proto__","value":{"kvlistValue":{"values":[{"key":"polluted","value":{"boolValue":true}}]}}}]}}]}';
    const resource = decodeTracesRequest(Buffer.from(text), 'json').resourceSpans[0]!.resource;
    expect(Object.keys(resource)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(resource)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(resource)).toBe('{"__proto__":{"polluted":true}}');
  });

  it('when the body is empty, then it is an empty request', () => {
    expect(decodeTracesRequest(new Uint8Array(), 'protobuf')).toEqual({ resourceSpans: [] });
    expect(decodeTracesRequest(new Uint8Array(), 'json')).toEqual({ resourceSpans: [] });
  });

  it.each([
    ['not JSON', '{"resourceSpans": [', /not valid JSON/],
    ['a JSON array', '[]', /request: expected an object, got an array/],
    ['resourceSpans a string', '{"resourceSpans":"x"}', /^resourceSpans: expected an array, got string "x"/],
    [
      'a numeric trace ID',
      '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":123}]}]}]}',
      /^resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.traceId: expected a hex string, got number 123/,
    ],
    [
      'a fractional timestamp',
      '{"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":1.5}]}]}]}',
      /spans\[0\]\.startTimeUnixNano: expected a non-negative integer/,
    ],
    [
      'a timestamp beyond fixed64',
      '{"resourceSpans":[{"scopeSpans":[{"spans":[{"endTimeUnixNano":"99999999999999999999"}]}]}]}',
      /spans\[0\]\.endTimeUnixNano: expected a non-negative integer up to 2\^64-1/,
    ],
    [
      'an unknown enum name',
      '{"resourceSpans":[{"scopeSpans":[{"spans":[{"kind":"SPAN_KIND_WEIRD"}]}]}]}',
      /spans\[0\]\.kind: expected an integer enum value/,
    ],
    [
      'an attribute key that is not a string',
      '{"resourceSpans":[{"resource":{"attributes":[{"key":5}]}}]}',
      /^resourceSpans\[0\]\.resource\.attributes\[0\]\.key: expected a string/,
    ],
    [
      'a boolValue that is a string',
      '{"resourceSpans":[{"resource":{"attributes":[{"key":"k","value":{"boolValue":"yes"}}]}}]}',
      /attributes\[0\]\.value\.boolValue: expected a boolean/,
    ],
  ])('when JSON has %s, then the error names the field', (_, text, message) => {
    expect(() => decodeTracesRequest(Buffer.from(text), 'json')).toThrow(OtlpDecodeError);
    expect(() => decodeTracesRequest(Buffer.from(text), 'json')).toThrow(message);
  });

  it('when values nest deeper than the AnyValue limit, then decoding refuses instead of recursing on', () => {
    let value: unknown = { stringValue: 'x' };
    for (let i = 0; i < 40; i++) value = { arrayValue: { values: [value] } };
    const text = JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'k', value }] } }] });
    expect(() => decodeTracesRequest(Buffer.from(text), 'json')).toThrow(/nested deeper than 32 levels/);
  });

  it('when protobuf bytes are truncated or garbage, then decoding fails with a clear error', () => {
    const bytes = ProtobufTraceSerializer.serializeRequest(officialSpans())!;
    expect(() => decodeTracesRequest(bytes.subarray(0, bytes.length - 7), 'protobuf')).toThrow(
      /not a valid ExportTraceServiceRequest protobuf message/,
    );
    expect(() => decodeTracesRequest(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]), 'protobuf')).toThrow(
      OtlpDecodeError,
    );
  });
});

describe('decodeLogsRequest', () => {
  it('when the official serializers encode the same log records as protobuf and as JSON, then both decode alike', () => {
    const records = officialLogs();
    const fromProto = decodeLogsRequest(ProtobufLogsSerializer.serializeRequest(records)!, 'protobuf');
    const fromJson = decodeLogsRequest(JsonLogsSerializer.serializeRequest(records)!, 'json');
    expect(fromJson).toEqual(fromProto);
    const record = fromProto.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!;
    expect(record).toMatchObject({
      severityNumber: 17,
      severityText: 'ERROR',
      body: 'boom',
      attributes: { 'exception.type': 'Error', nested: { deep: [1, 'x'] } },
      traceId: '',
      spanId: '',
    });
    expect(record.timeUnixNano).not.toBe('0');
  });
});

/**
 * The same request in both encodings, from one OTLP/JSON-shaped description: protobuf through our own
 * schema (`fromObject` turns hex IDs given as bytes and decimal int64 strings into wire values), so
 * requests the official SDKs never send (several oneof members, 64-bit extremes, missing parts) can
 * be compared between the protobuf reader and the JSON reader.
 */
function bothEncodings(json: Record<string, unknown>, type: typeof ExportTraceServiceRequest) {
  const hexToBytes = (_key: string, value: unknown) =>
    typeof value === 'string' && /^[0-9a-f]{16,32}$/.test(value) && /Id$/.test(_key)
      ? Buffer.from(value, 'hex')
      : value;
  const pbObject = JSON.parse(JSON.stringify(json), hexToBytes);
  return {
    protobuf: Buffer.from(type.encode(type.fromObject(pbObject)).finish()),
    json: Buffer.from(JSON.stringify(json)),
  };
}

const kv = (key: string, value: Record<string, unknown> | null) => (value ? { key, value } : { key });

describe('protobuf read straight from the decoded messages', () => {
  it('when a request holds 64-bit extremes, odd values and missing parts, then protobuf and JSON decode alike', () => {
    const request = {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '4c7445d219724ed69e4746053bf1d45f',
                  spanId: '0102030405060708',
                  parentSpanId: 'a1a2a3a4a5a6a7a8',
                  name: 'edges',
                  kind: 3,
                  startTimeUnixNano: '9007199254740993',
                  endTimeUnixNano: '18446744073709551615',
                  status: { code: 2, message: 'bad' },
                  attributes: [
                    kv('max', { intValue: '9223372036854775807' }),
                    kv('min', { intValue: '-9223372036854775808' }),
                    kv('safe', { intValue: '-9007199254740991' }),
                    kv('unsafe', { intValue: '9007199254740992' }),
                    kv('zero', { intValue: '0' }),
                    kv('double', { doubleValue: -0.5 }),
                    kv('bool', { boolValue: false }),
                    kv('empty string', { stringValue: '' }),
                    kv('bytes', { bytesValue: 'AAEC/w==' }),
                    kv('no value', null),
                    kv('empty value', {}),
                    kv('two members', { stringValue: 'first', intValue: '7' }),
                    kv('nested', {
                      arrayValue: { values: [{ kvlistValue: { values: [kv('a', { arrayValue: {} })] } }, {}] },
                    }),
                    kv('empty list', { kvlistValue: {} }),
                  ],
                  events: [
                    { name: 'no time', attributes: [kv('x', { stringValue: 'y' })] },
                    { timeUnixNano: '1700000000123456789', name: 'timed' },
                  ],
                },
                { name: 'no IDs, no times, no status' },
              ],
            },
            {},
          ],
        },
        { resource: { attributes: [kv('service.name', { stringValue: 'svc' })] } },
      ],
    };
    const bodies = bothEncodings(request, ExportTraceServiceRequest);
    const fromProto = decodeTracesRequest(bodies.protobuf, 'protobuf');
    expect(fromProto).toEqual(decodeTracesRequest(bodies.json, 'json'));
    const span = fromProto.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(span.startTimeUnixNano).toBe('9007199254740993');
    expect(span.endTimeUnixNano).toBe('18446744073709551615');
    expect(span.events.map((e) => e.timeUnixNano)).toEqual(['0', '1700000000123456789']);
    expect(span.attributes).toMatchObject({
      max: '9223372036854775807',
      min: '-9223372036854775808',
      safe: -9007199254740991,
      unsafe: '9007199254740992',
      'two members': 'first',
      'no value': null,
      nested: [{ a: [] }, null],
    });
    expect(fromProto.resourceSpans[0]!.scopeSpans[0]!.spans[1]).toMatchObject({
      traceId: '',
      spanId: '',
      startTimeUnixNano: '0',
      status: { code: 0, message: '' },
    });
    expect(fromProto.resourceSpans[0]!.scopeSpans[1]).toEqual({ scope: { name: '', version: '' }, spans: [] });
  });

  it('when log records carry bodies of every shape, then protobuf and JSON decode alike', () => {
    const request = {
      resourceLogs: [
        {
          scopeLogs: [
            {
              scope: { name: 'logs', version: '1' },
              logRecords: [
                {
                  timeUnixNano: '1700000000000000001',
                  observedTimeUnixNano: '18446744073709551615',
                  severityNumber: 17,
                  severityText: 'ERROR',
                  eventName: 'evt',
                  body: { kvlistValue: { values: [kv('n', { intValue: '12' })] } },
                  traceId: '4c7445d219724ed69e4746053bf1d45f',
                  spanId: '0102030405060708',
                },
                { body: {} },
                {},
              ],
            },
          ],
        },
      ],
    };
    const bodies = bothEncodings(request, ExportLogsServiceRequest);
    const fromProto = decodeLogsRequest(bodies.protobuf, 'protobuf');
    expect(fromProto).toEqual(decodeLogsRequest(bodies.json, 'json'));
    const [first, emptyBody, bare] = fromProto.resourceLogs[0]!.scopeLogs[0]!.logRecords;
    expect(first).toMatchObject({ observedTimeUnixNano: '18446744073709551615', body: { n: 12 }, eventName: 'evt' });
    expect(emptyBody!.body).toBeNull();
    expect(bare).toMatchObject({ body: null, timeUnixNano: '0', traceId: '', severityNumber: 0 });
  });

  it('when protobuf attributes are named __proto__, constructor or hasOwnProperty, then they are ordinary attributes', () => {
    const polluting = { kvlistValue: { values: [kv('polluted', { boolValue: true })] } };
    const request = {
      resourceSpans: [
        {
          resource: {
            attributes: [
              kv('__proto__', polluting),
              kv('constructor', { stringValue: 'c' }),
              kv('hasOwnProperty', { intValue: '1' }),
            ],
          },
          scopeSpans: [{ spans: [{ name: 's', attributes: [kv('__proto__', { stringValue: 'p' })] }] }],
        },
      ],
    };
    const decoded = decodeTracesRequest(bothEncodings(request, ExportTraceServiceRequest).protobuf, 'protobuf');
    const resource = decoded.resourceSpans[0]!.resource;
    expect(Object.keys(resource)).toEqual(['__proto__', 'constructor', 'hasOwnProperty']);
    expect(Object.getPrototypeOf(resource)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(resource, '__proto__')).toBe(true);
    expect(JSON.stringify(resource)).toBe('{"__proto__":{"polluted":true},"constructor":"c","hasOwnProperty":1}');
    const span = decoded.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(Object.getOwnPropertyDescriptor(span.attributes, '__proto__')?.value).toBe('p');
    expect(Object.getPrototypeOf(span.attributes)).toBe(Object.prototype);
  });

  it('when protobuf values nest absurdly deep, then decoding refuses with the same message as JSON', () => {
    // Arrays only: protobufjs itself refuses more than 100 nested messages (in encode and decode alike),
    // and a kvlist level costs three messages; 40 array levels pass protobufjs and must hit our limit.
    let value: Record<string, unknown> = { stringValue: 'x' };
    for (let i = 0; i < 40; i++) value = { arrayValue: { values: [value] } };
    const request = { resourceSpans: [{ scopeSpans: [{ spans: [{ attributes: [kv('deep', value)] }] }] }] };
    const bodies = bothEncodings(request, ExportTraceServiceRequest);
    const jsonError = (() => {
      try {
        decodeTracesRequest(bodies.json, 'json');
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(jsonError).toMatch(
      /^resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.attributes\[0\]\.value\..*nested deeper than 32 levels$/,
    );
    expect(() => decodeTracesRequest(bodies.protobuf, 'protobuf')).toThrow(OtlpDecodeError);
    expect(() => decodeTracesRequest(bodies.protobuf, 'protobuf')).toThrow(jsonError);
  });
});
