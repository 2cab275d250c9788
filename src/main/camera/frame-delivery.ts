/**
 * Hands camera frames to listeners on the next turn of the event loop, through a bounded
 * drop-oldest queue: when listeners fall behind the camera, old frames are dropped, never piled up.
 */
import { createEmitter, type ListenerErrorReporter, type Subscribe } from '../lib/emitter';
import { DropOldestQueue } from './frame-queue';

export interface DeliveryStats {
  /** Frames handed to listeners. */
  delivered: number;
  /** Frames dropped because listeners were behind. */
  dropped: number;
  queueDepth: number;
  /** Largest queue depth seen (never above the capacity). */
  maxQueueDepth: number;
  queueCapacity: number;
}

export interface FrameDelivery<T> {
  /** Queues a frame; listeners get every queued frame, oldest first, once the current turn ends. */
  push(frame: T): void;
  /** Drops queued frames (the stream restarted or stopped). */
  clear(): void;
  onFrame: Subscribe<T>;
  stats(): DeliveryStats;
}

/** Creates the delivery; at most `capacity` frames wait. `name` identifies it in the log when a listener throws. */
export function createFrameDelivery<T>(options: { name: string; capacity: number; reporter: ListenerErrorReporter }): FrameDelivery<T> {
  const queue = new DropOldestQueue<T>(options.capacity);
  const listeners = createEmitter<T>(options.name, options.reporter);
  let delivered = 0;
  let scheduled = false;

  const deliver = (): void => {
    scheduled = false;
    for (let frame = queue.shift(); frame !== undefined; frame = queue.shift()) {
      delivered += 1;
      listeners.emit(frame);
    }
  };

  return {
    push(frame) {
      queue.push(frame);
      if (!scheduled) {
        scheduled = true;
        setImmediate(deliver);
      }
    },
    clear: () => queue.clear(),
    onFrame: listeners.subscribe,
    stats: () => ({ delivered, dropped: queue.dropped, queueDepth: queue.length, maxQueueDepth: queue.maxLength, queueCapacity: queue.capacity }),
  };
}
