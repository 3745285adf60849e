// @vitest-environment jsdom

import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { SpanNode } from '@tooltrace/conventions';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Waterfall } from './Waterfall.tsx';

afterEach(cleanup);

const child: SpanNode = {
  spanId: '2222222222222222',
  parentSpanId: '1111111111111111',
  name: 'POST slack.com',
  kind: 'provider_request',
  level: 'error',
  timestamp: '2026-11-28T12:00:00.050Z',
  timeUnixNano: '1795867200050000000',
  durationMs: 100,
  children: [],
};
const root: SpanNode = {
  ...child,
  spanId: '1111111111111111',
  parentSpanId: null,
  name: 'run_tool SLACK_SEND_MESSAGE',
  kind: 'tool_call',
  timeUnixNano: '1795867200000000000',
  durationMs: 200,
  children: [child],
};

describe('Waterfall', () => {
  it('when a span tree is drawn, then each span is a row whose bar sits at its offset and width', () => {
    render(<Waterfall spans={[root]} selected={null} onSelect={vi.fn()} />);
    const table = screen.getByRole('table', { name: 'Span waterfall' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('aria-label'))).toEqual([
      'run_tool SLACK_SEND_MESSAGE, 200 ms, error',
      'POST slack.com, 100 ms, error',
    ]);
    const bar = rows[1]!.querySelector<HTMLElement>('[data-testid="span-bar"]')!;
    expect(bar.style.left).toBe('25%');
    expect(bar.style.width).toBe('max(50%, 2px)');
  });

  it('when a row is clicked or activated with Enter, then its span is selected', () => {
    const onSelect = vi.fn();
    render(<Waterfall spans={[root]} selected={null} onSelect={onSelect} />);
    const row = screen.getByRole('row', { name: /POST slack\.com/ });
    fireEvent.click(row);
    fireEvent.keyDown(row, { key: 'Enter' });
    expect(onSelect.mock.calls).toEqual([['2222222222222222'], ['2222222222222222']]);
  });

  it('when the API flags spans, then the flagged rows carry a warning badge and say why, and duplicates both show', () => {
    const twin: SpanNode = { ...child, name: 'POST slack.com (again)', durationMs: -5 };
    render(
      <Waterfall
        spans={[{ ...root, children: [child, twin] }]}
        warnings={[
          { code: 'duplicate_span_id', spanId: child.spanId, message: 'span ID 2222222222222222 is used twice' },
        ]}
        messages={new Map([[root.spanId, 'run_tool SLACK_SEND_MESSAGE → error']])}
        selected={null}
        onSelect={vi.fn()}
      />,
    );
    const rows = within(screen.getByRole('table')).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('aria-label'))).toEqual([
      'run_tool SLACK_SEND_MESSAGE, 200 ms, error',
      'POST slack.com, 100 ms, error, warning: span ID 2222222222222222 is used twice',
      'POST slack.com (again), −5 ms, error, warning: span ID 2222222222222222 is used twice',
    ]);
    expect(rows.map((r) => r.querySelectorAll('.badge-warning').length)).toEqual([0, 1, 1]);
    expect(rows[0]!.querySelector('[data-testid="span-name"]')!.getAttribute('title')).toBe(
      'run_tool SLACK_SEND_MESSAGE → error',
    );
  });
});
