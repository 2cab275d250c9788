import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { createPipelineWatchdog } from '../../../src/main/platform/pipeline-watchdog';
import { createFakeClock } from '../../support/fake-clock';

function setup(overrides: { failCamera?: boolean } = {}) {
  const clock = createFakeClock();
  const restarts: string[] = [];
  const watchdog = createPipelineWatchdog({
    clock,
    logger: createMemoryLogger(),
    restartCamera: async () => {
      restarts.push('camera');
      if (overrides.failCamera) throw new Error('device busy');
    },
    restartFace: async () => void restarts.push('face'),
    frameStallMs: 10_000,
    analysisStallMs: 10_000,
    decisionStallMs: 20_000,
    cooldownMs: 60_000,
  });
  return { clock, restarts, watchdog };
}

describe('pipeline watchdog', () => {
  it('restarts the camera when it should stream but frames stop, not while frames flow', async () => {
    const { clock, restarts, watchdog } = setup();
    watchdog.setCameraExpected(true);
    for (let i = 0; i < 30; i += 1) {
      clock.advance(1_000);
      watchdog.frameArrived();
      await watchdog.check();
    }
    expect(restarts).toEqual([]);
    clock.advance(9_999);
    expect(await watchdog.check()).toEqual([]);
    clock.advance(1);
    expect(await watchdog.check()).toEqual(['camera']);
    expect(watchdog.stats()).toMatchObject({ cameraRestarts: 1, faceRestarts: 0, lastRestart: { part: 'camera' } });
  });

  it('does not watch a camera that is not supposed to stream (unplugged, stopped)', async () => {
    const { clock, restarts, watchdog } = setup();
    clock.advance(120_000);
    await watchdog.check();
    watchdog.setCameraExpected(true);
    watchdog.setCameraExpected(false);
    clock.advance(120_000);
    await watchdog.check();
    expect(restarts).toEqual([]);
  });

  it('waits for the cool-down between restarts of the same part, even when the restart fails', async () => {
    const { clock, restarts, watchdog } = setup({ failCamera: true });
    watchdog.setCameraExpected(true);
    clock.advance(10_000);
    await watchdog.check();
    clock.advance(30_000);
    await watchdog.check();
    expect(restarts).toEqual(['camera']);
    clock.advance(30_000);
    await watchdog.check();
    expect(restarts).toEqual(['camera', 'camera']);
  });

  it('restarts the face worker when frames go in and nothing comes back', async () => {
    const { clock, restarts, watchdog } = setup();
    watchdog.frameSubmitted();
    clock.advance(5_000);
    watchdog.observationArrived(false);
    watchdog.frameSubmitted();
    clock.advance(9_000);
    await watchdog.check();
    expect(restarts).toEqual([]);
    watchdog.frameSubmitted(); // still waiting for the first unanswered one
    clock.advance(1_000);
    await watchdog.check();
    expect(restarts).toEqual(['face']);
  });

  it('restarts the face worker when a face stays in view without any decision, not when decisions come', async () => {
    const { clock, restarts, watchdog } = setup();
    for (let i = 0; i < 40; i += 1) {
      clock.advance(1_000);
      watchdog.frameSubmitted();
      watchdog.observationArrived(true);
      if (i % 5 === 0) watchdog.decisionArrived();
      await watchdog.check();
    }
    expect(restarts).toEqual([]);
    // The person leaves; a new face arrives and no decision ever comes.
    watchdog.observationArrived(false);
    for (let i = 0; i < 21; i += 1) {
      clock.advance(1_000);
      watchdog.frameSubmitted();
      watchdog.observationArrived(true);
      await watchdog.check();
    }
    expect(restarts).toEqual(['face']);
    // nobody in front of the camera: nothing to decide, nothing to restart
    watchdog.observationArrived(false);
    clock.advance(300_000);
    await watchdog.check();
    expect(restarts).toEqual(['face']);
  });

  it('does not restart anything while a recognised person stays in view reading the screen', async () => {
    const { clock, restarts, watchdog } = setup();
    watchdog.frameSubmitted();
    watchdog.observationArrived(true);
    watchdog.decisionArrived();
    for (let i = 0; i < 120; i += 1) {
      clock.advance(1_000);
      watchdog.frameSubmitted();
      watchdog.observationArrived(true);
      await watchdog.check();
    }
    expect(restarts).toEqual([]);
  });
});
