/**
 * The framing guide over the camera preview: a smooth face box and a framing oval. MediaPipe's
 * FaceDetector runs here (the renderer has WebGL) at display rate; without WebGL, or when the model
 * fails to load or detection keeps failing, it falls back to main's boxes from face:observation.
 * Main stays the authority for recognition and for the guidance text. The detector is created once
 * per renderer and shared by every mount of the guide (each return to the idle screen mounts one):
 * unmounting only stops drawing; the detector is closed only when it is ruled out.
 */
import { useEffect, useRef, useState } from 'react';
import type { FaceBox } from '../../../shared/domain/types';
import type { DetectorLoader, FramingDetector, PixelBox } from './framing-types';

export type FramingSource = 'mediapipe' | 'main';

export interface FramingGuideProps {
  /** The preview canvas main's frames are drawn on; null until mounted. */
  canvas: HTMLCanvasElement | null;
  /** Main's normalised boxes (main face first) from the latest face:observation. */
  fallbackBoxes: FaceBox[];
  /** Loads the in-renderer detector; defaults to MediaPipe from the app's own assets. */
  loadDetector?: DetectorLoader;
  /** Whether WebGL is available; defaults to probing a canvas. */
  hasWebGL?: () => boolean;
  /** Median detection time above which MediaPipe costs too much CPU here (software GL): fall back. */
  maxDetectMs?: number;
  className?: string;
}

/** Failed detections in a row after which the guide gives up on MediaPipe. */
const MAX_FAILURES = 5;
/** Smoothing factor of the box (0 = frozen, 1 = raw detections). */
const SMOOTHING = 0.45;
/** Detection may use at most this share of the renderer's time; main's recognition needs the cores. */
const DUTY_CYCLE = 0.25;
/** Default budget per detection; swiftshader (no GPU) measured ~190 ms, a real GPU a few ms. */
const MAX_DETECT_MS = 40;

/**
 * Set once MediaPipe proved too slow (or failing) on this machine: later mounts of the guide (every
 * return to the idle screen) go straight to main's boxes instead of loading the detector again,
 * which would block the page for a moment each time on a kiosk without a GPU.
 */
let mediapipeRuledOut = false;

/** A loaded detector shared by every mount, with the last timestamp given to it (VIDEO mode needs them increasing). */
interface SharedDetector {
  detector: FramingDetector;
  lastTs: number;
}

/** One detector per loader for the life of the renderer (a failed load is not retried either). */
const sharedDetectors = new Map<DetectorLoader, Promise<SharedDetector>>();

function sharedDetector(loader: DetectorLoader): Promise<SharedDetector> {
  let shared = sharedDetectors.get(loader);
  if (!shared) {
    shared = loader().then((detector) => ({ detector, lastTs: 0 }));
    sharedDetectors.set(loader, shared);
  }
  return shared;
}

/** Closes a detector that was ruled out; the next mount goes straight to main's boxes. */
function retire(loader: DetectorLoader, shared: SharedDetector): void {
  mediapipeRuledOut = true;
  sharedDetectors.delete(loader);
  shared.detector.close();
}

/** For tests: forget the verdict and the shared detectors (closing them). */
export function resetFramingVerdict(): void {
  mediapipeRuledOut = false;
  for (const shared of sharedDetectors.values()) shared.then((s) => s.detector.close(), () => undefined);
  sharedDetectors.clear();
}

/** Whether this renderer can create a WebGL context (MediaPipe's image input needs one). */
export function probeWebGL(): boolean {
  try {
    if (typeof document === 'undefined') return false;
    const probe = document.createElement('canvas');
    return Boolean(probe.getContext('webgl2') ?? probe.getContext('webgl'));
  } catch {
    return false;
  }
}

const defaultLoader: DetectorLoader = () => import('./mediapipe-detector').then((m) => m.createMediapipeDetector());

/** Normalises pixel boxes by the source size, largest face first. Pure. */
export function normaliseBoxes(boxes: PixelBox[], width: number, height: number): FaceBox[] {
  if (width <= 0 || height <= 0) return [];
  return boxes
    .map((b) => ({ x: b.x / width, y: b.y / height, width: b.width / width, height: b.height / height }))
    .sort((a, b) => b.width * b.height - a.width * a.height);
}

/** Moves the previous box part-way towards the new one (no jitter at display rate). Pure. */
export function smoothBox(previous: FaceBox | null, next: FaceBox | null, alpha = SMOOTHING): FaceBox | null {
  if (!next) return null;
  if (!previous) return next;
  const mix = (a: number, b: number): number => a + (b - a) * alpha;
  return { x: mix(previous.x, next.x), y: mix(previous.y, next.y), width: mix(previous.width, next.width), height: mix(previous.height, next.height) };
}

/**
 * Runs the detector on the canvas every animation frame and returns the smoothed main box and
 * where it came from. Falls back to `fallbackBoxes` whenever MediaPipe is unavailable.
 */
