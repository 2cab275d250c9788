/**
 * `npm run dev:web`: the kiosk for people without Electron. Starts every main-side service on a
 * development data folder (outside the repository by default), serves the built renderer and the IPC
 * contract over the dev/test bridge on 127.0.0.1, and prints the URL to open in Chromium.
 *
 * Every start-up failure ends on the problem screen (the page still opens and says why), and errors
 * main would otherwise drop (unhandled rejections, uncaught exceptions) are logged and shown.
 *
 *   npm run dev:web -- [--data-dir DIR] [--camera file:/path/video.mp4] [--port N] [--restore-backup] [--help]
 */
import path from 'node:path';
import { createKioskApp, type KioskApp } from '../src/main/app/create-kiosk-app';
import { createStartupFailureRouter } from '../src/main/app/startup-failure';
import { startBridgeServer, type BridgeServer } from '../src/main/bridge/bridge-server';
import { createEventHub } from '../src/main/channels/event-hub';
import { type Logger, createConsoleSink, createLogger } from '../src/main/logging/logger';
import { installProcessGuards } from '../src/main/platform/process-guards';
import { plainCipher } from '../src/main/secrets/secret-store';
import { DEV_WEB_USAGE, isInside, parseDevWebArgs } from './dev-web-args';

const ROOT = path.resolve(__dirname, '..');

async function main(): Promise<void> {
  const args = parseDevWebArgs(process.argv.slice(2));
  if (args.help) {
    console.log(DEV_WEB_USAGE);
    return;
  }
  const { dataDir, camera } = args;
  console.log(`Kiosk data folder: ${dataDir} (another one: --data-dir <dir>; npm run dev:web -- --help)`);
  if (isInside(dataDir, ROOT)) console.warn(`Warning: ${dataDir} is inside the repository; it holds keys and the API token, never commit it.`);
  const versions = { app: 'dev-web', node: process.versions.node };
  const bootLog: Logger = createLogger({ sinks: [createConsoleSink('info')], name: 'dev-web' });
  let app: KioskApp | null = null;
  let bridge: BridgeServer;
  const rendererDir = path.join(ROOT, 'out/renderer');
  try {
    app = await createKioskApp({
      dataDir,
      env: process.env,
      cipher: plainCipher,
      modelsDir: path.join(ROOT, 'models'),
      versions,
      consoleLogLevel: 'info',
      restoreBackup: args.restoreBackup,
      exit: () => void shutdown(),
      relaunch: () => {
        console.log('\nThe kiosk needs a restart (after a restore from the problem screen): run npm run dev:web again.');
        void shutdown();
      },
      configPatch: camera ? { camera: { device: camera } } : undefined,
    });
  } catch (error) {
    // The page still opens, on the problem screen with the reason.
    const router = createStartupFailureRouter(error, bootLog, versions);
    bridge = await startBridgeServer({ router, events: createEventHub(bootLog), logger: bootLog, rendererDir, port: args.port });
    console.error(`\nThe kiosk could not start; the page shows why:\n\n  ${bridge.pageUrl}\n`);
  }
  if (app) {
    const running = app;
    installProcessGuards({ logger: running.logger, onError: (kind, error) => running.reportInternalError(kind, error) });
    await running.start();
    bridge = await startBridgeServer({ router: running.router, events: running.events, logger: running.logger, rendererDir, port: args.port });
    console.log(`\nHotelMate kiosk (dev/test bridge, data in ${dataDir})\nOpen in Chromium:\n\n  ${bridge.pageUrl}\n\nCtrl+C to stop (the data folder is kept for the next run).`);
  }

  async function shutdown(): Promise<void> {
    await bridge?.close();
    await app?.stop();
    process.exit(0);
  }
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
