// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TraceSearch } from './filters.tsx';

afterEach(cleanup);

function paste(element: HTMLElement, text: string) {
  fireEvent.paste(element, { clipboardData: { getData: () => text } });
}

describe('TraceSearch', () => {
  it('when an error body with a requestId is pasted, then it jumps to the trace instead of filtering', () => {
    const onJump = vi.fn();
    const onFilter = vi.fn();
    render(<TraceSearch value={undefined} onFilter={onFilter} onJump={onJump} />);
    paste(
      screen.getByLabelText('Trace / request ID'),
      '{"code":"41070","meta":{"requestId":"4c7445d2-1972-4ed6-9e47-46053bf1d45f"}}',
    );
    expect(onJump).toHaveBeenCalledWith('4c7445d219724ed69e4746053bf1d45f');
    expect(onFilter).not.toHaveBeenCalled();
  });

  it('when text without an ID is pasted, then it is left to the browser', () => {
    const onJump = vi.fn();
    render(<TraceSearch value={undefined} onFilter={vi.fn()} onJump={onJump} />);
    paste(screen.getByLabelText('Trace / request ID'), 'hello');
    expect(onJump).not.toHaveBeenCalled();
  });

  it('when Enter is pressed on something that is not an ID, then the field explains what an ID looks like', () => {
    const onFilter = vi.fn();
    render(<TraceSearch value={undefined} onFilter={onFilter} onJump={vi.fn()} />);
    const input = screen.getByLabelText('Trace / request ID');
    fireEvent.change(input, { target: { value: 'abc' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onFilter).not.toHaveBeenCalled();
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toMatch(/32 hex characters/);
  });

  it('when Enter is pressed on a requestId, then the table is filtered by its trace ID', () => {
    const onFilter = vi.fn();
    render(<TraceSearch value={undefined} onFilter={onFilter} onJump={vi.fn()} />);
    const input = screen.getByLabelText('Trace / request ID');
    fireEvent.change(input, { target: { value: ' 4C7445D2-1972-4ED6-9E47-46053BF1D45F ' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onFilter).toHaveBeenCalledWith('4c7445d219724ed69e4746053bf1d45f');
  });
});
