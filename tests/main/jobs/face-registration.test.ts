/**
 * Face registration and revocation as jobs, against the HotelMate double over real HTTP on 127.0.0.1
 * with the real client: the registration queued while a retry is in flight is kept (the old
 * registrar erased it), a revocation waits for the registration before it, a refusal and repeated
 * failures end visibly `failed`, and nothing about the face is readable in the database.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type WritableDB } from '../../../src/main/db/database';
import { createHotelMateClient, type HotelMateClient } from '../../../src/main/hotelmate/client';
import { createFaceRegistrar } from '../../../src/main/jobs/face-registration';
import { createJobQueue, type JobQueue, type RetryPolicy } from '../../../src/main/jobs/job-queue';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { createFaceRevoker, revokeOnHotelMate } from '../../../src/main/privacy/revoke-face';
import { createCipher } from '../../../src/main/secrets/cipher';
import { createFakeClock } from '../../support/fake-clock';
import { createHotelMateDouble, encodingFor, type HotelMateDouble, type KillarneyWorld } from '../../support/hotelmate-double';
import { makeTempDir } from '../../support/temp-dir';

const TINY_JPEG = `data:image/jpeg;base64,${Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex').toString('base64')}`;
const REGISTER = 'register-face';

let double: HotelMateDouble;
let world: KillarneyWorld;
let file: string;
let db: WritableDB;
let jobs: JobQueue;
let client: HotelMateClient | null;

function makeQueue(retry: Partial<RetryPolicy> = {}): JobQueue {
  return createJobQueue({ db, clock: createFakeClock(), logger: createMemoryLogger(), cipher: createCipher(crypto.randomBytes(32)), retry });
}

const descriptor = (seed: number): Float32Array => Float32Array.from(encodingFor(seed));
/** Active faces of a person on the server. */
const activeFaces = (staffId: number): number => double.state.faces().filter((f) => f.staffId === staffId && f.isActive).length;
const registrations = (): number => double.state.requests().filter((r) => r.path.includes(REGISTER)).length;

beforeEach(async () => {
  double = await createHotelMateDouble();
  world = double.seed.killarney({});
  file = path.join(makeTempDir('registration-'), 'kiosk.db');
  db = openDatabase({ file });
  jobs = makeQueue();
  client = createHotelMateClient({ baseUrl: double.apiBaseUrl, hotelSlug: world.hotelSlug, getToken: () => world.manager.token, timeoutMs: 3000, logger: createMemoryLogger() });
});

afterEach(async () => {
  await jobs.stop();
  db.close();
  await double.close();
});

