// @vitest-environment jsdom
/** The framing guide: MediaPipe's box when the detector works, main's boxes whenever it cannot (no WebGL, model missing, detection failing). */
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FramingGuide, isInOval, normaliseBoxes, resetFramingVerdict, smoothBox } from '../../../src/renderer/src/framing';
import type { FramingDetector, PixelBox } from '../../../src/renderer/src/framing';
import { blockMediapipeTelemetry, MEDIAPIPE_TELEMETRY_ORIGIN } from '../../../src/renderer/src/framing/telemetry';
import type { FaceBox } from '../../../src/shared/domain/types';

const mainBox: FaceBox = { x: 0.1, y: 0.15, width: 0.25, height: 0.3 };

function previewCanvas(): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 240;
  return canvas;
}

function rect(): { x: number; y: number; width: number; height: number } {
  const el = screen.getByTestId('framing-box');
  return { x: Number(el.getAttribute('x')), y: Number(el.getAttribute('y')), width: Number(el.getAttribute('width')), height: Number(el.getAttribute('height')) };
}

afterEach(() => cleanup());
beforeEach(() => resetFramingVerdict());

describe('FramingGuide fallback to main boxes', () => {
  it('without WebGL (jsdom has none) draws main\'s box and never loads MediaPipe', async () => {
    let loads = 0;
    render(
      <FramingGuide
        canvas={previewCanvas()}
        fallbackBoxes={[mainBox]}
        loadDetector={async () => {
          loads += 1;
          throw new Error('should not load');
        }}
      />,
    );
    expect(screen.getByTestId('framing-guide').getAttribute('data-source')).toBe('main');
    expect(rect()).toEqual(mainBox);
    await new Promise((r) => setTimeout(r, 20));
    expect(loads).toBe(0);
  });

  it('when the model fails to load, keeps following main\'s boxes as they change', async () => {
    const canvas = previewCanvas();
    const { rerender } = render(
      <FramingGuide canvas={canvas} fallbackBoxes={[mainBox]} hasWebGL={() => true} loadDetector={() => Promise.reject(new Error('model missing'))} />,
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.getByTestId('framing-guide').getAttribute('data-source')).toBe('main');
    const moved = { x: 0.4, y: 0.2, width: 0.2, height: 0.3 };
    rerender(<FramingGuide canvas={canvas} fallbackBoxes={[moved]} hasWebGL={() => true} loadDetector={() => Promise.reject(new Error('model missing'))} />);
    expect(rect()).toEqual(moved);
    rerender(<FramingGuide canvas={canvas} fallbackBoxes={[]} hasWebGL={() => true} loadDetector={() => Promise.reject(new Error('model missing'))} />);
    expect(screen.queryByTestId('framing-box')).toBeNull();
  });

  it('uses the detector\'s box (normalised by the canvas size) when it works, and falls back when detection keeps failing', async () => {
    let failing = false;
    let closed = 0;
    const detector: FramingDetector = {
      detect(): PixelBox[] {
        if (failing) throw new Error('WebGL context lost');
        return [{ x: 128, y: 48, width: 64, height: 96, score: 0.9 }];
      },
      close: () => void (closed += 1),
    };
    const { unmount } = render(<FramingGuide canvas={previewCanvas()} fallbackBoxes={[mainBox]} hasWebGL={() => true} loadDetector={async () => detector} />);
    await waitFor(() => expect(screen.getByTestId('framing-guide').getAttribute('data-source')).toBe('mediapipe'));
    await waitFor(() => expect(rect()).toEqual({ x: 0.4, y: 0.2, width: 0.2, height: 0.4 }));
    await act(async () => {
      failing = true;
      await new Promise((r) => setTimeout(r, 300));
    });
    expect(screen.getByTestId('framing-guide').getAttribute('data-source')).toBe('main');
    expect(rect()).toEqual(mainBox);
    unmount();
    expect(closed).toBe(1);
  });
});

describe('one MediaPipe detector per renderer', () => {
  it('returning to the idle screen again and again reuses the detector: loaded once, never closed by a remount', async () => {
    let loads = 0;
    let closed = 0;
    let lastTs = 0;
    const detector: FramingDetector = {
      detect(_canvas, ts): PixelBox[] {
        // VIDEO mode: timestamps must keep increasing across every mount.
        if (ts <= lastTs) throw new Error(`timestamp went back: ${ts} after ${lastTs}`);
        lastTs = ts;
        return [{ x: 128, y: 48, width: 64, height: 96, score: 0.9 }];
      },
      close: () => void (closed += 1),
    };
    const loader = async (): Promise<FramingDetector> => {
      loads += 1;
      return detector;
    };
    for (let visit = 0; visit < 17; visit += 1) {
      const { unmount } = render(<FramingGuide canvas={previewCanvas()} fallbackBoxes={[mainBox]} hasWebGL={() => true} loadDetector={loader} />);
      await waitFor(() => expect(screen.getByTestId('framing-guide').getAttribute('data-source')).toBe('mediapipe'));
      await waitFor(() => expect(rect()).toEqual({ x: 0.4, y: 0.2, width: 0.2, height: 0.4 }));
      unmount();
    }
    expect(loads).toBe(1);
    expect(closed).toBe(0);
  });

  it('a detector that failed to load is not loaded again on the next visit', async () => {
    let loads = 0;
    const loader = (): Promise<FramingDetector> => {
      loads += 1;
      return Promise.reject(new Error('wasm missing'));
    };
    for (let visit = 0; visit < 3; visit += 1) {
      const { unmount } = render(<FramingGuide canvas={previewCanvas()} fallbackBoxes={[mainBox]} hasWebGL={() => true} loadDetector={loader} />);
      await new Promise((r) => setTimeout(r, 10));
      expect(screen.getByTestId('framing-guide').getAttribute('data-source')).toBe('main');
      unmount();
    }
    expect(loads).toBe(1);
  });
});

