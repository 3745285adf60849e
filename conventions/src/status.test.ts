import { describe, expect, it } from 'vitest';
import type { DeliveryStatus } from './records.ts';
import {
  DELIVERY_STATUS_LABELS,
  deliveryStatus,
  isHttpSuccess,
  TRIGGER_EVENT_STATUS_LABELS,
  triggerEventStatus,
} from './status.ts';

const ok = { succeeded: true, final: false };
const retry = { succeeded: false, final: false };
const lastFail = { succeeded: false, final: true };

describe('deliveryStatus', () => {
  it('is pending with no attempts or only retried failures', () => {
    expect(deliveryStatus([])).toBe('pending');
    expect(deliveryStatus([retry])).toBe('pending');
    expect(deliveryStatus([retry, retry])).toBe('pending');
  });

  it('is failed when the final attempt failed', () => {
    expect(deliveryStatus([retry, lastFail])).toBe('failed');
    expect(deliveryStatus([lastFail])).toBe('failed');
  });

  it('is succeeded when any attempt got 2xx, whatever else arrived', () => {
    expect(deliveryStatus([ok])).toBe('succeeded');
    expect(deliveryStatus([retry, { succeeded: true, final: true }])).toBe('succeeded');
    expect(deliveryStatus([lastFail, ok])).toBe('succeeded');
  });

  it('does not depend on the order attempts arrive in', () => {
    expect(deliveryStatus([lastFail, retry])).toBe(deliveryStatus([retry, lastFail]));
  });
});

describe('triggerEventStatus', () => {
  const event = (deliveries: DeliveryStatus[], extra: Partial<Parameters<typeof triggerEventStatus>[0]> = {}) =>
    triggerEventStatus({ type: 'event', processingFailed: false, rootSeen: true, deliveries, ...extra });

  it('is queued while received with no or pending deliveries', () => {
    expect(event([])).toBe('queued');
    expect(event(['pending'])).toBe('queued');
    expect(event(['succeeded', 'pending'])).toBe('queued');
  });

  it('is success when every delivery succeeded', () => {
    expect(event(['succeeded'])).toBe('success');
    expect(event(['succeeded', 'succeeded'])).toBe('success');
  });

  it('is delivery_failures when any delivery failed, ahead of success and pending', () => {
    expect(event(['failed'])).toBe('delivery_failures');
    expect(event(['succeeded', 'failed', 'pending'])).toBe('delivery_failures');
  });

  it('is processing_failure first of all', () => {
    expect(event([], { processingFailed: true })).toBe('processing_failure');
    expect(event(['failed', 'succeeded'], { processingFailed: true })).toBe('processing_failure');
  });

  it('subscriptions: success once the root completed, queued before, failures win', () => {
    const sub = (rootSeen: boolean, processingFailed = false, deliveries: DeliveryStatus[] = []) =>
      triggerEventStatus({ type: 'subscription', processingFailed, rootSeen, deliveries });
    expect(sub(false)).toBe('queued');
    expect(sub(true)).toBe('success');
    expect(sub(true, true)).toBe('processing_failure');
    expect(sub(true, false, ['failed'])).toBe('delivery_failures');
  });
});

describe('labels and HTTP success', () => {
  it('labels every status for the UI', () => {
    expect(TRIGGER_EVENT_STATUS_LABELS).toEqual({
      processing_failure: 'Processing Failure',
      delivery_failures: 'Delivery Failures',
      success: 'Success',
      queued: 'Queued',
    });
    expect(Object.keys(DELIVERY_STATUS_LABELS).sort()).toEqual(['failed', 'pending', 'succeeded']);
  });

  it('counts only 2xx as success', () => {
    expect([199, 200, 204, 299, 300, 404, 500].map(isHttpSuccess)).toEqual([
      false,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    expect(isHttpSuccess(null)).toBe(false);
    expect(isHttpSuccess(undefined)).toBe(false);
  });
});
