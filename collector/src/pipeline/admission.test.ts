import { describe, expect, it } from 'vitest';
import { createAdmission } from './admission.ts';
import type { WriteQueueState } from './write-queue.ts';

describe('createAdmission', () => {
  it('when it asks the write queue, then it says how many requests it admitted that are not answered yet', () => {
    const asked: number[] = [];
    const admission = createAdmission({
      state: (admitted?: number): WriteQueueState => {
        asked.push(admitted ?? -1);
        return (admitted ?? 0) >= 2 ? { kind: 'full', retryAfterSeconds: 3 } : { kind: 'open' };
      },
    });
    const first = admission.admit(100);
    const second = admission.admit(100);
    expect([first.kind, second.kind]).toEqual(['admitted', 'admitted']);
    expect(admission.admit(100)).toMatchObject({ kind: 'overloaded', reason: 'writeQueueFull', retryAfterSeconds: 3 });
    if (first.kind === 'admitted') first.reservation.release();
    expect(admission.admit(100).kind).toBe('admitted');
    expect(asked).toEqual([0, 1, 2, 1]);
    expect(admission.stats().refused.writeQueueFull).toBe(1);
  });
});
