/** The small detector interface the framing guide needs, so the MediaPipe loader stays swappable and lazily loaded. */

/** A detected face in source pixels. */
export interface PixelBox {
  x: number;
  y: number;
  width: number;
  height: number;
  score: number;
}

export interface FramingDetector {
  /** Detects faces in the current canvas content; timestamps must increase. */
  detect(source: HTMLCanvasElement, timestampMs: number): PixelBox[];
  close(): void;
}

export type DetectorLoader = () => Promise<FramingDetector>;
