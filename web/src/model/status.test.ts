import { TRIGGER_EVENT_STATUS_LABELS } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import {
  deliveryStatusView,
  httpStatusTone,
  logLevelView,
  statusOptions,
  statusSeries,
  toolCallStatusView,
  triggerEventStatusView,
} from './status.ts';

describe('status views', () => {
  it('when a trigger status is shown, then its label is the documented one', () => {
    expect(triggerEventStatusView('delivery_failures')).toEqual({ label: 'Delivery Failures', tone: 'warning' });
    expect(triggerEventStatusView('processing_failure')).toEqual({ label: 'Processing Failure', tone: 'danger' });
    expect(triggerEventStatusView('queued').label).toBe('Queued');
    expect(
      statusOptions('triggers')
        .map((o) => o.label)
        .sort(),
    ).toEqual(Object.values(TRIGGER_EVENT_STATUS_LABELS).sort());
  });

  it('when tool, delivery and level statuses are shown, then failures are red and successes green', () => {
    expect(toolCallStatusView('error')).toEqual({ label: 'Error', tone: 'danger' });
    expect(toolCallStatusView('success').tone).toBe('success');
    expect(deliveryStatusView('failed')).toEqual({ label: 'Failed', tone: 'danger' });
    expect(logLevelView('warn')).toEqual({ label: 'WARN', tone: 'warning' });
  });

  it('when HTTP statuses are toned, then 5xx is danger, 4xx warning, 2xx success, missing neutral', () => {
    expect([503, 404, 201, 302, null].map(httpStatusTone)).toEqual(['danger', 'warning', 'success', 'info', 'neutral']);
  });

  it('when series are stacked, then successes are at the bottom and each has a colour', () => {
    expect(statusSeries('tools').map((s) => s.key)).toEqual(['success', 'error']);
    const triggers = statusSeries('triggers');
    expect(triggers[0]?.key).toBe('success');
    expect(triggers.every((s) => /^var\(--[a-z]+\)$/.test(s.colour))).toBe(true);
  });
});