export function useFramingBox(
  canvas: HTMLCanvasElement | null,
  fallbackBoxes: FaceBox[],
  loadDetector: DetectorLoader = defaultLoader,
  hasWebGL: () => boolean = probeWebGL,
  maxDetectMs: number = MAX_DETECT_MS,
): { box: FaceBox | null; source: FramingSource } {
  const [source, setSource] = useState<FramingSource>('main');
  const [box, setBox] = useState<FaceBox | null>(null);
  const loaderRef = useRef(loadDetector);
  const webglRef = useRef(hasWebGL);
  const budgetRef = useRef(maxDetectMs);

  useEffect(() => {
    if (!canvas) return undefined;
    if (mediapipeRuledOut || !webglRef.current()) return undefined;
    let cancelled = false;
    let frame = 0;
    let failures = 0;
    let smoothed: FaceBox | null = null;
    let nextAt = 0;
    let active: SharedDetector | null = null;
    const loader = loaderRef.current;
    const costs: number[] = [];
    const tick = (): void => {
      const shared = active;
      if (cancelled || !shared) return;
      const { detector } = shared;
      if (performance.now() < nextAt) {
        frame = requestAnimationFrame(tick);
        return;
      }
      try {
        const ts = Math.max(shared.lastTs + 1, performance.now());
        shared.lastTs = ts;
        const found = normaliseBoxes(detector.detect(canvas, ts), canvas.width, canvas.height);
        const cost = performance.now() - ts;
        failures = 0;
        costs.push(cost);
        if (costs.length > 9) costs.shift();
        if (costs.length >= 5 && median(costs) > budgetRef.current) {
          // Too slow here (no GPU): main's boxes are cheaper than starving recognition of CPU.
          active = null;
          retire(loader, shared);
          setSource('main');
          return;
        }
        nextAt = ts + cost / DUTY_CYCLE;
        smoothed = smoothBox(smoothed, found[0] ?? null);
        setBox(smoothed);
      } catch {
        failures += 1;
        if (failures >= MAX_FAILURES) {
          active = null;
          retire(loader, shared);
          setSource('main');
          return;
        }
      }
      frame = requestAnimationFrame(tick);
    };
    sharedDetector(loader)
      .then((shared) => {
        // Ruled out by another mount meanwhile, or this one is gone: nothing to draw.
        if (cancelled || mediapipeRuledOut) return;
        active = shared;
        setSource('mediapipe');
        frame = requestAnimationFrame(tick);
      })
      .catch(() => {
        // Missing model or wasm: main's boxes keep the guide working.
        if (!cancelled) setSource('main');
      });
    return () => {
      // The detector stays loaded for the next mount; only this mount's drawing stops.
      cancelled = true;
      cancelAnimationFrame(frame);
      active = null;
    };
  }, [canvas]);

  if (source === 'main') return { box: fallbackBoxes[0] ?? null, source };
  return { box, source };
}

/**
 * Draws the framing oval and the face box over the preview (an SVG in normalised coordinates,
 * stretched over the canvas by its container). The oval turns "aligned" when the face sits in it.
 */
export function FramingGuide({ canvas, fallbackBoxes, loadDetector, hasWebGL, maxDetectMs, className }: FramingGuideProps): React.JSX.Element {
  const { box, source } = useFramingBox(canvas, fallbackBoxes, loadDetector, hasWebGL, maxDetectMs);
  const aligned = box !== null && isInOval(box);
  return (
    <svg
      className={className}
      data-testid="framing-guide"
      data-source={source}
      data-aligned={aligned ? 'true' : 'false'}
      viewBox="0 0 1 1"
      preserveAspectRatio="none"
      style={{ position: 'absolute', inset: 0, width: '100%', height: '100%', pointerEvents: 'none' }}
      aria-hidden="true"
    >
      <ellipse
        data-testid="framing-oval"
        cx={OVAL.cx}
        cy={OVAL.cy}
        rx={OVAL.rx}
        ry={OVAL.ry}
        fill="none"
        stroke={aligned ? '#3fb950' : 'rgba(255,255,255,0.7)'}
        strokeWidth={0.008}
        strokeDasharray={aligned ? undefined : '0.02 0.015'}
      />
      {box ? (
        <rect
          data-testid="framing-box"
          x={box.x}
          y={box.y}
          width={box.width}
          height={box.height}
          rx={0.02}
          fill="none"
          stroke={aligned ? '#3fb950' : '#f0b429'}
          strokeWidth={0.006}
        />
      ) : null}
    </svg>
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

/** The oval the face should fill, in normalised preview coordinates. */
export const OVAL = { cx: 0.5, cy: 0.46, rx: 0.2, ry: 0.33 };

/** Whether the face box is centred in the oval and about its size. Pure. */
export function isInOval(box: FaceBox): boolean {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const centred = Math.abs(cx - OVAL.cx) < OVAL.rx * 0.4 && Math.abs(cy - OVAL.cy) < OVAL.ry * 0.4;
  const sized = box.height > OVAL.ry * 2 * 0.45 && box.height < OVAL.ry * 2 * 1.15;
  return centred && sized;
}
