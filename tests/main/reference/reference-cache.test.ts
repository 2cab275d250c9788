import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/main/lib/clock';
import { openDatabase, type WritableDB } from '../../../src/main/db/database';
import { createHotelMateClient } from '../../../src/main/hotelmate/client';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { createReferenceCache } from '../../../src/main/reference/reference-cache';
import { createHotelMateDouble, createManualClock, type HotelMateDouble } from '../../support/hotelmate-double';
import { makeTempDir } from '../../support/temp-dir';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function setup(start: string) {
  const manual = createManualClock(start);
  const clock: Clock = { now: manual.now, monotonicMs: () => 0 };
  const double: HotelMateDouble = await createHotelMateDouble({ clock: manual });
  const world = double.seed.killarney({ aoifeShift: { start: '22:00', end: '02:00' } });
  const file = path.join(makeTempDir(), 'kiosk.db');
  let db: WritableDB = openDatabase({ file });
  const logger = createMemoryLogger();
  const client = createHotelMateClient({ baseUrl: double.apiBaseUrl, hotelSlug: world.hotelSlug, getToken: () => world.manager.token, timeoutMs: 2000, logger });
  cleanups.push(async () => {
    db.close();
    await double.close();
  });
  return {
    manual,
    double,
    world,
    clock,
    client,
    logger,
    cache: () => createReferenceCache({ db, client, clock, logger }),
    reopen: () => {
      db.close();
      db = openDatabase({ file });
      return createReferenceCache({ db, client: null, clock, logger });
    },
  };
}

describe('reference cache', () => {
  it('caches staff, shifts, statuses and face config, and serves them offline after a restart', async () => {
    const s = await setup('2026-05-11T23:00:00Z');
    s.double.seed.clockLog({ staffId: s.world.conor.id, timeIn: '2026-05-11T20:00:00Z' });
    const report = await s.cache().refresh();
    expect(report.errors).toEqual([]);
    expect(report.staff).toBe(4);

    const offline = s.reopen(); // no client at all: a restart without network
    expect(offline.staff(s.world.aoife.id)).toMatchObject({ name: 'Aoife Murphy', department: 'Front Office', isActive: true });
    expect(offline.serverStatus(s.world.conor.id)).toMatchObject({ status: 'on_duty', source: 'poll' });
    expect(offline.serverStatus(s.world.aoife.id)?.status).toBe('off_duty');
    expect(offline.faceConfig()?.faceAttendanceEnabled).toBe(true);
    expect(offline.todayShift(s.world.aoife.id)).toMatchObject({ date: '2026-05-11', start: '22:00', end: '02:00' });
  });

  it('uses the backend UTC date: an overnight shift is still "today" after UTC midnight', async () => {
    const s = await setup('2026-05-11T23:00:00Z');
    const cache = s.cache();
    await cache.refresh();
    s.manual.set('2026-05-12T01:30:00Z');
    expect(cache.todayShift(s.world.aoife.id)).toMatchObject({ date: '2026-05-11', start: '22:00', end: '02:00' });
    s.manual.set('2026-05-12T02:30:00Z');
    expect(cache.todayShift(s.world.aoife.id)).toBeNull();
    expect(cache.todayShift(s.world.conor.id)).toBeNull();
  });

  it('keeps the cached copy and says why when a refresh fails', async () => {
    const s = await setup('2026-05-11T12:00:00Z');
    const cache = s.cache();
    await cache.refresh();
    s.double.faults.dropConnection({ when: 'before', times: Infinity });
    const report = await cache.refresh();
    expect(report.errors[0]).toMatch(/^staff list: network/);
    expect(cache.staff(s.world.conor.id)?.name).toBe("Conor O'Sullivan");
  });

  it('never lets an older status overwrite a newer one', async () => {
    const s = await setup('2026-05-11T12:00:00Z');
    const cache = s.cache();
    expect(cache.recordServerStatus({ staffId: 7, status: 'on_break', breakStartedAt: '2026-05-11T11:55:00Z', observedAt: '2026-05-11T12:00:00Z', source: 'realtime' })).toBe(true);
    expect(cache.recordServerStatus({ staffId: 7, status: 'on_duty', breakStartedAt: null, observedAt: '2026-05-11T11:59:00Z', source: 'poll' })).toBe(false);
    expect(cache.serverStatus(7)).toMatchObject({ status: 'on_break', breakStartedAt: '2026-05-11T11:55:00Z' });
  });

  it('an API answer outranks a realtime event stamped up to 5 s after it (HotelMate\'s clock a little ahead); later events still win', async () => {
    const s = await setup('2026-05-11T12:00:00Z');
    const cache = s.cache();
    expect(cache.recordServerStatus({ staffId: 7, status: 'on_break', breakStartedAt: '2026-05-11T12:00:04Z', observedAt: '2026-05-11T12:00:04Z', source: 'realtime' })).toBe(true);
    // The staff detail read sent at 12:00:00 (kiosk time) says on duty: it outranks the event 4 s "later".
    expect(cache.recordServerStatus({ staffId: 7, status: 'on_duty', breakStartedAt: null, observedAt: '2026-05-11T12:00:00Z', source: 'api' })).toBe(true);
    expect(cache.serverStatus(7)).toMatchObject({ status: 'on_duty', source: 'api' });
    // Not an answer from before the skew, and not one realtime event over another older one.
    expect(cache.recordServerStatus({ staffId: 8, status: 'on_break', breakStartedAt: null, observedAt: '2026-05-11T12:00:06Z', source: 'realtime' })).toBe(true);
    expect(cache.recordServerStatus({ staffId: 8, status: 'on_duty', breakStartedAt: null, observedAt: '2026-05-11T12:00:00Z', source: 'api' })).toBe(false);
    expect(cache.recordServerStatus({ staffId: 7, status: 'off_duty', breakStartedAt: null, observedAt: '2026-05-11T11:59:59Z', source: 'realtime' })).toBe(false);
    expect(cache.recordServerStatus({ staffId: 7, status: 'off_duty', breakStartedAt: null, observedAt: '2026-05-11T12:00:01Z', source: 'realtime' })).toBe(true);
  });

  it('readStatus() reads one person\'s status from the staff detail, stamped when the request was sent, and records nothing', async () => {
    const s = await setup('2026-05-11T12:00:00Z');
    const cache = s.cache();
    s.double.webApp.clockIn(s.world.conor.id, { reason: 'Cover' });
    const read = await cache.readStatus(s.world.conor.id);
    expect(read).toEqual({
      ok: true,
      update: { staffId: s.world.conor.id, status: 'on_duty', breakStartedAt: null, observedAt: '2026-05-11T12:00:00.000Z', source: 'api', name: "Conor O'Sullivan", department: 'Housekeeping' },
    });
    expect(cache.serverStatus(s.world.conor.id)).toBeNull();
    s.double.faults.rejectToken(s.world.manager.token);
    expect(await cache.readStatus(s.world.conor.id)).toEqual({ ok: false, error: 'staff detail: HTTP 401: Invalid token.' });
  });
});
