/**
 * `npm run dev:web`: the kiosk for people without Electron. Starts every main-side service on a
 * development data folder, serves the built renderer and the IPC contract over the dev/test bridge
 * on 127.0.0.1, and prints the URL to open in Chromium.
 *
 *   npm run dev:web -- [--data-dir DIR] [--camera file:/path/video.mp4] [--port N]
 */
import path from 'node:path';
import { createKioskApp } from '../src/main/app/create-kiosk-app';
import { startBridgeServer } from '../src/main/bridge/bridge-server';
import { plainCipher } from '../src/main/secrets/secret-store';

const ROOT = path.resolve(__dirname, '..');

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const dataDir = path.resolve(flag('--data-dir') ?? path.join(ROOT, '.dev-data'));
  const camera = flag('--camera');
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
    port: Number(flag('--port') ?? 0),
  });
  console.log(`\nHotelMate kiosk (dev/test bridge, data in ${dataDir})\nOpen in Chromium:\n\n  ${bridge.pageUrl}\n\nCtrl+C to stop.`);

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
