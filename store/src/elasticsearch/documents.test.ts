import { toolCallFromFact } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import * as f from '../conformance/fixtures.ts';
import { logFromDocument, logToDocument, toolCallFromDocument, toolCallToDocument } from './documents.ts';

const at = Date.UTC(2026, 0, 1, 12);

describe('log and tool call documents', () => {
  it('when a log goes to a document and back, then it is unchanged and the document has @timestamp', () => {
    const log = f.log({ traceId: f.newTraceId(), at });
    const doc = logToDocument('prj_a', log);
    expect(doc['@timestamp']).toBe(log.timestamp);
    expect(logFromDocument(doc)).toEqual({ ...log, projectId: 'prj_a' });
  });

  it('when a tool call goes to a document and back, then it is unchanged', () => {
    const call = f.toolCall({ at });
    expect(toolCallFromDocument(toolCallToDocument('prj_a', call))).toEqual(toolCallFromFact('prj_a', call));
  });
});
