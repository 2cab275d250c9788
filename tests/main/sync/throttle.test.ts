/** The board/counter throttle: the first update after a quiet spell at once, a burst coalesced into one trailing update. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createThrottle } from '../../../src/main/sync/throttle';
import { createFakeClock } from '../../support/fake-clock';

beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
afterEach(() => vi.useRealTimers());

describe('createThrottle', () => {
  it('runs at once after a quiet spell, coalesces a burst into one run at the end of the interval', () => {
    const clock = createFakeClock();
    const runs: number[] = [];
    const throttle = createThrottle({ intervalMs: 250, clock, run: () => runs.push(clock.monotonicMs()) });
    const tick = (ms: number): void => {
      clock.advance(ms);
      vi.advanceTimersByTime(ms);
    };
    throttle.request();
    expect(runs).toEqual([1_000]);
    for (let i = 0; i < 10; i += 1) {
      tick(20);
      throttle.request();
    }
    expect(runs).toHaveLength(1);
    tick(50);
    expect(runs).toEqual([1_000, 1_250]);
    tick(1_000);
    throttle.request();
    expect(runs).toEqual([1_000, 1_250, 2_250]);
  });

  it('cancel() drops the pending trailing run', () => {
    const clock = createFakeClock();
    let runs = 0;
    const throttle = createThrottle({ intervalMs: 250, clock, run: () => (runs += 1) });
    throttle.request();
    throttle.request();
    throttle.cancel();
    clock.advance(1_000);
    vi.advanceTimersByTime(1_000);
    expect(runs).toBe(1);
  });
});
