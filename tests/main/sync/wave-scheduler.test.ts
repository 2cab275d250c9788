/**
 * The wave scheduler over a real ledger (SQLite file) with a hand-driven clock and timers: who is
 * due, one person strictly in order, waves of `concurrency`, backoff with jitter, the lone trial
 * while offline, the probe that brings HotelMate back, and the pause after a refused account.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClockAction } from '../../../src/shared/domain/types';
import { openDatabase, type WritableDB } from '../../../src/main/db/database';
import type { ApiOutcome } from '../../../src/main/hotelmate/client';
import { createLedger, type Ledger, type LedgerEvent } from '../../../src/main/ledger/ledger-store';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { createSyncStatus, type SyncStatus } from '../../../src/main/sync/sync-status';
import { createScheduleTime, createWaveScheduler, retryDelayMs, type SchedulePolicy, type WaveScheduler } from '../../../src/main/sync/wave-scheduler';
import { createFakeClock, type FakeClock } from '../../support/fake-clock';
import { makeTempDir } from '../../support/temp-dir';

const POLICY: SchedulePolicy = { concurrency: 2, baseDelayMs: 1_000, maxDelayMs: 8_000, lateWriteMs: 60_000, probeIntervalMs: 30_000, random: () => 1 };

const START = new Date('2026-05-11T10:00:00Z');

type Answer = 'synced' | 'unreachable' | 'refused';

interface World {
  clock: FakeClock;
  /** The scheduler's clock for due times (monotonic), shared with the stand-in transport. */
  scheduleTime: () => number;
  ledger: Ledger;
  status: SyncStatus;
  scheduler: WaveScheduler;
  /** Each wave sent, as `staffId:action` per punch. */
  waves: string[][];
  /** Clock time (ms since the start) of each wave. */
  sentAt: number[];
  probes: number;
  /** How the next waves are answered (default: synced). */
  answer: Answer;
  probeAnswer: ApiOutcome<unknown>;
  punch(staffId: number, action?: ClockAction): LedgerEvent;
  /** Moves the clock and the timers together, letting the loop run. */
  pass(ms: number): Promise<void>;
}

const dbs: WritableDB[] = [];
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
});
afterEach(async () => {
  await Promise.all(worlds.splice(0).map((w) => w.scheduler.stop()));
  vi.useRealTimers();
  while (dbs.length > 0) dbs.pop()?.close();
});
const worlds: World[] = [];

function world(policy: SchedulePolicy = POLICY): World {
  const clock = createFakeClock(START);
  const logger = createMemoryLogger();
  const db = openDatabase({ file: path.join(makeTempDir('kiosk-scheduler-'), 'kiosk.db') });
  dbs.push(db);
  const ledger = createLedger({ db, clock, logger, kioskId: 'lobby' });
  const status = createSyncStatus(true, logger);
  const scheduleTime = createScheduleTime(clock);
  const w: World = {
    clock,
    scheduleTime,
    ledger,
    status,
    scheduler: null as unknown as WaveScheduler,
    waves: [],
    sentAt: [],
    probes: 0,
    answer: 'synced',
    probeAnswer: { ok: false, kind: 'network', message: 'ECONNREFUSED' },
    punch: (staffId, action = 'clock_in') => ledger.append({ staffId, action }),
    async pass(ms) {
      // In 50 ms steps, so timers fire at the clock time they were set for.
      for (let left = ms; left > 0; left -= 50) {
        const step = Math.min(50, left);
        clock.advance(step);
        await vi.advanceTimersByTimeAsync(step);
      }
      await vi.advanceTimersByTimeAsync(0);
    },
  };
  /** Stands in for the punch wave: claims, answers as told, records like the real one. */
  const sendWave = async (events: LedgerEvent[]): Promise<void> => {
    w.waves.push(events.map((e) => `${e.staffId}:${e.action}`));
    w.sentAt.push(clock.now().getTime() - START.getTime());
    ledger.atomically(() => events.forEach((e) => ledger.markSending(e.seq)));
    await Promise.resolve();
    for (const event of events) {
      if (w.answer === 'synced') {
        status.observe({ ok: true, status: 200, data: {} });
        ledger.markSynced(event.seq, { serverAction: 'ok', response: {}, syncedAt: clock.now() });
      } else if (w.answer === 'unreachable') {
        status.observe({ ok: false, kind: 'network', message: 'ECONNREFUSED' });
        ledger.markRetry(event.seq, 'unreachable', scheduleTime() + retryDelayMs(event.attempts + 1, policy));
      } else {
        ledger.markBlocked(event.seq, 'refused', 0);
        w.scheduler.pauseUntilProbe('HotelMate refused the kiosk account (401): Invalid token.');
      }
    }
  };
  const probe = async (): Promise<ApiOutcome<unknown>> => {
    w.probes += 1;
    status.observe(w.probeAnswer);
    return w.probeAnswer;
  };
  w.scheduler = createWaveScheduler<LedgerEvent>({ queue: ledger, status, clock, logger, policy, scheduleTime, transport: { sendWave, probe } });
  worlds.push(w);
  return w;
}

