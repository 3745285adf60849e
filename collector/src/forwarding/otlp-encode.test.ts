import { describe, expect, it } from 'vitest';
import { decodeLogsRequest, decodeTracesRequest } from '../otlp/decode.ts';
import type { LogsRequest, TracesRequest } from '../otlp/types.ts';
import { encodeOtlp } from './otlp-encode.ts';

const traces: TracesRequest = {
  resourceSpans: [
    {
      resource: { 'service.name': 'svc', 'deployment.environment': 'prod' },
      scopeSpans: [
        {
          scope: { name: 'tooltrace', version: '1.0.0' },
          spans: [
            {
              ref: 'resourceSpans[0].scopeSpans[0].spans[0]',
              traceId: '4c7445d219724ed69e4746053bf1d45f',
              spanId: '0102030405060708',
              parentSpanId: '',
              name: 'run_tool SLACK_SEND_MESSAGE',
              kind: 2,
              startTimeUnixNano: '1764500000123456789',
              endTimeUnixNano: '1764500000223456789',
              traceState: 'vendor=a',
              flags: 0x301,
              attributes: {
                'tooltrace.kind': 'tool_call',
                'http.response.status_code': 403,
                ratio: 0.5,
                ok: false,
                nested: { a: [1, 'two', null] },
              },
              events: [
                {
                  timeUnixNano: '1764500000200000000',
                  name: 'exception',
                  attributes: { 'exception.type': 'E' },
                  droppedAttributesCount: 1,
                },
              ],
              links: [
                {
                  traceId: '0af7651916cd43dd8448eb211c80319c',
                  spanId: 'b7ad6b7169203331',
                  traceState: '',
                  attributes: { 'link.reason': 'retry of' },
                  droppedAttributesCount: 2,
                  flags: 0x101,
                },
              ],
              status: { code: 2, message: 'forbidden' },
              droppedAttributesCount: 3,
              droppedEventsCount: 4,
              droppedLinksCount: 5,
            },
          ],
        },
      ],
    },
  ],
};

const logs: LogsRequest = {
  resourceLogs: [
    {
      resource: { 'service.name': 'svc' },
      scopeLogs: [
        {
          scope: { name: 's', version: '' },
          logRecords: [
            {
              ref: 'resourceLogs[0].scopeLogs[0].logRecords[0]',
              timeUnixNano: '1764500000123456789',
              observedTimeUnixNano: '1764500000123456790',
              severityNumber: 17,
              severityText: 'ERROR',
              eventName: '',
              body: 'boom',
              attributes: { 'exception.message': 'boom' },
              droppedAttributesCount: 6,
              flags: 1,
              traceId: '4c7445d219724ed69e4746053bf1d45f',
              spanId: '0102030405060708',
            },
          ],
        },
      ],
    },
  ],
};

/** `ref` is where an item sat in the request: identical for a round trip of the same shape. */
describe('encodeOtlp', () => {
  it.each(['protobuf', 'json'] as const)('round-trips traces through our own decoder (%s)', (encoding) => {
    const body = encodeOtlp({ signal: 'traces', request: traces }, encoding);
    expect(decodeTracesRequest(body, encoding)).toEqual(traces);
  });

  it.each(['protobuf', 'json'] as const)('round-trips logs through our own decoder (%s)', (encoding) => {
    const body = encodeOtlp({ signal: 'logs', request: logs }, encoding);
    expect(decodeLogsRequest(body, encoding)).toEqual(logs);
  });

  it.each(['0', '4294967295', '4294967296', '9223372036854775808', '18446744073709551615'])(
    'round-trips the uint64 time %s exactly in protobuf',
    (nanos) => {
      const span = traces.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
      const request = structuredClone(traces);
      request.resourceSpans[0]!.scopeSpans[0]!.spans[0] = { ...span, startTimeUnixNano: nanos, endTimeUnixNano: nanos };
      const decoded = decodeTracesRequest(encodeOtlp({ signal: 'traces', request }, 'protobuf'), 'protobuf');
      expect(decoded.resourceSpans[0]?.scopeSpans[0]?.spans[0]).toMatchObject({
        startTimeUnixNano: nanos,
        endTimeUnixNano: nanos,
      });
    },
  );

  it('writes OTLP/JSON with hex IDs and camelCase fields', () => {
    const json = JSON.parse(encodeOtlp({ signal: 'traces', request: traces }, 'json').toString());
    const span = json.resourceSpans[0].scopeSpans[0].spans[0];
    expect(span.traceId).toBe('4c7445d219724ed69e4746053bf1d45f');
    expect(span.startTimeUnixNano).toBe('1764500000123456789');
    expect(span.attributes).toContainEqual({ key: 'http.response.status_code', value: { intValue: 403 } });
  });
});
