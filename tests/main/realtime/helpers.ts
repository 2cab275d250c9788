/**
 * Shared pieces of the realtime tests: a recording ClockService fake, config for a local soketi,
 * and a kiosk (real clock service on a SQLite file, realtime service) talking to the HotelMate double.
 */
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, vi } from 'vitest';
import { startSoketi, type SoketiHandle } from '../../support/soketi/soketi';
import { kioskConfigSchema, type KioskConfig } from '../../../src/shared/config/schema';
import { openDatabase } from '../../../src/main/db/database';
import { upsertStaff } from '../../../src/main/db/reference';
import { createHotelMateClient } from '../../../src/main/hotelmate/client';
import { systemClock } from '../../../src/main/lib/clock';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { createRealtimeService, type RealtimeService } from '../../../src/main/realtime/realtime-service';
import { createClockService, type ClockService } from '../../../src/main/sync/clock-service';
import type { HotelMateDouble, KillarneyWorld } from '../../support/hotelmate-double';
import { makeTempDir } from '../../support/temp-dir';
import type { ServerStatusUpdate } from '../../../src/shared/domain/types';
import type { RealtimeState } from '../../../src/shared/domain/types';

export const SLUG = 'hotel-killarney';

/**
 * Records what the realtime service asks of the clock service (a re-read answers off duty, as of
 * now). Everybody is known unless listed in `unknown`.
 */
export function recordingClockService(options: { unknown?: number[] } = {}): Pick<ClockService, 'applyServerStatus' | 'catchUp' | 'refreshStatus' | 'staff'> & {
  statuses: ServerStatusUpdate[];
  catchUps: string[];
  reReads: number[];
} {
  const statuses: ServerStatusUpdate[] = [];
  const catchUps: string[] = [];
  const reReads: number[] = [];
  const unknown = new Set(options.unknown ?? []);
  return {
    statuses,
    catchUps,
    reReads,
    staff: (staffId) => (unknown.has(staffId) ? null : { id: staffId, name: `Staff ${staffId}`, department: null, photoUrl: null }),
    applyServerStatus: (update) => {
      statuses.push(update);
    },
    catchUp: async (reason) => {
      catchUps.push(reason);
    },
    refreshStatus: async (staffId) => {
      reReads.push(staffId);
      const now = new Date().toISOString();
      return { staffId, status: 'off_duty', breakStartedAt: null, pendingPunches: 0, updatedAt: now, onDutySince: null, freshness: { source: 'live', asOf: now } };
    },
  };
}

export function soketiConfig(server: { port: number; key: string }, patch: { privateChannels?: boolean; apiBaseUrl?: string } = {}): KioskConfig {
  return kioskConfigSchema.parse({
    hotel: { slug: SLUG, name: 'Hotel Killarney' },
    api: { baseUrl: patch.apiBaseUrl ?? 'http://127.0.0.1:9/api', timeoutMs: 2000 },
    pusher: { enabled: true, key: server.key, host: '127.0.0.1', port: server.port, useTLS: false, privateChannels: patch.privateChannels ?? false },
  });
}

