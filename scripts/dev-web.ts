/**
 * `npm run dev:web`: the kiosk for people without Electron. Starts every main-side service on a
 * development data folder (outside the repository by default), serves the built renderer and the IPC
 * contract over the dev/test bridge on 127.0.0.1, and prints the URL to open in Chromium.
 *
 *   npm run dev:web -- [--data-dir DIR] [--camera file:/path/video.mp4] [--port N] [--help]
 */
import path from 'node:path';
import { createKioskApp } from '../src/main/app/create-kiosk-app';
import { startBridgeServer } from '../src/main/bridge/bridge-server';
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
  const app = await createKioskApp({
    dataDir,
    env: process.env,
    cipher: plainCipher,
    modelsDir: path.join(ROOT, 'models'),
    versions: { app: 'dev-web', node: process.versions.node },
    consoleLogLevel: 'info',
    exit: () => void shutdown(),
    configPatch: camera ? { camera: { device: camera } } : undefined,
  });
  await app.start();
  const bridge = await startBridgeServer({
    router: app.router,
    events: app.events,
    logger: app.logger,
    rendererDir: path.join(ROOT, 'out/renderer'),
    port: args.port,
  });
  console.log(`\nHotelMate kiosk (dev/test bridge, data in ${dataDir})\nOpen in Chromium:\n\n  ${bridge.pageUrl}\n\nCtrl+C to stop (the data folder is kept for the next run).`);

  async function shutdown(): Promise<void> {
    await bridge.close();
    await app.stop();
    process.exit(0);
  }
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
