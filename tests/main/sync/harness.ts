/** Wires a real ClockService (real SQLite file) to a real HotelMate double on 127.0.0.1, sharing one settable clock. */
import crypto from 'node:crypto';
import path from 'node:path';
import { afterEach } from 'vitest';
import { defaultConfig } from '../../../src/shared/config/schema';
import type { ClockAction } from '../../../src/shared/domain/types';
import type { Clock } from '../../../src/main/lib/clock';
import type { FaceMatch } from '../../../src/main/face/face-types';
import { openDatabase, type WritableDB } from '../../../src/main/db/database';
import { createHotelMateClient } from '../../../src/main/hotelmate/client';
import { createDescriptorCipher } from '../../../src/main/ledger/descriptor-cipher';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { createClockService, type ClockService } from '../../../src/main/sync/clock-service';
import type { SyncOptions } from '../../../src/main/sync/sync-engine';
import { createHotelMateDouble, createManualClock, type HotelMateDouble, type KillarneyWorld, type ManualClock } from '../../support/hotelmate-double';
import { type AnsweringProxy, startAnsweringProxy } from '../../support/answering-proxy';
import { makeTempDir } from '../../support/temp-dir';

export interface Harness {
  double: HotelMateDouble;
  world: KillarneyWorld;
  clock: ManualClock & Clock;
  service: ClockService;
  db: WritableDB;
  dbFile: string;
  logger: ReturnType<typeof createMemoryLogger>;
  punch(staffId: number, action: ClockAction, encoding: readonly number[], reason?: string): ReturnType<ClockService['punch']>;
  /** Sends everything due; advances the clock past backoff first. */
  sync(): Promise<void>;
  /** Requests that reached the double, as short endpoint names (face-clock-in, toggle-break...). */
  endpoints(): string[];
  /** Rebuilds the service over the same database file (a kiosk restart). */
  restart(): ClockService;
  /** Moves only the kiosk's wall clock (an NTP correction, a dead RTC battery); its monotonic clock and HotelMate's clock stay. */
  jumpKioskWall(ms: number): void;
  /** The proxy between the kiosk and the double, when asked for (`proxy: true`). */
  proxy: AnsweringProxy | null;
}

/** Punch-related requests that reached the double, as short endpoint names (face-clock-in, toggle-break, staff-detail...). */
export function punchEndpoints(double: HotelMateDouble): string[] {
  return double.state
    .requests()
    .filter((r) => r.path.includes('/face-management/') || r.path.includes('/staff/hotel-killarney/'))
    .map((r) => (r.path.includes('/face-management/') ? r.path.split('/face-management/')[1].replace(/\/$/, '') : 'staff-detail'));
}

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()?.close();
});

export interface HarnessOptions {
  start?: string;
  aoifeShift?: { start: string; end: string };
  sync?: Partial<SyncOptions>;
  /** Put an answering proxy (tests/support/answering-proxy) between the kiosk and the double. */
  proxy?: boolean;
  /** The client's request timeout (default 3000 ms). */
  timeoutMs?: number;
  /** The status poll interval (default: the service's 60 s). */
  statusPollMs?: number;
  /** How long a punch is held for its undo (default 0: sendable at once). */
  undoWindowMs?: number;
}

export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const manual = createManualClock(options.start ?? '2026-05-11T10:00:00Z');
  // Monotonic time moves with the manual clock (retries are scheduled on it), and a hair on every read.
  const startMs = manual.now().getTime();
  let mono = 0;
  const clock: ManualClock & Clock = Object.assign(manual, { monotonicMs: () => manual.now().getTime() - startMs + (mono += 0.001) });
  let kioskWallOffsetMs = 0;
  const kioskClock: Clock = { now: () => new Date(manual.now().getTime() + kioskWallOffsetMs), monotonicMs: () => clock.monotonicMs() };
  const double = await createHotelMateDouble({ clock });
  const world = double.seed.killarney({ aoifeShift: options.aoifeShift });
  const dbFile = path.join(makeTempDir('kiosk-sync-'), 'kiosk.db');
  const db = openDatabase({ file: dbFile });
  const logger = createMemoryLogger();
  const proxy = options.proxy ? await startAnsweringProxy(double.apiBaseUrl) : null;
  const apiBaseUrl = proxy?.apiBaseUrl ?? double.apiBaseUrl;
  const config = defaultConfig();
  config.hotel.slug = world.hotelSlug;
  config.api.baseUrl = apiBaseUrl;
  const client = createHotelMateClient({ baseUrl: apiBaseUrl, hotelSlug: world.hotelSlug, getToken: () => world.manager.token, timeoutMs: options.timeoutMs ?? 3000, logger });
  const key = crypto.randomBytes(32);
  const built: ClockService[] = [];
  const build = (): ClockService => {
    const next = createClockService({
      db,
      client,
      clock: kioskClock,
      logger,
      config,
      kioskId: 'lobby',
      descriptorCipher: createDescriptorCipher(key),
      statusPollMs: options.statusPollMs,
      undoWindowMs: options.undoWindowMs,
      // Compressed like the backoff: one harness sync (10 s) is past a late-write wait unless a test asks for the real one.
      sync: { baseDelayMs: 1000, maxDelayMs: 4000, lateWriteMs: 4000, random: () => 0.5, probeIntervalMs: 3_600_000, ...options.sync },
    });
    built.push(next);
    return next;
  };
  let service = build();
  const harness: Harness = {
    double,
    world,
    clock,
    get service() {
      return service;
    },
    db,
    dbFile,
    logger,
    punch(staffId, action, encoding, reason) {
      const match: FaceMatch = {
        staffId,
        distance: 0.3,
        secondBestDistance: null,
        model: 'faceapi-128',
        liveDescriptor: Float32Array.from(encoding),
        liveness: null,
        spoofSuspected: false,
      };
      return service.punch({ staffId, action, match, flagged: false, reason });
    },
    async sync() {
      clock.advance(10_000);
      await service.sync.drainOnce();
    },
    endpoints: () => punchEndpoints(double),
    proxy,
    jumpKioskWall(ms) {
      kioskWallOffsetMs += ms;
    },
    restart() {
      service = build();
      return service;
    },
  };
  open.push({
    close: async () => {
      for (const each of built) await each.stop();
      db.close();
      await proxy?.close();
      await double.close();
    },
  });
  return harness;
}
