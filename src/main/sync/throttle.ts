/** Runs an update at most once per interval: the first request after a quiet spell at once, later ones coalesced into one trailing run. */
import type { Clock } from '../lib/clock';

export interface Throttle {
  /** Asks for a run: now if the last one is at least `intervalMs` ago, else once at the end of the interval. */
  request(): void;
  /** Drops a pending trailing run; later requests still work. */
  cancel(): void;
}

/** Creates the throttle; time is measured on the clock's monotonic time. */
export function createThrottle(options: { intervalMs: number; clock: Clock; run: () => void }): Throttle {
  const { intervalMs, clock, run } = options;
  let timer: NodeJS.Timeout | null = null;
  let lastRunAt = Number.NEGATIVE_INFINITY;
  const fire = (): void => {
    timer = null;
    lastRunAt = clock.monotonicMs();
    run();
  };
  return {
    request() {
      if (timer) return;
      const wait = lastRunAt + intervalMs - clock.monotonicMs();
      if (wait <= 0) {
        fire();
        return;
      }
      timer = setTimeout(fire, wait);
      timer.unref?.();
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
