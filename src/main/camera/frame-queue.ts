/**
 * A bounded frame queue: when consumers fall behind the camera, the oldest frames are dropped so
 * memory stays flat and what is delivered stays recent (a kiosk must react to who stands there now).
 */

/** Fixed-capacity FIFO that drops its oldest item when full and counts the drops. */
export class DropOldestQueue<T> {
  private items: T[] = [];
  private droppedCount = 0;
  private highWater = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`Queue capacity must be a positive integer, got ${capacity}`);
  }

  /** Adds an item; returns the item dropped to make room, if any. */
  push(item: T): T | undefined {
    let dropped: T | undefined;
    if (this.items.length >= this.capacity) {
      dropped = this.items.shift();
      this.droppedCount += 1;
    }
    this.items.push(item);
    this.highWater = Math.max(this.highWater, this.items.length);
    return dropped;
  }

  /** Removes and returns the oldest item, or undefined when empty. */
  shift(): T | undefined {
    return this.items.shift();
  }

  get length(): number {
    return this.items.length;
  }

  /** Items dropped since creation. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Largest length ever reached (never above capacity). */
  get maxLength(): number {
    return this.highWater;
  }

  clear(): void {
    this.items = [];
  }
}