describe('face registration jobs', () => {
  it('registers at once when HotelMate is reachable, and marks the templates registered', async () => {
    const registered: number[] = [];
    const registrar = createFaceRegistrar({ jobs, client: () => client, logger: createMemoryLogger(), onRegistered: (id) => registered.push(id) });
    expect(await registrar.register(world.niamh.id, descriptor(4), TINY_JPEG)).toEqual({ registered: true, queued: false });
    expect(activeFaces(world.niamh.id)).toBe(1);
    expect(registered).toEqual([world.niamh.id]);
    expect(jobs.summary()).toMatchObject({ waiting: 0, failed: 0 });
  });

  it('keeps a registration queued while a retry is in flight (the old registrar saved its stale copy over it)', async () => {
    const registrar = createFaceRegistrar({ jobs, client: () => client, logger: createMemoryLogger() });
    double.faults.dropConnection({ when: 'before', path: REGISTER });
    expect(await registrar.register(world.niamh.id, descriptor(4), TINY_JPEG)).toEqual({ registered: false, queued: true });
    expect(registrar.pending()).toEqual([world.niamh.id]);

    // The retry after a reconnect is slow; while it is in flight Conor is enrolled, and his own
    // attempt fails (the token is refused from now on), so his registration has to wait in the queue.
    double.faults.latency(1000, { path: REGISTER });
    const retry = registrar.retryPending();
    await waitFor(() => registrations() === 2); // Niamh's retry has reached the server and is held there
    double.faults.rejectToken(world.manager.token);
    const conor = registrar.register(world.conor.id, descriptor(3), TINY_JPEG);
    expect(registrar.pending()).toEqual([world.niamh.id, world.conor.id]); // persisted before anything else happens
    expect(await retry).toBe(1);
    expect(await conor).toEqual({ registered: false, queued: true });
    expect(activeFaces(world.niamh.id)).toBe(1);
    expect(registrar.pending()).toEqual([world.conor.id]); // kept
    expect(jobs.summary().paused).toMatchObject({ reason: 'unauthorised' });

    double.faults.acceptToken(world.manager.token);
    expect(await registrar.retryPending()).toBe(0);
    // dropped (Niamh, offline), 201 (Niamh's retry), 401 (Conor, refused), 201 (Conor from the queue)
    expect(double.state.requests().filter((r) => r.path.includes(REGISTER)).map((r) => r.status)).toEqual([0, 201, 401, 201]);
    expect(registrar.pending()).toEqual([]);
  });

  it('queues a revocation behind the registration of the same person, so the face does not stay on HotelMate', async () => {
    const registrar = createFaceRegistrar({ jobs, client: () => client, logger: createMemoryLogger() });
    const removed: number[] = [];
    const revoker = createFaceRevoker({
      jobs,
      logger: createMemoryLogger(),
      templates: { list: () => [], remove: (id) => void removed.push(id) },
      revokeOnServer: revokeOnHotelMate(() => client),
    });
    double.faults.dropConnection({ when: 'before', path: REGISTER });
    await registrar.register(world.niamh.id, descriptor(4), TINY_JPEG);
    const revoked = await revoker.revoke(world.niamh.id);
    expect(revoked).toEqual({ staffId: world.niamh.id, localTemplatesRemoved: 0, server: 'queued' });
    expect(removed).toEqual([world.niamh.id]);
    expect(await revoker.retryPending()).toBe(1); // not before the registration
    expect(double.state.requests().some((r) => r.path.includes('revoke-face'))).toBe(false);

    jobs.start();
    jobs.resume(); // online again
    await waitFor(() => jobs.summary().waiting + jobs.summary().running === 0);
    const paths = double.state.requests().map((r) => r.path).filter((p) => p.includes('face-management'));
    expect(paths.map((p) => (p.includes(REGISTER) ? 'register' : 'revoke'))).toEqual(['register', 'register', 'revoke']);
    expect(activeFaces(world.niamh.id)).toBe(0);
  });

  it('a refused registration ends failed with HotelMate\'s reason; one that keeps failing ends failed after its attempts', async () => {
    await jobs.stop();
    jobs = makeQueue({ maxAttempts: 3 });
    const registrar = createFaceRegistrar({ jobs, client: () => client, logger: createMemoryLogger() });
    const badImage = 'data:image/jpeg;base64,AAAA';
    expect(await registrar.register(world.niamh.id, descriptor(4), badImage)).toEqual({ registered: false, queued: false });
    expect(jobs.list({ state: 'failed' })).toMatchObject([{ kind: 'face.register', subject: `staff:${world.niamh.id}`, lastError: expect.stringMatching(/^face registration was refused \(HTTP 400\)/) }]);

    double.faults.failAfterWrite({ path: REGISTER, times: Infinity });
    expect(await registrar.register(world.conor.id, descriptor(3), TINY_JPEG)).toEqual({ registered: false, queued: true });
    expect(await registrar.retryPending()).toBe(1);
    expect(await registrar.retryPending()).toBe(0);
    const failed = jobs.list({ state: 'failed' }).find((j) => j.subject === `staff:${world.conor.id}`);
    expect(failed).toMatchObject({ attempts: 3, lastError: expect.stringMatching(/^Not done after 3 attempts; last error: face registration: HTTP 500/) });
    expect(jobs.summary()).toMatchObject({ waiting: 0, failed: 2 });
  });

  it('keeps the queued face sealed: neither the image nor the encoding is readable in the database file', async () => {
    const registrar = createFaceRegistrar({ jobs, client: () => null, logger: createMemoryLogger() });
    const image = `data:image/jpeg;base64,${Buffer.from(`ffd8ffe0${'ab'.repeat(64)}ffd9`, 'hex').toString('base64')}`;
    expect(await registrar.register(world.niamh.id, descriptor(4), image)).toEqual({ registered: false, queued: true });
    db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = fs.readFileSync(file);
    expect(bytes.includes(image.slice(30, 60))).toBe(false);
    expect(bytes.includes(String(encodingFor(4)[0]).slice(0, 12))).toBe(false);
    expect(jobs.summary().paused?.message).toMatch(/not configured/);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
