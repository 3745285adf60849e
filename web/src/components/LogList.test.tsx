// @vitest-environment jsdom

import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { logEntry } from '../model/log-entry.fixture.ts';
import { LogList } from './LogList.tsx';

afterEach(cleanup);

const providerError = logEntry({
  id: 'l2',
  spanId: '2222222222222222',
  timeUnixNano: '1795867200004000000',
  level: 'error',
  kind: 'provider_request',
  message: 'POST https://slack.com/api/chat.postMessage → 403',
  attributes: {
    'http.request.method': 'POST',
    'url.full': 'https://slack.com/api/chat.postMessage',
    'http.response.status_code': 403,
  },
  body: '{"ok":false,"error":"not_in_channel"}',
});

describe('LogList', () => {
  it('when an error log is expanded, then its HTTP exchange and pretty-printed response body are shown', () => {
    render(<LogList logs={[logEntry({}), providerError]} label="Logs" startUnixNano="1795867200000000000" />);
    const list = screen.getByRole('list', { name: 'Logs' });
    const toggle = within(list).getByRole('button', { name: /chat\.postMessage → 403/ });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByTestId('response-body')).toBeNull();

    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByTestId('response-body').textContent).toBe('{\n  "ok": false,\n  "error": "not_in_channel"\n}');
    const details = screen.getByRole('region', { name: /Details of POST/ });
    expect(
      within(details)
        .getAllByText('403')
        .some((el) => el.classList.contains('badge')),
    ).toBe(true);
    expect(within(details).getAllByText('https://slack.com/api/chat.postMessage').length).toBeGreaterThan(0);
    expect(within(details).getByRole('tree', { name: /Attributes of/ })).toBeTruthy();
  });

  it('when a non-error log is expanded, then there is no response body section', () => {
    render(<LogList logs={[logEntry({})]} label="Logs" />);
    fireEvent.click(screen.getByRole('button', { name: /load_credentials/ }));
    expect(screen.queryByTestId('response-body')).toBeNull();
    expect(screen.getByText('Context')).toBeTruthy();
  });

  it('when logs are listed, then each shows its level and its offset from the trace start', () => {
    render(<LogList logs={[logEntry({}), providerError]} label="Logs" startUnixNano="1795867200000000000" />);
    const items = within(screen.getByRole('list', { name: 'Logs' })).getAllByRole('listitem');
    expect(items.map((i) => i.getAttribute('data-level'))).toEqual(['info', 'error']);
    expect(within(items[1]!).getByText('+4 ms')).toBeTruthy();
    expect(within(items[1]!).getByText('ERROR')).toBeTruthy();
  });
});
