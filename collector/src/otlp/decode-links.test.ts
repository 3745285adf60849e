/** Span links, flags and dropped counts from the official serializers, in both encodings. */
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { decodeTracesRequest } from './decode.ts';

const resource = resourceFromAttributes({ 'service.name': 'svc' });

describe('decodeTracesRequest: links', () => {
  it('when a span made with the OTel API has links and went past its limits, then both encodings keep links, flags and dropped counts', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource,
      spanProcessors: [new SimpleSpanProcessor(exporter)],
      spanLimits: { attributeCountLimit: 2, eventCountLimit: 1, linkCountLimit: 1 },
    });
    const linked = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
      isRemote: true,
    };
    const other = { traceId: '4c7445d219724ed69e4746053bf1d45f', spanId: '0102030405060708', traceFlags: 0 };
    const span = provider.getTracer('t').startSpan('batch', {
      attributes: { a: 1, b: 2, c: 3 },
      // Past linkCountLimit the SDK keeps the newest links.
      links: [{ context: other }, { context: linked, attributes: { 'link.reason': 'retry of' } }],
    });
    span.addEvent('one');
    span.addEvent('two');
    span.end();
    const spans = exporter.getFinishedSpans();
    const fromProto = decodeTracesRequest(ProtobufTraceSerializer.serializeRequest(spans)!, 'protobuf');
    const fromJson = decodeTracesRequest(JsonTraceSerializer.serializeRequest(spans)!, 'json');
    expect(fromJson).toEqual(fromProto);
    const decoded = fromProto.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(decoded.links).toEqual([
      {
        traceId: linked.traceId,
        spanId: linked.spanId,
        traceState: '',
        attributes: { 'link.reason': 'retry of' },
        droppedAttributesCount: 0,
        // Sampled (0x01), plus "has is-remote" (0x100) and "is remote" (0x200).
        flags: 0x301,
      },
    ]);
    // A root span: the sampled bit and "has is-remote" (its parent is not remote).
    expect(decoded.flags).toBe(0x101);
    expect(decoded.droppedAttributesCount).toBe(1);
    expect(decoded.droppedEventsCount).toBe(1);
    expect(decoded.droppedLinksCount).toBe(1);
  });
});
