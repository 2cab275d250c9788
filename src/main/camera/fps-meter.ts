/** The camera's frame rate over a sliding window, as the status and diagnostics show it. */

/** Counts frame times (monotonic ms) and reports frames per second over the last `windowMs`. */
export class FpsMeter {
  private times: number[] = [];

  constructor(
    readonly windowMs: number,
    /** Most frame times kept, whatever the rate. */
    private readonly capacity = 600,
  ) {}

  /** Records a frame at `nowMs`. */
  tick(nowMs: number): void {
    this.times.push(nowMs);
    if (this.times.length > this.capacity) this.times.splice(0, this.times.length - this.capacity);
  }

  /** Frames per second over the window ending at `nowMs`, one decimal; 0 with fewer than two frames in it. */
  fps(nowMs: number): number {
    this.times = this.times.filter((t) => nowMs - t <= this.windowMs);
    if (this.times.length < 2) return 0;
    const span = (this.times[this.times.length - 1]! - this.times[0]!) / 1000;
    return span > 0 ? Math.round(((this.times.length - 1) / span) * 10) / 10 : 0;
  }

  reset(): void {
    this.times = [];
  }
}