describe('retryDelayMs', () => {
  it('doubles from the base delay up to the cap, jittered to between half and all of it', () => {
    const at = (random: number) => [1, 2, 3, 4, 5, 9].map((attempts) => retryDelayMs(attempts, { ...POLICY, random: () => random }));
    expect(at(1)).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
    expect(at(0)).toEqual([500, 1_000, 2_000, 4_000, 4_000, 4_000]);
  });
});

describe('wave scheduler: who is due', () => {
  it('sends waves of `concurrency` different people, each person strictly in order', async () => {
    const w = world();
    w.punch(1, 'clock_in');
    w.punch(1, 'start_break');
    w.punch(2);
    w.punch(3);
    w.punch(4);
    await w.scheduler.drainOnce();
    expect(w.waves).toEqual([['1:clock_in', '2:clock_in'], ['1:start_break', '3:clock_in'], ['4:clock_in']]);
    expect(w.ledger.counts()).toMatchObject({ pending: 0, synced: 5 });
  });

  it('a failed punch waits for its backoff, and holds back the same person’s later punches meanwhile', async () => {
    const w = world();
    w.answer = 'unreachable';
    w.punch(1, 'clock_in');
    w.punch(1, 'start_break');
    await w.scheduler.drainOnce();
    expect(w.waves).toEqual([['1:clock_in']]);
    w.answer = 'synced';
    w.status.update({ api: 'online', message: null });
    w.clock.advance(999);
    await w.scheduler.drainOnce();
    expect(w.waves).toHaveLength(1); // the first retry comes after 1 s (random 1 = no jitter off)
    w.clock.advance(1);
    await w.scheduler.drainOnce();
    expect(w.waves.slice(1)).toEqual([['1:clock_in'], ['1:start_break']]);
  });
});

