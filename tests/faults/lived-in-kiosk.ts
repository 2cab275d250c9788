/**
 * A kiosk that has been in use, for the fault suite: the real createKioskApp on a real data folder
 * with a PIN, a signed-in token, an enrolled face, punches in its SQLite ledger and a backup, then
 * shut down. The suite damages its files and starts it again.
 */
import path from 'node:path';
import { expect } from 'vitest';
import { createKioskApp, type KioskApp, type KioskAppOptions } from '../../src/main/app/create-kiosk-app';
import { punchIds } from '../support/punch-data';
import { TOKEN_SECRET } from '../../src/main/lifecycle/kiosk-services';
import { plainCipher } from '../../src/main/secrets/secret-store';
import type { KioskInfo } from '../../src/shared/domain/types';
import { makeTempDir } from '../support/temp-dir';

export const MODELS_DIR = path.resolve(__dirname, '../../models');
export const PIN = '246813';
export const TOKEN = 'a'.repeat(40);
/** A port nothing listens on: HotelMate is unreachable, punches stay pending (offline kiosk). */
export const HOTEL_CONFIG = { hotel: { slug: 'hotel-killarney', name: 'Killarney' }, api: { baseUrl: 'http://127.0.0.1:9/api' } };

export interface LivedInKiosk {
  dataDir: string;
  kioskId: string;
  /** Every punch saved, oldest first. */
  punches: string[];
  /** Restarts counted by the relaunch callback (the problem screen's actions). */
  relaunches: number;
}

/** Builds (and starts) the kiosk on a data folder; `options` override the test defaults. */
export async function startKiosk(dataDir: string, options: Partial<KioskAppOptions> & { onRelaunch?: () => void } = {}): Promise<KioskApp> {
  const app = await createKioskApp({
    dataDir,
    cipher: plainCipher,
    modelsDir: MODELS_DIR,
    versions: { app: 'fault-suite' },
    consoleLogLevel: null,
    exit: () => undefined,
    relaunch: options.onRelaunch,
    backup: { firstDelayMs: 3_600_000 },
    ...options,
  });
  await app.start();
  return app;
}

/** Records one real punch through the clock service (a clock-in of a new person), as the screen does after a recognition. */
export function punch(app: KioskApp, staffId: number): string {
  const clockService = app.services.clockService();
  if (!clockService) throw new Error('no clock service: punching is refused');
  const result = clockService.punch({
    staffId,
    action: 'clock_in',
    match: { staffId, distance: 0.3, secondBestDistance: null, model: 'faceapi-128', liveDescriptor: new Float32Array(128).fill(0.02), liveness: null, spoofSuspected: false },
    flagged: false,
  });
  if (!result.ok) throw new Error(`punch refused: ${result.error.message}`);
  return result.eventId;
}

/** The kiosk as it is after some days of use, shut down cleanly (its last backup holds every punch). */
export async function livedInKiosk(): Promise<LivedInKiosk> {
  const dataDir = makeTempDir('fault-kiosk-');
  const app = await startKiosk(dataDir, { configPatch: HOTEL_CONFIG });
  expect((await app.admin.setPin(PIN)).ok).toBe(true);
  app.secrets.set(TOKEN_SECRET, TOKEN);
  await app.services.rebuild();
  app.face.templates.saveEnrolment({
    consent: { staffId: 7, consentText: 'I agree', givenAt: '2026-03-01T08:00:00.000Z', recordedBy: 'manager' },
    templates: [{ descriptor: new Float32Array(128).fill(0.05), source: 'enrolment', quality: 0.9 }],
  });
  for (let staffId = 100; staffId < 103; staffId += 1) punch(app, staffId);
  await app.backup?.runNow();
  for (let staffId = 103; staffId < 105; staffId += 1) punch(app, staffId);
  const punches = punchIds(app.db);
  const kioskId = app.config.get().kiosk.id;
  await app.stop();
  return { dataDir, kioskId, punches, relaunches: 0 };
}

/** The kiosk's state channel as the screens read it. */
export async function kioskInfo(app: KioskApp): Promise<KioskInfo> {
  return (await app.router.dispatch('app:info', [])) as KioskInfo;
}

/**
 * No door opened: the admin area stays locked with a PIN in force; a locked kiosk refuses the
 * attacker's moves (point the API at another server, set a new PIN, exit).
 */
export async function expectNoAdminBypass(app: KioskApp): Promise<void> {
  expect(app.admin.status()).toMatchObject({ pinSet: true, unlocked: false });
  await expect(app.router.dispatch('config:update', [{ api: { baseUrl: 'https://attacker.example/api' } }])).rejects.toMatchObject({ code: 'forbidden' });
  await expect(app.router.dispatch('app:exit', [])).rejects.toMatchObject({ code: 'forbidden' });
  expect(await app.router.dispatch('admin:setPin', ['999999'])).toMatchObject({ ok: false, error: { code: 'not_allowed' } });
  expect(app.config.get().api.baseUrl).not.toMatch(/attacker/);
}