/** Resolves when the service reaches the state (rejects after timeoutMs). */
export function waitForState(service: RealtimeService, wanted: RealtimeState, timeoutMs = 15000): Promise<void> {
  if (service.state() === wanted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`state stayed ${service.state()}, wanted ${wanted}`));
    }, timeoutMs);
    const off = service.onState((state) => {
      if (state !== wanted) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

/**
 * A kiosk for the double's Killarney hotel: the real clock service (SQLite file, a client for the
 * double) fed by the realtime service on soketi, started (the clock service only with `startClock`)
 * and connected. Its stop is pushed onto `cleanup`.
 */
export async function kioskOnDouble(options: {
  soketi: { port: number; key: string };
  double: HotelMateDouble;
  world: KillarneyWorld;
  cleanup: (() => Promise<void>)[];
  startClock?: boolean;
}): Promise<{ clockService: ClockService; realtime: RealtimeService; catchUpsDone: () => number; logger: ReturnType<typeof createMemoryLogger> }> {
  const { double, world } = options;
  const logger = createMemoryLogger();
  const config = soketiConfig(options.soketi, { apiBaseUrl: double.apiBaseUrl });
  const db = openDatabase({ file: path.join(makeTempDir('kiosk-realtime-'), 'kiosk.db') });
  const client = createHotelMateClient({ baseUrl: double.apiBaseUrl, hotelSlug: world.hotelSlug, getToken: () => world.manager.token, timeoutMs: 3000, logger });
  const clockService = createClockService({ db, client, clock: systemClock, logger, config, kioskId: 'lobby' });
  // Counts finished catch-ups, so a test can wait until the answers read after a connect have landed.
  let catchUpsDone = 0;
  const counted: Pick<ClockService, 'applyServerStatus' | 'catchUp' | 'refreshStatus' | 'staff'> = {
    applyServerStatus: (update) => clockService.applyServerStatus(update),
    staff: (staffId) => clockService.staff(staffId),
    refreshStatus: (staffId, budgetMs) => clockService.refreshStatus(staffId, budgetMs),
    catchUp: async (reason) => {
      try {
        return await clockService.catchUp(reason);
      } finally {
        catchUpsDone += 1;
      }
    },
  };
  const realtime = createRealtimeService({ config, logger, clock: systemClock, clockService: counted });
  options.cleanup.push(async () => {
    await realtime.stop();
    await clockService.stop();
    db.close();
  });
  if (options.startClock) await clockService.start();
  await realtime.start();
  await waitForState(realtime, 'connected');
  return { clockService, realtime, catchUpsDone: () => catchUpsDone, logger };
}

/** The staff ids the offline kiosk knows from an earlier staff list (the recorded events name 2 and 3; the tests use up to 12). */
const OFFLINE_KIOSK_STAFF = Array.from({ length: 12 }, (_, i) => i + 1);

/**
 * A kiosk offline from the API (no HotelMate client: punches stay pending, re-reads answer the
 * last known status) fed by the realtime service on soketi, connected and past its first catch-up.
 * It knows staff 1-12 from a staff list read before HotelMate went out of reach.
 */
export async function offlineKiosk(
  soketi: { port: number; key: string },
  cleanup: (() => Promise<void>)[],
): Promise<{ clockService: ClockService; realtime: RealtimeService; logger: ReturnType<typeof createMemoryLogger> }> {
  const logger = createMemoryLogger();
  const config = soketiConfig(soketi);
  const db = openDatabase({ file: path.join(makeTempDir('kiosk-realtime-'), 'kiosk.db') });
  const listedAt = new Date().toISOString();
  for (const id of OFFLINE_KIOSK_STAFF) {
    upsertStaff(db, { id, name: `Staff ${id}`, department: null, departmentSlug: null, photoUrl: null, isActive: true, accessLevel: null, roleSlug: null }, listedAt);
  }
  const clockService = createClockService({ db, client: null, clock: systemClock, logger, config, kioskId: 'lobby' });
  const realtime = createRealtimeService({ config, logger, clock: systemClock, clockService });
  cleanup.push(async () => {
    await realtime.stop();
    await clockService.stop();
    db.close();
  });
  await realtime.start();
  await waitForState(realtime, 'connected');
  await vi.waitFor(() => expect(realtime.stats().catchUps).toBeGreaterThan(0), { timeout: 10000 });
  return { clockService, realtime, logger };
}

/**
 * One soketi for a test file (started before its tests, stopped after them) and the cleanup list
 * each test pushes its kiosk's stop onto, run after every test.
 */
export function soketiPerFile(): { soketi: SoketiHandle; cleanup: (() => Promise<void>)[] } {
  const env = { soketi: null as unknown as SoketiHandle, cleanup: [] as (() => Promise<void>)[] };
  beforeAll(async () => {
    env.soketi = await startSoketi();
  });
  afterAll(async () => {
    await env.soketi?.stop();
  });
  afterEach(async () => {
    while (env.cleanup.length > 0) await env.cleanup.pop()?.();
  });
  return env;
}
