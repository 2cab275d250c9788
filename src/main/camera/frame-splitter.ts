/**
 * Cuts ffmpeg's raw RGB24 byte stream into whole frames. Pipe chunks (usually 64 KiB) never line up
 * with frame boundaries, so bytes are copied into the frame being assembled and a frame is emitted
 * exactly when it is full; a chunk may finish one frame and start the next.
 */

/** Splits a byte stream into frames of `frameBytes` each; `push` returns the completed frames. */
export class FrameSplitter {
  private current: Uint8Array;
  private filled = 0;

  constructor(readonly frameBytes: number) {
    if (!Number.isInteger(frameBytes) || frameBytes <= 0) throw new Error(`Invalid frame size: ${frameBytes} bytes`);
    this.current = new Uint8Array(frameBytes);
  }

  /** Adds a chunk; returns every frame it completed (each a fresh buffer the caller may keep). */
  push(chunk: Uint8Array): Uint8Array[] {
    const done: Uint8Array[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(this.frameBytes - this.filled, chunk.length - offset);
      this.current.set(chunk.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.frameBytes) {
        done.push(this.current);
        this.current = new Uint8Array(this.frameBytes);
        this.filled = 0;
      }
    }
    return done;
  }

  /** Bytes of an unfinished frame (discarded when the stream restarts). */
  pending(): number {
    return this.filled;
  }

  /** Forgets a partial frame, e.g. after ffmpeg restarted. */
  reset(): void {
    this.filled = 0;
  }
}
