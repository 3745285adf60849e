/** What the decoders refuse or cut before the mapper sees a request: JSON nesting and attributes per item. */
import { describe, expect, it } from 'vitest';
import { decodeLogsRequest, decodeTracesRequest } from './decode.ts';
import { ExportLogsServiceRequest, ExportTraceServiceRequest } from './proto-schema.ts';
import { MAX_ATTRIBUTES } from './types.ts';

describe('JSON nesting', () => {
  it('when a JSON body nests brackets deeper than any valid request, then it is refused before JSON.parse', () => {
    const deep = `{"resourceSpans":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`;
    expect(() => decodeTracesRequest(Buffer.from(deep), 'json')).toThrow(
      /request body nests JSON deeper than 144 levels \(at byte 160\)/,
    );
    // Brackets inside strings (escaped quotes included) are text, not nesting.
    const name = `\\"${'['.repeat(10_000)}`;
    const text = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"${name}"}]}]}]}`;
    const decoded = decodeTracesRequest(Buffer.from(text), 'json');
    expect(decoded.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.name).toBe(`\\"${'['.repeat(10_000)}`.slice(1));
  });
});

const many = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: { intValue: String(i) } }));
const traceId = '4c7445d219724ed69e4746053bf1d45f';

describe('attributes per span, event and log record', () => {
  it('when a span and its event carry more than the limit, then both encodings keep the first 1000 and count the rest', () => {
    const json = {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId,
                  spanId: '0102030405060708',
                  name: 'wide',
                  attributes: many(1500),
                  events: [{ name: 'e', attributes: many(MAX_ATTRIBUTES) }],
                },
              ],
            },
          ],
        },
      ],
    };
    const pbObject = JSON.parse(JSON.stringify(json), (key, value) =>
      key === 'traceId' || key === 'spanId' ? Buffer.from(value, 'hex') : value,
    );
    const protobuf = Buffer.from(
      ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(pbObject)).finish(),
    );
    for (const decoded of [
      decodeTracesRequest(Buffer.from(JSON.stringify(json)), 'json'),
      decodeTracesRequest(protobuf, 'protobuf'),
    ]) {
      const span = decoded.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
      expect(Object.keys(span.attributes)).toHaveLength(MAX_ATTRIBUTES);
      expect(span.attributes.k999).toBe(999);
      expect(span.attributes.k1000).toBeUndefined();
      expect(span.droppedAttributes).toBe(500);
      expect(span.events[0]!.droppedAttributes).toBeUndefined();
    }
  });

  it('when a log record carries more than the limit, then the rest is counted (protobuf and JSON)', () => {
    const json = { resourceLogs: [{ scopeLogs: [{ logRecords: [{ traceId, attributes: many(1001) }] }] }] };
    const pbObject = JSON.parse(JSON.stringify(json), (key, value) =>
      key === 'traceId' ? Buffer.from(value, 'hex') : value,
    );
    const protobuf = Buffer.from(
      ExportLogsServiceRequest.encode(ExportLogsServiceRequest.fromObject(pbObject)).finish(),
    );
    for (const decoded of [
      decodeLogsRequest(Buffer.from(JSON.stringify(json)), 'json'),
      decodeLogsRequest(protobuf, 'protobuf'),
    ]) {
      const record = decoded.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!;
      expect(record.droppedAttributes).toBe(1);
      expect(Object.keys(record.attributes)).toHaveLength(MAX_ATTRIBUTES);
    }
  });
});
