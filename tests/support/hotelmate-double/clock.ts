/** The HotelMate double's wall clock: the system clock by default, or one a test sets and advances. */

/** Wall-clock source of the double; tests move it to cross UTC midnight. */
export interface DoubleClock {
  now(): Date;
}

/** A clock tests can set and advance. */
export interface ManualClock extends DoubleClock {
  set(time: Date | string): void;
  advance(ms: number): void;
}

export const systemDoubleClock: DoubleClock = { now: () => new Date() };

/** Makes a settable clock starting at `start`. */
export function createManualClock(start: Date | string): ManualClock {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    set: (time) => {
      t = new Date(time).getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}
