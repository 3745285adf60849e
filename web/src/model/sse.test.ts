import { describe, expect, it } from 'vitest';
import { createSseParser, type SseMessage } from './sse.ts';

function collect(chunks: string[]): SseMessage[] {
  const out: SseMessage[] = [];
  const parser = createSseParser((m) => out.push(m));
  for (const c of chunks) parser.push(c);
  return out;
}

describe('SSE parser', () => {
  it('when events arrive split across chunks, then each is dispatched once, whole', () => {
    const messages = collect([
      'event: tool-call\nda',
      'ta: {"a":1}\n',
      '\n: keep-alive\n\nevent: tool-call\ndata: {"a":2}\n\n',
    ]);
    expect(messages).toEqual([
      { event: 'tool-call', data: '{"a":1}', id: null },
      { event: 'tool-call', data: '{"a":2}', id: null },
    ]);
  });

  it('when lines end in CRLF split between chunks, then no empty event is produced', () => {
    expect(collect(['event: x\r', '\ndata: 1\r\n\r', '\n'])).toEqual([{ event: 'x', data: '1', id: null }]);
  });

  it('when an event has several data lines and an id, then data joins with newlines', () => {
    expect(collect(['id: 7\ndata: a\ndata: b\n\n'])).toEqual([{ event: 'message', data: 'a\nb', id: '7' }]);
  });

  it('when an event is not yet terminated by a blank line, then it is not dispatched', () => {
    expect(collect(['event: x\ndata: 1\n'])).toEqual([]);
  });
});
