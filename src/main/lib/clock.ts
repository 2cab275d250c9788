/** Time is a dependency: services take a `Clock` so tests can drive wall-clock and monotonic time by hand. */

export interface Clock {
  /** Wall-clock time: what the screen and HotelMate show. It can jump (NTP, a manual change). */
  now(): Date;
  /** Monotonic milliseconds (performance.now-like): never jumps, so timers and retries use it. */
  monotonicMs(): number;
}

export const systemClock: Clock = {
  now: () => new Date(),
  monotonicMs: () => performance.now(),
};
