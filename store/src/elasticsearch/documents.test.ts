import { describe, expect, it } from 'vitest';
import * as f from '../conformance/fixtures.ts';
import { logFromDocument, logToDocument, toolCallFromDocument, toolCallToDocument } from './documents.ts';

const at = Date.UTC(2026, 0, 1, 12);

describe('log and tool call documents', () => {
  it('when a log goes to a document and back, then it is unchanged and the document has @timestamp in epoch ms', () => {
    const log = { ...f.log({ traceId: f.newTraceId(), at }), subMsNanos: 123_456 };
    const doc = logToDocument('prj_a', log);
    expect(doc['@timestamp']).toBe(at);
    expect(logFromDocument(doc)).toEqual({ ...log, projectId: 'prj_a' });
  });

  it('when a log document was written before times were numbers, then it reads back with the same time', () => {
    const { timeMs: _ms, subMsNanos: _nanos, ...rest } = f.log({ traceId: f.newTraceId(), at });
    const iso = new Date(at).toISOString();
    const old = { ...rest, projectId: 'prj_a', '@timestamp': iso, timestamp: iso, timeUnixNano: `${at}000042` };
    expect(logFromDocument(old)).toEqual({ ...rest, projectId: 'prj_a', timeMs: at, subMsNanos: 42 });
  });

  it('when a tool call goes to a document and back, then it is unchanged', () => {
    const call = f.toolCall({ at });
    expect(toolCallFromDocument(toolCallToDocument('prj_a', call))).toEqual({ ...call, projectId: 'prj_a' });
  });
});
