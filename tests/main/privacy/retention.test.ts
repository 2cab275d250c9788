import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type WritableDB } from '../../../src/main/db/database';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { createRetentionScheduler, type Timers } from '../../../src/main/privacy/retention';
import { createFakeClock, type FakeClock } from '../../support/fake-clock';

/** Timers driven by the fake clock: advancing time fires what is due, in order. */
function createFakeTimers(clock: FakeClock): Timers & { advance(ms: number): Promise<void>; pending(): number } {
  let next = 1;
  const due = new Map<number, { at: number; fn: () => void }>();
  return {
    setTimeout(fn, ms) {
      const id = next++;
      due.set(id, { at: clock.monotonicMs() + ms, fn });
      return id;
    },
    clearTimeout(handle) {
      due.delete(handle as number);
    },
    pending: () => due.size,
    async advance(ms) {
      const end = clock.monotonicMs() + ms;
      for (;;) {
        const [id, timer] = [...due.entries()].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
        if (id === undefined || timer === undefined || timer.at > end) break;
        clock.advance(timer.at - clock.monotonicMs());
        due.delete(id);
        timer.fn();
        await new Promise((resolve) => setImmediate(resolve));
      }
      clock.advance(end - clock.monotonicMs());
    },
  };
}

describe('retention purge scheduling', () => {
  let dir: string;
  let db: WritableDB;
  let clock: FakeClock;

  // A stand-in for the ledger (its own schema belongs to the ledger service): punches with a sync
  // state, and the purge ClockService.purgeSynced performs, reduced to its SQL.
  const addPunch = (id: string, occurredAt: Date, syncedAt: Date | null): void => {
    db.prepare('INSERT INTO punches (event_id, occurred_at, sync_state, synced_at) VALUES (?, ?, ?, ?)').run(
      id,
      occurredAt.toISOString(),
      syncedAt ? 'synced' : 'pending',
      syncedAt?.toISOString() ?? null,
    );
  };
  const purgeSynced = (days: number): number =>
    db
      .prepare(`DELETE FROM punches WHERE sync_state = 'synced' AND synced_at < ?`)
      .run(new Date(clock.now().getTime() - days * 86_400_000).toISOString()).changes;
  const ids = (): string[] => (db.prepare('SELECT event_id FROM punches ORDER BY seq').all() as { event_id: string }[]).map((r) => r.event_id);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retention-'));
    db = openDatabase({ file: path.join(dir, 'kiosk.db') });
    db.exec('CREATE TABLE punches (seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL, occurred_at TEXT NOT NULL, sync_state TEXT NOT NULL, synced_at TEXT) STRICT');
    clock = createFakeClock(new Date('2026-03-01T09:00:00Z'));
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('purges synced punches past the retention a minute after start and then once a day, never pending ones', async () => {
    const day = 86_400_000;
    const now = clock.now().getTime();
    addPunch('synced-100d', new Date(now - 100 * day), new Date(now - 100 * day));
    addPunch('synced-89d', new Date(now - 89 * day), new Date(now - 89 * day) );
    addPunch('pending-200d', new Date(now - 200 * day), null);
    addPunch('synced-today', new Date(now), new Date(now));
    const timers = createFakeTimers(clock);
    const calls: string[] = [];
    const scheduler = createRetentionScheduler({
      tasks: [{ name: 'synced-punches', run: () => { calls.push(clock.now().toISOString()); return purgeSynced(90); } }],
      clock,
      logger: createMemoryLogger(),
      timers,
    });
    scheduler.start();
    await timers.advance(59_000);
    expect(calls).toEqual([]);
    await timers.advance(1_000);
    expect(calls).toEqual(['2026-03-01T09:01:00.000Z']);
    expect(ids()).toEqual(['synced-89d', 'pending-200d', 'synced-today']);
    expect(scheduler.lastRun()?.removed).toEqual({ 'synced-punches': 1 });

    // A day later the 89-day-old punch has crossed the line.
    await timers.advance(day);
    expect(calls).toHaveLength(2);
    expect(ids()).toEqual(['pending-200d', 'synced-today']);
    await timers.advance(3 * day);
    expect(calls).toHaveLength(5);
    expect(ids()).toEqual(['pending-200d', 'synced-today']);

    scheduler.stop();
    expect(timers.pending()).toBe(0);
    await timers.advance(3 * day);
    expect(calls).toHaveLength(5);
  });

  it('a failing task is logged, does not stop the others, and the schedule goes on', async () => {
    const timers = createFakeTimers(clock);
    const logger = createMemoryLogger();
    let snapshotsRuns = 0;
    let fail = true;
    const scheduler = createRetentionScheduler({
      tasks: [
        { name: 'synced-punches', run: () => { if (fail) throw new Error('disk I/O error'); return 0; } },
        { name: 'snapshots', run: async () => { snapshotsRuns += 1; return 2; } },
      ],
      clock,
      logger,
      timers,
      firstRunDelayMs: 1000,
      intervalMs: 1000,
    });
    scheduler.start();
    await timers.advance(1000);
    expect(scheduler.lastRun()).toMatchObject({ removed: { snapshots: 2 }, failed: { 'synced-punches': expect.stringMatching(/disk I\/O error/) } });
    expect(logger.records.some((r) => r.level === 'error' && r.message.includes('retention purge failed'))).toBe(true);
    fail = false;
    await timers.advance(1000);
    expect(scheduler.lastRun()).toMatchObject({ removed: { 'synced-punches': 0, snapshots: 2 }, failed: {} });
    expect(snapshotsRuns).toBe(2);
    scheduler.stop();
  });
});
