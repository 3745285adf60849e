/**
 * The demo's time shift inside the real SDK (`init` with the demo's extra
 * processors), exporting to the SDK's in-memory exporters instead of a
 * collector so each exported timestamp can be compared exactly.
 */
import { context, ROOT_CONTEXT, type Span, trace } from '@opentelemetry/api';
import { ExportResultCode, hrTimeToMilliseconds } from '@opentelemetry/core';
import { InMemoryLogRecordExporter, type ReadableLogRecord, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { init, logger, type TooltraceHandle } from '@tooltrace/instrumentation';
import { afterEach, describe, expect, it } from 'vitest';
import { type ExportFailure, TimeShift } from './time-shift.ts';

const HOUR = 3600;

let handle: TooltraceHandle | null = null;
afterEach(async () => {
  await handle?.shutdown();
  handle = null;
});

function start(shift: TimeShift, onFailure: ExportFailure = () => {}) {
  const spans = new InMemorySpanExporter();
  const logs = new InMemoryLogRecordExporter();
  handle = init({
    serviceName: 'time-shift-test',
    autoInstrumentFetch: false,
    exportToOtlp: false,
    spanProcessors: [shift.binder, new SimpleSpanProcessor(shift.spanExporter(spans, onFailure))],
    logRecordProcessors: [
      shift.logBinder,
      new SimpleLogRecordProcessor({ exporter: shift.logExporter(logs, onFailure) }),
    ],
  });
  return { spans, logs, tracer: trace.getTracer('time-shift-test') };
}

const startMs = (span: ReadableSpan) => hrTimeToMilliseconds(span.startTime);
const logMs = (record: ReadableLogRecord) => hrTimeToMilliseconds(record.hrTime);

describe('TimeShift', () => {
  it('when a trace continues after the offset changed, then its later spans and logs keep the offset it started with', async () => {
    const shift = new TimeShift();
    const { spans, logs, tracer } = start(shift);

    shift.shiftNewTracesBy(HOUR);
    const root = tracer.startSpan('old root');
    const rootContext = trace.setSpan(ROOT_CONTEXT, root);
    root.end();

    shift.shiftNewTracesBy(0);
    // e.g. a delivery retry continuing the event's trace from its saved context, after the next step began
    const child = tracer.startSpan('late child', {}, rootContext);
    child.addEvent('retry scheduled');
    context.with(trace.setSpan(rootContext, child), () => logger.info('inside the old trace'));
    child.end();
    const fresh: Span = tracer.startSpan('new root');
    context.with(trace.setSpan(ROOT_CONTEXT, fresh), () => logger.info('inside the new trace'));
    fresh.end();
    await handle!.forceFlush();

    const byName = new Map(spans.getFinishedSpans().map((span) => [span.name, span]));
    const lateChild = byName.get('late child')!;
    const newRoot = byName.get('new root')!;
    // Started back to back in real time, so an hour (and a little) apart once shifted.
    const apart = startMs(newRoot) - startMs(lateChild);
    expect(apart).toBeGreaterThanOrEqual(HOUR * 1000);
    expect(apart).toBeLessThan((HOUR + 60) * 1000);
    expect(hrTimeToMilliseconds(lateChild.events[0]!.time)).toBeGreaterThanOrEqual(startMs(lateChild));
    expect(hrTimeToMilliseconds(lateChild.events[0]!.time)).toBeLessThanOrEqual(
      hrTimeToMilliseconds(lateChild.endTime),
    );
    expect(lateChild.spanContext().traceId).toBe(root.spanContext().traceId);

    const byBody = new Map(logs.getFinishedLogRecords().map((record) => [record.body, record]));
    const oldLog = byBody.get('inside the old trace')!;
    const newLog = byBody.get('inside the new trace')!;
    expect(logMs(oldLog)).toBeGreaterThanOrEqual(startMs(lateChild));
    expect(logMs(oldLog)).toBeLessThanOrEqual(hrTimeToMilliseconds(lateChild.endTime));
    expect(hrTimeToMilliseconds(oldLog.hrTimeObserved)).toBeLessThan(startMs(newRoot) - (HOUR - 60) * 1000);
    expect(logMs(newLog)).toBeGreaterThanOrEqual(startMs(newRoot));
  });

  it('when a log is outside any trace, then it moves with the step that emitted it', async () => {
    const shift = new TimeShift();
    const { logs, tracer } = start(shift);
    shift.shiftNewTracesBy(2 * HOUR);
    context.with(ROOT_CONTEXT, () => logger.warn('no trace here'));
    shift.shiftNewTracesBy(0);
    const now = tracer.startSpan('now');
    now.end();
    await handle!.forceFlush();

    const [record] = logs.getFinishedLogRecords();
    expect(record?.spanContext).toBeUndefined();
    expect(logMs(record!)).toBeLessThan(Date.now() - (2 * HOUR - 60) * 1000);
  });

  it("when init's own guards run, then the shifted spans are still redacted", async () => {
    const shift = new TimeShift();
    const { spans, tracer } = start(shift);
    shift.shiftNewTracesBy(HOUR);
    tracer.startSpan('with a secret', { attributes: { authorization: 'Bearer s3cret' } }).end();
    await handle!.forceFlush();

    const [span] = spans.getFinishedSpans();
    expect(span?.attributes.authorization).not.toBe('Bearer s3cret');
    expect(startMs(span!)).toBeLessThan(Date.now() - (HOUR - 60) * 1000);
  });

  it('when the inner exporter fails, then the failure is reported with its signal', async () => {
    const failures: Array<[string, string]> = [];
    const shift = new TimeShift();
    const failing = new InMemorySpanExporter();
    failing.export = (_spans, done) => done({ code: ExportResultCode.FAILED, error: new Error('collector said 401') });
    const exporter = shift.spanExporter(failing, (error, signal) => failures.push([error.message, signal]));
    const result = await new Promise((resolve) => exporter.export([], resolve));

    expect(result).toMatchObject({ code: ExportResultCode.FAILED });
    expect(failures).toEqual([['collector said 401', 'traces']]);
  });

  it('when asked for a negative or fractional offset, then it refuses naming the value', () => {
    expect(() => new TimeShift().shiftNewTracesBy(-1)).toThrow(/-1/);
    expect(() => new TimeShift().shiftNewTracesBy(1.5)).toThrow(/1\.5/);
  });
});
