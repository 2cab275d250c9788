/** A hand-driven Clock for policy tests: wall time and monotonic time advance together on demand. */
import type { Clock } from '../../src/main/lib/clock';

export interface FakeClock extends Clock {
  advance(ms: number): void;
  /** Moves only the wall clock (an NTP correction or a dead CMOS battery). */
  setWall(date: Date): void;
}

export function createFakeClock(start = new Date('2026-03-01T09:00:00.000Z')): FakeClock {
  let wall = start.getTime();
  let mono = 1_000;
  return {
    now: () => new Date(wall),
    monotonicMs: () => mono,
    advance(ms) {
      wall += ms;
      mono += ms;
    },
    setWall(date) {
      wall = date.getTime();
    },
  };
}
