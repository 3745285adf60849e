import { describe, expect, it } from 'vitest';
import { noDeliveriesText } from './trigger-event.ts';

describe('noDeliveriesText', () => {
  it('says "not yet" only for an event that may still be delivered', () => {
    expect(noDeliveriesText({ type: 'event', status: 'queued', integration: 'hubspot' })).toMatch(/^No deliveries yet/);
    expect(noDeliveriesText({ type: 'event', status: 'processing_failure', integration: 'hubspot' })).toMatch(
      /^Nothing was delivered: processing failed/,
    );
  });

  it('explains subscriptions, failed or not, without "not yet"', () => {
    const failed = noDeliveriesText({ type: 'subscription', status: 'processing_failure', integration: 'salesforce' });
    expect(failed).toMatch(/webhook could not be created in salesforce/);
    const ok = noDeliveriesText({ type: 'subscription', status: 'success', integration: null });
    expect(ok).toMatch(/creates a webhook in the integration/);
    expect([failed, ok].some((t) => t.includes('not yet') || t.includes('yet.'))).toBe(false);
  });
});
