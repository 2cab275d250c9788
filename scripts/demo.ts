/**
 * `npm run demo:web` (Chromium through the dev/test bridge) or `npm run demo` (Electron): the whole
 * kiosk in a minute. Starts the HotelMate test double and a local soketi on 127.0.0.1, seeds a hotel
 * whose staff are the shared test photos, enrols four of them on a fresh kiosk data folder, and uses
 * a video of their faces as the camera: Aoife, Conor and a stranger, each followed by an empty
 * picture so every screen shows (DEMO_CAMERA in tests/support/demo-world.ts). Admin PIN: 135790.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createKioskApp } from '../src/main/app/create-kiosk-app';
import { startBridgeServer } from '../src/main/bridge/bridge-server';
import { TOKEN_SECRET } from '../src/main/lifecycle/kiosk-services';
import { plainCipher } from '../src/main/secrets/secret-store';
import { DEMO_CAMERA, demoCameraVideo, startDemoWorld } from '../tests/support/demo-world';

const ROOT = path.resolve(__dirname, '..');
/** Six digits: the kiosk asks for at least six for a new PIN. */
const DEMO_PIN = '135790';

async function main(): Promise<void> {
  const useElectron = process.argv.includes('--electron');
  const world = await startDemoWorld({ soketi: true });
  const video = await demoCameraVideo();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotelmate-demo-'));
  const config = { ...world.kioskConfig(), camera: { device: `file:${video}` } };

  // Prepare the kiosk's data folder: config, token, PIN and enrolled staff.
  const app = await createKioskApp({
    dataDir,
    cipher: plainCipher,
    modelsDir: path.join(ROOT, 'models'),
    versions: { app: 'demo', node: process.versions.node },
    consoleLogLevel: useElectron ? null : 'info',
    exit: () => void shutdown(),
    configPatch: config,
  });
  // The PIN first: once the kiosk holds a token, a PIN can no longer be created without one.
  const pinSet = await app.admin.setPin(DEMO_PIN);
  if (!pinSet.ok) throw new Error(`could not set the demo PIN: ${pinSet.error.message}`);
  app.secrets.set(TOKEN_SECRET, world.token);
  await world.enrol(app);

  const people = world.people.map((p) => `  ${p.enrolled ? 'enrolled' : 'stranger'}  ${p.firstName} ${p.lastName} (${p.departmentName}${p.rostered ? ', rostered today' : ', no shift'})`).join('\n');
  console.log(`\nHotelMate demo\n  HotelMate test double: ${world.apiBaseUrl}\n  soketi: 127.0.0.1:${world.soketi?.port}\n  kiosk data: ${dataDir}\n  admin PIN: ${DEMO_PIN}\n${people}\n`);
  const loop = DEMO_CAMERA.people.length * (DEMO_CAMERA.faceSeconds + DEMO_CAMERA.gapSeconds);
  console.log(
    `The camera shows Aoife (rostered: greeted), Conor (no shift: Clock In asks for a reason), then a stranger (not recognised), ` +
      `each for ${DEMO_CAMERA.faceSeconds} s with ${DEMO_CAMERA.gapSeconds} s of empty picture after, on a ${loop} s loop.`,
  );
  console.log('Type o + Enter to take HotelMate offline (every request dropped), o + Enter again to bring it back.');
  console.log(`Ctrl+C${useElectron ? ' (or closing the kiosk window)' : ''} stops the demo: the test double and soketi stop and the demo data folder is deleted.`);
  let offline = false;
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (line: string) => {
    if (line.trim() !== 'o') return;
    offline = !offline;
    if (offline) world.double.faults.dropConnection({ when: 'before', times: Infinity });
    else world.double.faults.clear();
    console.log(offline ? 'HotelMate is now OFFLINE: punches are saved on the kiosk and wait.' : 'HotelMate is back ONLINE: waiting punches sync.');
  });

  let child: ReturnType<typeof spawn> | null = null;
  if (useElectron) {
    // The kiosk itself runs in Electron on the prepared data folder; this process keeps the world up.
    await app.stop();
    const electron = path.join(ROOT, 'node_modules/.bin/electron');
    child = spawn(electron, [ROOT, `--data-dir=${dataDir}`], { stdio: 'inherit', env: { ...process.env } });
    child.on('exit', () => void shutdown());
  } else {
    await app.start();
    const bridge = await startBridgeServer({ router: app.router, events: app.events, logger: app.logger, rendererDir: path.join(ROOT, 'out/renderer') });
    console.log(`Open in Chromium:\n\n  ${bridge.pageUrl}\n`);
  }

  async function shutdown(): Promise<void> {
    child?.kill();
    if (!useElectron) await app.stop().catch(() => undefined);
    await world.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  }
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
