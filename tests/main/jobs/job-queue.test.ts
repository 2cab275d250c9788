/**
 * The outgoing job queue over a real SQLite file, driven by a hand-moved clock: persisted before it
 * runs, payloads parsed (and, when sensitive, sealed) at rest, bounded retries with backoff on
 * monotonic time, per-person order, pause/probe/resume, drain on shutdown, and what diagnostics and
 * the admin area read.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openDatabase, type WritableDB } from '../../../src/main/db/database';
import { createJobQueue, type JobOutcome, type JobQueue, type JobQueueOptions, type JobType, staffSubject } from '../../../src/main/jobs/job-queue';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { createCipher } from '../../../src/main/secrets/cipher';
import { createFakeClock, type FakeClock } from '../../support/fake-clock';
import { createFakeTimers, type FakeTimers } from '../../support/fake-timers';
import { makeTempDir } from '../../support/temp-dir';

const personSchema = z.object({ staffId: z.number().int().positive(), note: z.string().optional() });
type Person = z.infer<typeof personSchema>;

function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

interface RawJob {
  id: string;
  kind: string;
  subject: string;
  state: string;
  attempts: number;
  last_error: string | null;
}

let file: string;
let db: WritableDB;
let clock: FakeClock;
let timers: FakeTimers;
let queues: JobQueue[];

function queue(options: Partial<JobQueueOptions> = {}): JobQueue {
  const created = createJobQueue({
    db,
    clock,
    logger: createMemoryLogger(),
    timers,
    retry: { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 4000, probeIntervalMs: 30_000 },
    random: () => 1,
    ...options,
  });
  queues.push(created);
  return created;
}

/** A kind of job whose attempts answer from `script` (then `done`), recording `kind:staff@monotonic#attempt`. */
function scripted(jobs: JobQueue, kind: string, script: JobOutcome[] = [], calls: string[] = []): { type: JobType<Person>; calls: string[] } {
  const type = jobs.define<Person>({
    kind,
    schema: personSchema,
    subject: (p) => staffSubject(p.staffId),
    sensitive: false,
    async run(p, context) {
      calls.push(`${kind}:${p.staffId}@${clock.monotonicMs()}#${context.attempt}`);
      return script.shift() ?? { status: 'done' };
    },
  });
  return { type, calls };
}

const rawJobs = (): RawJob[] => db.prepare('SELECT id, kind, subject, state, attempts, last_error FROM jobs ORDER BY seq').all() as RawJob[];
const offline: JobOutcome = { status: 'paused', reason: 'offline', message: 'HotelMate unreachable (ECONNREFUSED)' };

beforeEach(() => {
  file = path.join(makeTempDir('jobs-'), 'kiosk.db');
  db = openDatabase({ file });
  clock = createFakeClock(new Date('2026-05-11T08:00:00Z'));
  timers = createFakeTimers(clock);
  queues = [];
});

afterEach(async () => {
  for (const q of queues) await q.stop();
  if (db.open) db.close();
});

