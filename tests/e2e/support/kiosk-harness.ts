/**
 * Starts the real kiosk for an end-to-end test: every main-side service (createKioskApp) on a
 * temporary data folder with a file camera, the dev/test bridge on 127.0.0.1, and the built
 * renderer in Debian's Chromium. Tests drive the returned Playwright page.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createKioskApp, type KioskApp } from '../../../src/main/app/create-kiosk-app';
import { startBridgeServer, type BridgeServer } from '../../../src/main/bridge/bridge-server';
import { TOKEN_SECRET } from '../../../src/main/lifecycle/kiosk-services';
import { plainCipher } from '../../../src/main/secrets/secret-store';
import type { LedgerRow } from '../../../src/shared/domain/ledger';
import { launchChromium } from './chromium';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts');

export interface KioskHarnessOptions {
  /** A video or image file used as the camera (`file:<path>`). */
  cameraFile: string;
  /** Config applied over the defaults (hotel, api, pusher, recognition...). */
  config?: Record<string, unknown>;
  /** HotelMate token to store as if the kiosk account had signed in. */
  token?: string;
  /** Admin PIN to set before start (6 to 12 digits). */
  pin?: string;
  viewport?: { width: number; height: number };
  /** Start without a browser (service-level tests and benches). */
  headless?: boolean;
  /** A prepared data folder (a kiosk that has been in use) instead of a new one; removed on close like the new one. */
  dataDir?: string;
}

export interface KioskHarness {
  app: KioskApp;
  bridge: BridgeServer;
  browser: Browser | null;
  page: Page;
  dataDir: string;
  /** Messages the page logged as errors (console errors and uncaught exceptions). */
  pageErrors: string[];
  /**
   * The face tracks main has decided about (a greeting, "not recognised", a head-turn prompt...)
   * that have not ended yet. While one is open the kiosk has not seen that face leave: the same
   * face coming back continues the track and is not greeted again (face-track.ts).
   */
  decidedTracks(): number[];
  /** The ledger rows of one person, newest first (what Admin > Punches lists for them). */
  ledgerOf(staffId: number): LedgerRow[];
  /** Saves a PNG under test-artifacts/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Console errors that are not failures of the kiosk: MediaPipe prints its XNNPACK notice on the
 * error stream. (Its usage statistics no longer reach the CSP: the framing guide answers them in
 * the page, so a refusal of odml.pa.googleapis.com is a failure here.)
 */
const BENIGN_CONSOLE: RegExp[] = [
  /^INFO: Created TensorFlow Lite XNNPACK delegate/,
  /^Failed to load resource: the server responded with a status of 404/,
];

export function rendererBuilt(): boolean {
  return fs.existsSync(path.join(REPO_ROOT, 'out/renderer/index.html')) && fs.existsSync(path.join(REPO_ROOT, 'out/renderer/bridge-client.js'));
}

export async function startKioskHarness(options: KioskHarnessOptions): Promise<KioskHarness> {
  if (!rendererBuilt()) throw new Error('The renderer is not built: run `npx electron-vite build` (npm run test:e2e does it).');
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-e2e-'));
  const app = await createKioskApp({
    dataDir,
    cipher: plainCipher,
    modelsDir: path.join(REPO_ROOT, 'models'),
    versions: { app: 'e2e', node: process.versions.node },
    consoleLogLevel: process.env.KIOSK_E2E_LOG ? 'info' : null,
    exit: () => undefined,
    configPatch: { ...(options.config ?? {}), camera: { device: `file:${options.cameraFile}`, ...((options.config?.camera as object) ?? {}) } },
  });
  // The PIN first: once the kiosk holds a token, a PIN can no longer be created without one.
  if (options.pin) {
    const set = await app.admin.setPin(options.pin);
    if (!set.ok) throw new Error(`could not set the admin PIN: ${set.error.message}`);
  }
  if (options.token) app.secrets.set(TOKEN_SECRET, options.token);
  const decidedTracks = new Set<number>();
  app.face.onDecision((decision) => {
    if (decision.kind === 'gone') decidedTracks.delete(decision.trackId);
    else decidedTracks.add(decision.trackId);
  });
  await app.start();
  const bridge = await startBridgeServer({
    router: app.router,
    events: app.events,
    logger: app.logger,
    rendererDir: path.join(REPO_ROOT, 'out/renderer'),
  });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1920, height: 1080 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (BENIGN_CONSOLE.some((pattern) => pattern.test(text))) return;
    pageErrors.push(text);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) pageErrors.push(`HTTP ${response.status()} ${response.url()}`);
  });
  // Functions passed to page.evaluate from TypeScript run through tsx/esbuild, which wraps named
  // functions in a `__name` helper that does not exist in the page: provide a no-op one.
  await page.addInitScript({ content: 'globalThis.__name = globalThis.__name || ((fn) => fn);' });
  await page.goto(bridge.pageUrl);
  return {
    app,
    bridge,
    browser,
    page,
    dataDir,
    pageErrors,
    decidedTracks: () => [...decidedTracks],
    ledgerOf: (staffId) => (app.services.clockService()?.ledger({ limit: 500 }) ?? []).filter((row) => row.staffId === staffId),
    async screenshot(name) {
      const file = path.join(ARTIFACTS_DIR, `${name}.png`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      await page.screenshot({ path: file });
      return file;
    },
    async close() {
      await browser.close().catch(() => undefined);
      await bridge.close().catch(() => undefined);
      await app.stop().catch(() => undefined);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
