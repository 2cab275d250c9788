/** The frame rate the camera status shows: measured over a sliding window. */
import { describe, expect, it } from 'vitest';
import { FpsMeter } from '../../../src/main/camera/fps-meter';

describe('FpsMeter', () => {
  it('measures the rate over the window and forgets frames older than it', () => {
    const meter = new FpsMeter(3000);
    for (let i = 0; i <= 30; i += 1) meter.tick(1000 + i * 100); // 10 fps for 3 s
    expect(meter.fps(4000)).toBe(10);
    expect(meter.fps(6999)).toBe(0); // only the last frame is still in the window
    meter.tick(7000);
    meter.tick(7500);
    expect(meter.fps(7500)).toBe(2);
    meter.reset();
    expect(meter.fps(7500)).toBe(0);
  });
});
