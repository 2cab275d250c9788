/**
 * The live camera preview: main sends downscaled RGB24 frames (`camera:preview`), drawn here on a
 * canvas via ImageData, at most once per display frame. The framing guide (src/renderer/src/framing:
 * MediaPipe on this canvas, main's face boxes as fallback) draws the oval and face box over it.
 */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { CameraStatus, FaceBox, PreviewFrame } from '../../../shared/domain/types';
import { useKioskEvent } from '../api';
import { FramingGuide } from '../framing';
import { useI18n } from '../i18n/i18n';

/** Copies tightly packed RGB24 into an RGBA ImageData buffer (alpha opaque). */
export function rgbToRgba(rgb: Uint8Array, rgba: Uint8ClampedArray): void {
  const pixels = Math.min(rgb.length / 3, rgba.length / 4);
  for (let i = 0, j = 0, p = 0; p < pixels; p += 1, i += 3, j += 4) {
    rgba[j] = rgb[i];
    rgba[j + 1] = rgb[i + 1];
    rgba[j + 2] = rgb[i + 2];
    rgba[j + 3] = 255;
  }
}

export interface CameraPreviewProps {
  status: CameraStatus | null;
  /** Show the framing guide (oval and face box). */
  showGuide?: boolean;
  /** Main's face boxes from the latest face:observation: the framing guide's fallback. */
  faces?: FaceBox[];
  /** Text over the preview (guidance). */
  caption?: string | null;
  /** Whether the recogniser is busy deciding (adds a pulsing ring). */
  checking?: boolean;
  /**
   * Who reads the message when the camera is down: staff are told to fetch a manager; the
   * installer (setup screen) is told how to fix it on the form around the preview.
   */
  audience?: 'staff' | 'installer';
  className?: string;
}

/** Draws preview frames; shows a readable message instead when the camera is not streaming. */
export function CameraPreview(props: CameraPreviewProps): ReactNode {
  const { t } = useI18n();
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  // The framing guide needs the element itself (re-rendered once it mounts).
  const [canvasEl, setCanvasEl] = useState<HTMLCanvasElement | null>(null);
  const setCanvas = useCallback((el: HTMLCanvasElement | null) => {
    canvasRef.current = el;
    setCanvasEl(el);
  }, []);
  const latest = useRef<PreviewFrame | null>(null);
  const scheduled = useRef<number | null>(null);
  const image = useRef<ImageData | null>(null);
  const [hasFrame, setHasFrame] = useState(false);

  const draw = (): void => {
    scheduled.current = null;
    const frame = latest.current;
    const canvas = canvasRef.current;
    if (!frame || !canvas) return;
    const { width, height, rgb } = frame;
    if (width <= 0 || height <= 0 || rgb.length < width * height * 3) return; // malformed: skip it
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    canvas.dataset.frameSeq = String(frame.seq);
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    if (!image.current || image.current.width !== width || image.current.height !== height) {
      image.current = ctx.createImageData(width, height);
    }
    rgbToRgba(rgb, image.current.data);
    ctx.putImageData(image.current, 0, 0);
  };

  useKioskEvent('camera:preview', (frame) => {
    latest.current = frame;
    if (!hasFrame) setHasFrame(true);
    if (scheduled.current !== null) return;
    if (typeof requestAnimationFrame === 'function') scheduled.current = requestAnimationFrame(draw);
    else draw();
  });

  useEffect(
    () => () => {
      if (scheduled.current !== null && typeof cancelAnimationFrame === 'function') cancelAnimationFrame(scheduled.current);
    },
    [],
  );

  const state = props.status?.state ?? 'starting';
  const down = state === 'unavailable' || state === 'no_device' || state === 'stopped';
  const downText =
    state === 'no_device' ? t('camera.noDevice') : state === 'stopped' ? t('camera.stopped') : t('camera.unavailable');
  // Main's status.message is a developer sentence for the log; the screen says what to do instead.
  const fixText =
    props.audience === 'installer'
      ? t(state === 'no_device' ? 'camera.fix.no_device' : state === 'stopped' ? 'camera.fix.stopped' : 'camera.fix.unavailable')
      : t('camera.tellManager');

  return (
    <div className={`preview ${props.className ?? ''} ${props.checking ? 'preview--checking' : ''}`}>
      <canvas ref={setCanvas} className="preview__canvas" role="img" aria-label={t('camera.preview')} />
      {props.showGuide !== false && !down && (
        // Mirrored like the canvas, so main's boxes and MediaPipe's land on the face.
        <div className="preview__overlay">
          <FramingGuide canvas={canvasEl} fallbackBoxes={props.faces ?? []} />
        </div>
      )}
      {down && (
        <div className="preview__down" role="status">
          <strong>{downText}</strong>
          <span>{fixText}</span>
        </div>
      )}
      {!down && !hasFrame && <div className="preview__starting">{t('camera.starting')}</div>}
      {props.caption && !down && (
        <div className="preview__caption" role="status" aria-live="polite">
          {props.caption}
        </div>
      )}
    </div>
  );
}
