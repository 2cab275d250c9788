/** Timers driven by a FakeClock: advancing time fires what is due, in order, letting each callback's promises settle. */
import type { Timers } from '../../src/main/lib/timers';
import type { FakeClock } from './fake-clock';

export interface FakeTimers extends Timers {
  /** Moves the clock forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): Promise<void>;
  /** Timers set and not yet fired or cleared. */
  pending(): number;
}

export function createFakeTimers(clock: FakeClock): FakeTimers {
  let next = 1;
  const due = new Map<number, { at: number; fn: () => void }>();
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
  };
  return {
    setTimeout(fn, ms) {
      const id = next++;
      due.set(id, { at: clock.monotonicMs() + ms, fn });
      return id;
    },
    clearTimeout(handle) {
      due.delete(handle as number);
    },
    pending: () => due.size,
    async advance(ms) {
      const end = clock.monotonicMs() + ms;
      for (;;) {
        const [id, timer] = [...due.entries()].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
        if (id === undefined || timer === undefined || timer.at > end) break;
        clock.advance(Math.max(0, timer.at - clock.monotonicMs()));
        due.delete(id);
        timer.fn();
        await settle();
      }
      clock.advance(end - clock.monotonicMs());
      await settle();
    },
  };
}
