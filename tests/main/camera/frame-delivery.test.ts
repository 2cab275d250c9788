/** Frames reach listeners on the next turn, oldest first, a bounded number waiting; a listener that throws is logged and the others still get the frame. */
import { describe, expect, it } from 'vitest';
import { createFrameDelivery } from '../../../src/main/camera/frame-delivery';
import { createMemoryLogger } from '../../../src/main/logging/logger';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('createFrameDelivery', () => {
  it('delivers after the current turn, keeps only the newest `capacity` frames, and counts the dropped ones', async () => {
    const delivery = createFrameDelivery<number>({ name: 'test.frame', capacity: 2, reporter: createMemoryLogger() });
    const got: number[] = [];
    delivery.onFrame((n) => got.push(n));
    for (let n = 1; n <= 5; n += 1) delivery.push(n);
    expect(got).toEqual([]);
    await nextTurn();
    expect(got).toEqual([4, 5]);
    expect(delivery.stats()).toEqual({ delivered: 2, dropped: 3, queueDepth: 0, maxQueueDepth: 2, queueCapacity: 2 });
    delivery.push(6);
    delivery.clear();
    await nextTurn();
    expect(got).toEqual([4, 5]);
  });

  it('a listener that throws is logged; the other listeners still get every frame', async () => {
    const logger = createMemoryLogger();
    const delivery = createFrameDelivery<number>({ name: 'camera.frame', capacity: 2, reporter: logger });
    const got: number[] = [];
    delivery.onFrame(() => {
      throw new Error('face worker gone');
    });
    delivery.onFrame((n) => got.push(n));
    delivery.push(1);
    await nextTurn();
    delivery.push(2);
    await nextTurn();
    expect(got).toEqual([1, 2]);
    expect(logger.records.filter((r) => r.message === 'listener failed' && r.fields?.emitter === 'camera.frame')).toHaveLength(2);
  });
});