describe('MediaPipe usage statistics stay in the page', () => {
  it('answers tasks-vision\'s statistics upload locally (no network, no CSP error) and passes every other request on', async () => {
    const sent: string[] = [];
    const target = {
      fetch: (async (input: RequestInfo | URL) => {
        sent.push(String(input));
        return new Response('ok', { status: 200 });
      }) as typeof fetch,
    };
    blockMediapipeTelemetry(target);
    blockMediapipeTelemetry(target); // twice changes nothing
    const telemetry = await target.fetch(`${MEDIAPIPE_TELEMETRY_ORIGIN}v1/log`, { method: 'POST', body: 'x' });
    // Not 200: tasks-vision treats the upload as failed and stops its timer for good.
    expect(telemetry.status).toBe(204);
    const model = await target.fetch(new URL('http://127.0.0.1/models/blazeface.tflite'));
    expect(model.status).toBe(200);
    expect(sent).toEqual(['http://127.0.0.1/models/blazeface.tflite']);
  });
});

describe('FramingGuide CPU budget', () => {
  it('gives up on a detector slower than its budget (software GL) and shows main\'s boxes', async () => {
    let calls = 0;
    let closed = 0;
    const slow: FramingDetector = {
      detect(): PixelBox[] {
        calls += 1;
        const until = performance.now() + 4;
        while (performance.now() < until) {
          // busy: a detection that costs 4 ms against a 1 ms budget
        }
        return [{ x: 10, y: 10, width: 50, height: 50, score: 0.9 }];
      },
      close: () => void (closed += 1),
    };
    render(<FramingGuide canvas={previewCanvas()} fallbackBoxes={[mainBox]} hasWebGL={() => true} maxDetectMs={1} loadDetector={async () => slow} />);
    await waitFor(() => expect(screen.getByTestId('framing-guide').getAttribute('data-source')).toBe('mediapipe'));
    await waitFor(() => expect(closed).toBe(1), { timeout: 3000 });
    expect(screen.getByTestId('framing-guide').getAttribute('data-source')).toBe('main');
    expect(rect()).toEqual(mainBox);
    const after = calls;
    expect(after).toBeGreaterThanOrEqual(5);
    await new Promise((r) => setTimeout(r, 100));
    expect(calls).toBe(after);
    // Back on the idle screen later (a new guide): the verdict stands, MediaPipe is not loaded again.
    cleanup();
    let loads = 0;
    render(
      <FramingGuide canvas={previewCanvas()} fallbackBoxes={[mainBox]} hasWebGL={() => true} maxDetectMs={1} loadDetector={async () => { loads += 1; return slow; }} />,
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(loads).toBe(0);
    expect(screen.getByTestId('framing-guide').getAttribute('data-source')).toBe('main');
  });
});

describe('framing geometry', () => {
  it('orders faces largest first and smooths towards the new box', () => {
    const boxes = normaliseBoxes([{ x: 0, y: 0, width: 10, height: 10, score: 1 }, { x: 100, y: 100, width: 50, height: 60, score: 0.8 }], 200, 200);
    expect(boxes[0]).toEqual({ x: 0.5, y: 0.5, width: 0.25, height: 0.3 });
    const smoothed = smoothBox({ x: 0, y: 0, width: 0.2, height: 0.2 }, { x: 1, y: 1, width: 0.4, height: 0.4 }, 0.5);
    expect(smoothed).toEqual({ x: 0.5, y: 0.5, width: 0.30000000000000004, height: 0.30000000000000004 });
    expect(smoothBox({ x: 0, y: 0, width: 1, height: 1 }, null)).toBeNull();
  });

  it('calls a centred face of the right size aligned, an off-centre or tiny one not', () => {
    expect(isInOval({ x: 0.35, y: 0.24, width: 0.3, height: 0.45 })).toBe(true);
    expect(isInOval({ x: 0.0, y: 0.24, width: 0.3, height: 0.45 })).toBe(false);
    expect(isInOval({ x: 0.48, y: 0.44, width: 0.04, height: 0.05 })).toBe(false);
  });
});