describe('wave scheduler: offline and back', () => {
  it('while offline only lone trial punches go out, each on its backoff', async () => {
    const w = world();
    w.status.update({ api: 'offline', message: 'HotelMate unreachable (ECONNREFUSED)' });
    w.answer = 'unreachable';
    for (const staffId of [1, 2, 3, 4, 5]) w.punch(staffId);
    w.scheduler.start();
    await w.pass(0);
    expect(w.waves).toEqual([['1:clock_in']]);
    await w.pass(20_000);
    expect(w.waves.every((wave) => wave.length === 1)).toBe(true);
    expect(new Set(w.waves.flat())).toEqual(new Set(['1:clock_in', '2:clock_in', '3:clock_in', '4:clock_in', '5:clock_in']));
    // One person's trials are spaced by the backoff: 1 s, 2 s, 4 s, 8 s (random 1 = the full delay).
    const first = w.sentAt.filter((_at, i) => w.waves[i]?.[0] === '1:clock_in');
    const gaps = first.slice(1).map((at, i) => at - first[i]!);
    expect(gaps.length).toBeGreaterThanOrEqual(4);
    [1_000, 2_000, 4_000, 8_000].forEach((backoff, i) => expect(gaps[i]).toBeGreaterThanOrEqual(backoff));
    expect(w.ledger.counts().pending).toBe(5);
    expect(w.status.get().api).toBe('offline');
  });

  it('the probe notices HotelMate back before any backoff ends, and everything waiting follows in full waves', async () => {
    const w = world({ ...POLICY, baseDelayMs: 120_000, maxDelayMs: 120_000 });
    w.status.update({ api: 'offline', message: 'HotelMate unreachable (ECONNREFUSED)' });
    w.answer = 'unreachable';
    for (const staffId of [1, 2, 3, 4, 5]) w.punch(staffId);
    w.scheduler.start();
    await w.pass(0);
    expect(w.probes).toBe(1); // the first contact at start
    await w.pass(POLICY.probeIntervalMs);
    expect(w.probes).toBe(2);
    // Each person's punch was tried once, alone, and now waits for its 120 s backoff.
    expect(w.waves).toEqual([['1:clock_in'], ['2:clock_in'], ['3:clock_in'], ['4:clock_in'], ['5:clock_in']]);
    expect(w.status.get().api).toBe('offline');

    // HotelMate answers the next probe (60 s, the trial's backoff ends at 120 s): everything becomes due at once.
    w.answer = 'synced';
    w.probeAnswer = { ok: true, status: 200, data: {} };
    await w.pass(POLICY.probeIntervalMs);
    expect(w.status.get().api).toBe('online');
    expect(w.waves.slice(5)).toEqual([['1:clock_in', '2:clock_in'], ['3:clock_in', '4:clock_in'], ['5:clock_in']]);
    expect(w.sentAt.slice(5)).toEqual([60_000, 60_000, 60_000]);
    expect(w.ledger.counts().pending).toBe(0);
  });

  it('a punch made while running is sent when the loop is nudged, without waiting for a timer', async () => {
    const w = world();
    w.probeAnswer = { ok: true, status: 200, data: {} };
    w.scheduler.start();
    await w.pass(0);
    w.punch(7);
    w.scheduler.nudge();
    await vi.advanceTimersByTimeAsync(0);
    expect(w.waves).toEqual([['7:clock_in']]);
  });

  it('stop() lets the wave in flight finish and sends nothing afterwards', async () => {
    const w = world();
    w.probeAnswer = { ok: true, status: 200, data: {} };
    w.punch(1);
    w.scheduler.start();
    const stopped = w.scheduler.stop();
    await vi.advanceTimersByTimeAsync(0);
    await stopped;
    w.punch(2);
    await w.pass(POLICY.probeIntervalMs * 3);
    expect(w.waves.flat()).not.toContain('2:clock_in');
    expect(w.ledger.counts().pending).toBeGreaterThanOrEqual(1);
  });
});

