import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type WritableDB } from '../../../src/main/db/database';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { createJobQueue, type JobOutcome, staffSubject } from '../../../src/main/jobs/job-queue';
import { createAuditSnapshots } from '../../../src/main/ledger/audit-snapshots';
import { createLedger } from '../../../src/main/ledger/ledger-store';
import { createTemplateStore } from '../../../src/main/face/template-store';
import { createRetentionScheduler, kioskRetentionTasks, LIVE_CANDIDATE_DAYS } from '../../../src/main/privacy/retention';
import { createMemorySecretStore } from '../../../src/main/secrets/secret-store';
import { z } from 'zod';
import { createFakeClock, type FakeClock } from '../../support/fake-clock';
import { createFakeTimers } from '../../support/fake-timers';

describe('retention purge scheduling', () => {
  let dir: string;
  let db: WritableDB;
  let clock: FakeClock;

  // A stand-in store for the schedule alone: punches with a sync state and a purge reduced to its
  // SQL. The kiosk's own rules over the real ledger and job queue are the last test.
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

  it("the kiosk's rules: synced punches past retention.syncedDays go, unsynced ones never, jobs failed that long ago, audit snapshots past retention.snapshotDays or without their punch, live template candidates past LIVE_CANDIDATE_DAYS", async () => {
    const day = 86_400_000;
    let syncedDays = 90;
    const logger = createMemoryLogger();
    const ledger = createLedger({ db, clock, logger, kioskId: 'k' });
    const snapshots = createAuditSnapshots({ db, key: Buffer.alloc(32, 7), clock, logger });
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);
    const jobs = createJobQueue({ db, clock, logger });
    const script: JobOutcome[] = [{ status: 'failed', reason: 'refused (HTTP 400)' }, { status: 'retry', reason: 'HTTP 503' }];
    const registrations = jobs.define({
      kind: 'face.register',
      schema: z.object({ staffId: z.number() }),
      subject: (p) => staffSubject(p.staffId),
      sensitive: false,
      run: async () => script.shift() ?? { status: 'done' },
    });

    const oldSynced = ledger.append({ staffId: 1, action: 'clock_in' });
    ledger.markSynced(oldSynced.seq, { serverAction: 'clock_in_success', response: {}, syncedAt: clock.now() });
    const oldPending = ledger.append({ staffId: 2, action: 'clock_in' });
    const oldReview = ledger.append({ staffId: 3, action: 'clock_in' });
    ledger.markNeedsReview(oldReview.seq, 'face not recognised');
    snapshots.keep(oldSynced.eventId, jpeg);
    snapshots.keep(oldPending.eventId, jpeg);
    // The face of the punch that never synced waits as a live template candidate (sealed on disk).
    const templates = createTemplateStore({ db, secrets: createMemorySecretStore(), logger, clock });
    const face = new Float32Array(128).fill(0.05);
    templates.addTemplate(2, face, 'enrolment', 1);
    const candidate = (eventId: string) => ({ eventId, staffId: 2, distance: 0.1, source: 'live' as const, descriptor: face });
    templates.keepCandidate(candidate(oldPending.eventId), 10);
    await registrations.add({ staffId: 1 }); // fails now
    clock.advance(40 * day);
    await registrations.add({ staffId: 2 }); // waits (transient error), 40 days later
    const recentSynced = ledger.append({ staffId: 4, action: 'clock_in' });
    ledger.markSynced(recentSynced.seq, { serverAction: 'clock_in_success', response: {}, syncedAt: clock.now() });
    snapshots.keep(recentSynced.eventId, jpeg);
    clock.advance(60 * day);
    templates.keepCandidate(candidate('kept-just-now'), 10);
    expect(LIVE_CANDIDATE_DAYS).toBeLessThan(100);

    const retention = () => ({ syncedDays, snapshotDays: 70 });
    const scheduler = createRetentionScheduler({ tasks: kioskRetentionTasks({ db, clock, jobs, retention }), clock, logger, timers: createFakeTimers(clock) });
    // The 100-day-old snapshots go (the pending punch stays); the 60-day-old one stays.
    expect((await scheduler.runNow()).removed).toEqual({ 'synced-punches': 1, 'audit-snapshots': 2, 'failed-jobs': 1, 'live-template-candidates': 1 });
    expect(templates.candidate(oldPending.eventId)).toBeNull();
    expect(templates.candidate('kept-just-now')?.staffId).toBe(2);
    expect([...snapshots.eventIds()]).toEqual([recentSynced.eventId]);
    expect(snapshots.open(recentSynced.eventId)).toEqual(jpeg);
    expect(ledger.get(oldSynced.eventId)).toBeNull();
    expect(ledger.get(oldPending.eventId)?.syncState).toBe('pending');
    expect(ledger.get(oldReview.eventId)?.syncState).toBe('needs_review');
    expect(ledger.get(recentSynced.eventId)?.syncState).toBe('synced');
    expect(jobs.list().map((j) => [j.subject, j.state])).toEqual([['staff:2', 'waiting']]);

    syncedDays = 30; // a config change applies to the next run
    // Its punch gone, the snapshot goes with it.
    expect((await scheduler.runNow()).removed).toEqual({ 'synced-punches': 1, 'audit-snapshots': 1, 'failed-jobs': 0, 'live-template-candidates': 0 });
    // LIVE_CANDIDATE_DAYS after it was kept, the candidate whose punch never settled goes too.
    clock.advance(LIVE_CANDIDATE_DAYS * day + 1);
    expect((await scheduler.runNow()).removed).toMatchObject({ 'live-template-candidates': 1 });
    expect(templates.candidateCount()).toBe(0);
    expect(snapshots.eventIds().size).toBe(0);
    expect(ledger.get(oldPending.eventId)?.syncState).toBe('pending');
    await jobs.stop();
  });
});