describe('job queue', () => {
  it('persists a job before it runs, and one interrupted by a crash runs again after the restart', async () => {
    const seenWhileRunning: RawJob[][] = [];
    const first = queue();
    const type = first.define<Person>({
      kind: 'face.register',
      schema: personSchema,
      subject: (p) => staffSubject(p.staffId),
      sensitive: false,
      run: () => {
        seenWhileRunning.push(rawJobs());
        return new Promise<JobOutcome>(() => undefined); // the process dies during this attempt
      },
    });
    void type.add({ staffId: 7 });
    await timers.advance(0);
    expect(seenWhileRunning).toEqual([[expect.objectContaining({ kind: 'face.register', subject: 'staff:7', state: 'running', attempts: 1 })]]);

    // The restart: a second connection, a new queue; the job left running is waiting again and runs.
    const restartedDb = openDatabase({ file });
    const calls: string[] = [];
    const restarted = createJobQueue({ db: restartedDb, clock, logger: createMemoryLogger(), timers });
    scripted(restarted, 'face.register', [], calls);
    restarted.start();
    await timers.advance(0);
    expect(calls).toEqual([expect.stringMatching(/^face\.register:7@\d+#2$/)]);
    expect(restartedDb.prepare('SELECT COUNT(*) AS n FROM jobs').get()).toEqual({ n: 0 });
    await restarted.stop();
    restartedDb.close();
    queues.shift(); // the "dead" queue's attempt never ends; nothing to drain
  });

  it('reads a stored payload back through its schema: a damaged one ends failed with the reason, never silently dropped', async () => {
    const jobs = queue();
    const { type, calls } = scripted(jobs, 'face.revoke', [offline]);
    await type.add({ staffId: 7 });
    expect(rawJobs()).toMatchObject([{ state: 'waiting', attempts: 0 }]);
    db.prepare(`UPDATE jobs SET payload = CAST('{"staffId":"seven"}' AS BLOB)`).run();
    jobs.start();
    jobs.resume();
    await timers.advance(0);
    expect(calls).toHaveLength(1); // the damaged payload never reached the handler
    const [failed] = jobs.list({ state: 'failed' });
    expect(failed).toMatchObject({ kind: 'face.revoke', subject: 'staff:7', state: 'failed' });
    expect(failed?.lastError).toMatch(/stored job could not be read/);
    expect(jobs.summary()).toMatchObject({ waiting: 0, failed: 1, lastError: { kind: 'face.revoke', message: expect.stringMatching(/could not be read/) } });
  });

  it('retries a transient failure with doubling backoff on monotonic time (a wall-clock jump changes nothing), then keeps it failed with its reason', async () => {
    const jobs = queue();
    const http503: JobOutcome = { status: 'retry', reason: 'face registration: HTTP 503 Service Unavailable' };
    const { type, calls } = scripted(jobs, 'face.register', [http503, http503, http503, http503, http503]);
    jobs.start();
    const report = await type.add({ staffId: 3 });
    expect(report).toMatchObject({ state: 'waiting', error: 'face registration: HTTP 503 Service Unavailable' });
    clock.setWall(new Date('2026-05-10T08:00:00Z')); // NTP sets the wall clock back a day
    await timers.advance(999);
    expect(calls).toHaveLength(1);
    await timers.advance(1);
    expect(calls).toHaveLength(2);
    await timers.advance(2000 + 4000);
    const at = calls.map((c) => Number(/@(\d+)#/.exec(c)?.[1]));
    expect(at.slice(1).map((t, i) => t - (at[i] ?? 0))).toEqual([1000, 2000, 4000]);
    expect(calls.map((c) => c.split('#')[1])).toEqual(['1', '2', '3', '4']);
    const [failed] = jobs.list();
    expect(failed).toMatchObject({ state: 'failed', attempts: 4, maxAttempts: 4 });
    expect(failed?.lastError).toBe('Not done after 4 attempts; last error: face registration: HTTP 503 Service Unavailable');
    await timers.advance(3_600_000);
    expect(calls).toHaveLength(4);
    expect(jobs.summary()).toMatchObject({ waiting: 0, running: 0, failed: 1 });

    // A manager can send it again from the admin area.
    expect(jobs.retry(failed?.id ?? '')).toBe(true);
    await timers.advance(0);
    expect(calls).toHaveLength(5);
    expect(jobs.list()).toMatchObject([{ state: 'waiting', attempts: 1 }]);
  });

  it("runs one person's jobs in order: a revocation never overtakes the registration before it, while other people go ahead", async () => {
    const jobs = queue();
    const calls: string[] = [];
    const registrations = scripted(jobs, 'face.register', [{ status: 'retry', reason: 'HTTP 502' }], calls).type;
    const revocations = scripted(jobs, 'face.revoke', [], calls).type;
    jobs.start();
    expect((await registrations.add({ staffId: 1 })).state).toBe('waiting');
    expect((await revocations.add({ staffId: 1 })).state).toBe('waiting'); // behind staff 1's registration
    expect((await registrations.add({ staffId: 2 })).state).toBe('done');
    expect(await revocations.runWaiting()).toBe(1); // asked to retry now: still not before the registration
    await timers.advance(1000);
    expect(calls.map((c) => c.split('@')[0])).toEqual(['face.register:1', 'face.register:2', 'face.register:1', 'face.revoke:1']);
    expect(rawJobs()).toEqual([]);
  });

  it('pauses while offline or refused (401/403) without counting attempts, probes now and then, and resumes when online', async () => {
    const jobs = queue();
    const refused: JobOutcome = { status: 'paused', reason: 'unauthorised', message: 'HotelMate refused the kiosk account (401): Invalid token.' };
    const { type, calls } = scripted(jobs, 'face.register', [offline, refused, refused]);
    jobs.start();
    expect(await type.add({ staffId: 5 })).toMatchObject({ state: 'waiting', error: 'HotelMate unreachable (ECONNREFUSED)' });
    expect(jobs.summary().paused).toMatchObject({ reason: 'offline' });
    await timers.advance(29_999);
    expect(calls).toHaveLength(1);
    await timers.advance(1); // the probe
    expect(calls).toHaveLength(2);
    expect(jobs.summary().paused).toMatchObject({ reason: 'unauthorised', message: expect.stringMatching(/401/) });
    expect(rawJobs()).toMatchObject([{ state: 'waiting', attempts: 0, last_error: 'HotelMate refused the kiosk account (401): Invalid token.' }]);
    await timers.advance(30_000);
    expect(calls).toHaveLength(3);
    jobs.resume(); // online again, with a new token
    await timers.advance(0);
    expect(calls).toHaveLength(4);
    expect(calls[3]).toMatch(/#1$/); // the paused attempts were not counted
    expect(jobs.isPaused()).toBe(false);
    expect(rawJobs()).toEqual([]);
  });

  it('drains on shutdown: the attempt in flight finishes and is recorded, nothing new starts', async () => {
    const jobs = queue();
    const gate = deferred();
    const calls: number[] = [];
    const type = jobs.define<Person>({
      kind: 'face.register',
      schema: personSchema,
      subject: (p) => staffSubject(p.staffId),
      sensitive: false,
      async run(p) {
        calls.push(p.staffId);
        await gate.promise;
        return { status: 'done' };
      },
    });
    jobs.start();
    const first = type.add({ staffId: 1 });
    await timers.advance(0);
    let stopped = false;
    const stopping = jobs.stop().then(() => {
      stopped = true;
    });
    const later = await type.add({ staffId: 2 }); // persisted, not run
    await timers.advance(1000);
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    expect((await first).state).toBe('done');
    expect(later.state).toBe('waiting');
    expect(calls).toEqual([1]);
    expect(rawJobs()).toMatchObject([{ subject: 'staff:2', state: 'waiting', attempts: 0 }]);
  });

  it('summarises counts, the oldest waiting job, the last error and the pause for diagnostics, and lists jobs without payloads', async () => {
    const jobs = queue();
    const refusal = 'face registration was refused (HTTP 400): Invalid image';
    const registrations = scripted(jobs, 'face.register', [{ status: 'failed', reason: refusal }, offline]).type;
    expect(jobs.summary()).toEqual({ waiting: 0, running: 0, failed: 0, oldestWaitingAt: null, lastError: null, paused: null });
    await registrations.add({ staffId: 1 });
    clock.advance(60_000);
    await registrations.add({ staffId: 2 });
    expect(jobs.summary()).toEqual({
      waiting: 1,
      running: 0,
      failed: 1,
      oldestWaitingAt: '2026-05-11T08:01:00.000Z',
      lastError: { kind: 'face.register', subject: 'staff:2', message: 'HotelMate unreachable (ECONNREFUSED)', at: '2026-05-11T08:01:00.000Z' },
      paused: { reason: 'offline', message: 'HotelMate unreachable (ECONNREFUSED)', since: '2026-05-11T08:01:00.000Z' },
    });
    const list = jobs.list();
    expect(list.map((j) => [j.subject, j.state, j.lastError])).toEqual([
      ['staff:2', 'waiting', 'HotelMate unreachable (ECONNREFUSED)'],
      ['staff:1', 'failed', refusal],
    ]);
    for (const job of list) expect(Object.keys(job)).not.toContain('payload');
    expect(jobs.list({ state: 'failed', limit: 10 })).toHaveLength(1);
    expect(jobs.discard(list[1]?.id ?? '')).toBe(true);
    expect(jobs.summary().failed).toBe(0);
  });

  it('seals a sensitive payload at rest, bound to its row: copied into another job it does not open', async () => {
    const jobs = queue({ cipher: createCipher(crypto.randomBytes(32)) });
    const seen: string[] = [];
    const type = jobs.define<Person>({
      kind: 'face.register',
      schema: personSchema,
      subject: (p) => staffSubject(p.staffId),
      sensitive: true,
      async run(p) {
        seen.push(p.note ?? '');
        return { status: 'retry', reason: 'HTTP 503' };
      },
    });
    await type.add({ staffId: 1, note: 'data:image/jpeg;base64,SECRET-FACE-ONE' });
    await type.add({ staffId: 2, note: 'data:image/jpeg;base64,SECRET-FACE-TWO' });
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(fs.readFileSync(file).includes('SECRET-FACE')).toBe(false);
    expect(seen).toEqual(['data:image/jpeg;base64,SECRET-FACE-ONE', 'data:image/jpeg;base64,SECRET-FACE-TWO']);

    db.prepare(`UPDATE jobs SET payload = (SELECT payload FROM jobs WHERE subject = 'staff:1') WHERE subject = 'staff:2'`).run();
    await type.runWaiting();
    expect(jobs.list({ state: 'failed' })).toMatchObject([{ subject: 'staff:2', lastError: expect.stringMatching(/could not be read.*does not belong to this key and row/) }]);
    expect(seen).toHaveLength(3); // staff 1 ran again (still failing); staff 2's swapped payload never reached the handler
  });

  it('refuses to define a sensitive kind without a cipher, or a kind twice', () => {
    const jobs = queue();
    const handler = { kind: 'face.register', schema: personSchema, subject: () => 'x', sensitive: true, run: async (): Promise<JobOutcome> => ({ status: 'done' }) };
    expect(() => jobs.define(handler)).toThrow(/needs the queue's cipher/);
    jobs.define({ ...handler, sensitive: false });
    expect(() => jobs.define({ ...handler, sensitive: false })).toThrow(/defined twice/);
  });
});