describe('wave scheduler: refused account', () => {
  it('a refusal pauses for one probe interval, then one trial punch; pause() holds until resume()', async () => {
    const w = world();
    w.answer = 'refused';
    w.punch(1);
    w.punch(2);
    await w.scheduler.drainOnce();
    expect(w.waves).toEqual([['1:clock_in', '2:clock_in']]);
    expect(w.status.get()).toMatchObject({ api: 'paused', message: 'HotelMate refused the kiosk account (401): Invalid token.' });
    expect(w.ledger.list({ limit: 10 }).map((e) => e.attempts)).toEqual([0, 0]); // a pause does not count as an attempt

    w.clock.advance(POLICY.probeIntervalMs - 1);
    await w.scheduler.drainOnce();
    expect(w.waves).toHaveLength(1);
    w.answer = 'synced';
    w.clock.advance(1);
    await w.scheduler.drainOnce();
    expect(w.waves.slice(1)).toEqual([['1:clock_in'], ['2:clock_in']]);
    expect(w.status.get().api).toBe('online');

    w.scheduler.pause('Signed out in Admin > Setup');
    w.punch(3);
    w.clock.advance(24 * 3_600_000);
    await w.scheduler.drainOnce();
    expect(w.waves).toHaveLength(3);
    w.scheduler.resume();
    await w.scheduler.drainOnce();
    expect(w.waves.at(-1)).toEqual(['3:clock_in']);
  });

  it('a refusal at the first contact pauses: a punch made then waits one probe interval', async () => {
    const w = world();
    w.probeAnswer = { ok: false, kind: 'http', status: 403, message: 'Face attendance is not enabled', body: {} };
    w.scheduler.start();
    await w.pass(0);
    expect(w.status.get()).toMatchObject({ api: 'paused', message: 'HotelMate refused the kiosk account (403): Face attendance is not enabled' });
    w.punch(1);
    w.scheduler.nudge();
    await w.pass(POLICY.probeIntervalMs - 1_000);
    expect(w.waves).toEqual([]);
    await w.pass(1_000);
    expect(w.waves).toEqual([['1:clock_in']]);
  });
});

describe('wave scheduler: retries on monotonic time', () => {
  it('a pending retry still goes out on time after the wall clock jumped back 2 h', async () => {
    const w = world();
    w.answer = 'unreachable';
    w.punch(1);
    w.scheduler.start();
    await w.pass(0);
    expect(w.waves).toEqual([['1:clock_in']]);
    // An NTP correction (or a dead RTC battery) puts the wall clock back two hours.
    w.clock.setWall(new Date(w.clock.now().getTime() - 2 * 3_600_000));
    w.answer = 'synced';
    w.probeAnswer = { ok: true, status: 200, data: {} };
    await w.pass(10 * 60_000);
    expect(w.waves.length).toBeGreaterThanOrEqual(2);
    expect(w.ledger.counts()).toMatchObject({ pending: 0, synced: 1 });
    // It went at its backoff (1 s), not two hours later.
    expect(w.sentAt[1]! - w.sentAt[0]!).toBeLessThan(0); // the wall clock says it was sent "before" the first attempt
  });

  it('due times left by an earlier run are brought forward at start, so a restart after a jump does not wait for them', async () => {
    const w = world();
    const event = w.punch(1);
    // The previous run set the retry on its own schedule clock, two hours ahead of this run's.
    w.ledger.markRetry(event.seq, 'unreachable', w.scheduleTime() + 2 * 3_600_000);
    w.probeAnswer = { ok: true, status: 200, data: {} };
    w.scheduler.start();
    await w.pass(POLICY.maxDelayMs + 1_000);
    expect(w.waves).toEqual([['1:clock_in']]);
    expect(w.ledger.counts().synced).toBe(1);
  });
});

describe('wave scheduler: a failing queue', () => {
  it('the background loop logs a queue that throws and tries again later; it never rejects', async () => {
    const w = world();
    w.probeAnswer = { ok: true, status: 200, data: {} };
    w.punch(1);
    let failing = true;
    const due = w.ledger.due.bind(w.ledger);
    const nextDueMs = w.ledger.nextDueMs.bind(w.ledger);
    // The database starts answering SQLITE_CORRUPT for the queue's reads.
    w.ledger.due = (...args) => {
      if (failing) throw Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
      return due(...args);
    };
    w.ledger.nextDueMs = () => {
      if (failing) throw Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
      return nextDueMs();
    };
    w.scheduler.start();
    await w.pass(5_000);
    expect(w.waves).toEqual([]);
    expect(w.status.get().lastError).toMatch(/could not read or write the punch ledger: database disk image is malformed/);
    failing = false;
    await w.pass(POLICY.probeIntervalMs);
    expect(w.waves).toEqual([['1:clock_in']]);
  });
});
