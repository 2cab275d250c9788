/**
 * The manager's hands on the outgoing queues, through the validating router and the real admin
 * gate: a needs-review punch sent again, face registration jobs listed with their reason, retried
 * and discarded, and the job queue's summary in Diagnostics. Real SQLite, the real clock service,
 * job queue and face registrar, the HotelMate double on 127.0.0.1.
 */
import { describe, expect, it } from 'vitest';
import type { JobDiscardResult, JobRetryResult, QueuedJob } from '../../../src/shared/domain/jobs';
import type { LedgerRetryResult, LedgerRow } from '../../../src/shared/domain/ledger';
import type { Diagnostics } from '../../../src/shared/domain/diagnostics';
import { createHotelMateClient } from '../../../src/main/hotelmate/client';
import { createFaceRegistrar } from '../../../src/main/jobs/face-registration';
import { systemClock } from '../../../src/main/lib/clock';
import { nearby } from '../../support/hotelmate-double';
import { createHandlerKit, type HandlerKit } from './handler-kit';

const PIN = '246810';
const TINY_JPEG = `data:image/jpeg;base64,${Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex').toString('base64')}`;

async function unlockedKit(): Promise<{ k: HandlerKit } & NonNullable<HandlerKit['hotel']>> {
  const k = await createHandlerKit({ clock: systemClock, hotel: true, adminPin: PIN });
  if (!k.hotel) throw new Error('no HotelMate double');
  expect(await k.admin.unlock(PIN)).toMatchObject({ ok: true });
  return { k, ...k.hotel };
}

const invoke = <T>(k: HandlerKit, channel: string, ...args: unknown[]): Promise<T> => k.router.dispatch(channel, args) as Promise<T>;

describe('ledger:retry', () => {
  it('sends a needs-review punch through HotelMate\'s state check again once the face is registered there', async () => {
    const { k, double, world } = await unlockedKit();
    const niamhFace = nearby(world.encodings.stranger, 0, 7);
    // Niamh's face is not on HotelMate yet: the punch is saved (done at once) and goes to review behind.
    const punched = await k.handlers['clock:punch']({ recognitionId: await k.recognise(world.niamh.id, niamhFace), action: 'clock_in', reason: 'Covering reception' });
    expect(punched).toMatchObject({ ok: true, duplicate: false });
    expect(await k.services.clockService()?.awaitSettled(punched.ok ? punched.eventId : '', 5000)).toBe('needs_review');
    const [row] = await invoke<LedgerRow[]>(k, 'ledger:list', { state: 'needs_review', limit: 10 });
    expect(row?.lastError).toMatch(/did not recognise the face/);

    double.seed.face({ staffId: world.niamh.id, encoding: niamhFace });
    const retried = await invoke<LedgerRetryResult>(k, 'ledger:retry', row?.eventId);
    expect(retried).toMatchObject({ ok: true, row: { eventId: row?.eventId, syncState: 'pending' } });
    await k.services.clockService()?.awaitSettled(row?.eventId ?? '', 5000);
    expect((await invoke<LedgerRow[]>(k, 'ledger:list', { limit: 10 }))[0]).toMatchObject({ eventId: row?.eventId, syncState: 'synced' });
    expect(double.state.clockLogs({ staffId: world.niamh.id })).toHaveLength(1);

    // A second retry of the now synced punch is refused with a reason.
    expect(await invoke<LedgerRetryResult>(k, 'ledger:retry', row?.eventId)).toMatchObject({ ok: false, error: { code: 'not_in_review' } });
  });

  it('is an admin channel: refused while the manager area is locked, and only for a well-formed id', async () => {
    const { k } = await unlockedKit();
    k.admin.lock();
    await expect(invoke(k, 'ledger:retry', '0190a4c4-0000-7000-8000-000000000000')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(invoke(k, 'jobs:list', {})).rejects.toMatchObject({ code: 'forbidden' });
    await expect(invoke(k, 'jobs:retry', '0190a4c4-0000-7000-8000-000000000000')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(invoke(k, 'jobs:discard', '0190a4c4-0000-7000-8000-000000000000')).rejects.toMatchObject({ code: 'forbidden' });
    expect(await k.admin.unlock(PIN)).toMatchObject({ ok: true });
    await expect(invoke(k, 'ledger:retry', "x' OR 1=1")).rejects.toMatchObject({ code: 'invalid_arguments' });
  });
});

describe('the face registration and removal jobs', () => {
  it('lists a failed job with its reason, retries it, and discards it; Diagnostics counts them', async () => {
    const { k, double, world } = await unlockedKit();
    const client = createHotelMateClient({ baseUrl: double.apiBaseUrl, hotelSlug: world.hotelSlug, getToken: () => world.manager.token, timeoutMs: 3000, logger: k.logger });
    const registrar = createFaceRegistrar({ jobs: k.jobs, client: () => client, logger: k.logger });
    // Conor's registration is refused by HotelMate (the image is not a picture): the job stays failed.
    expect(await registrar.register(world.conor.id, Float32Array.from(world.encodings.conor), 'data:image/jpeg;base64,AAAA')).toEqual({ registered: false, queued: false });
    await k.services.clockService()?.catchUp('names for the job list');

    const jobs = await invoke<QueuedJob[]>(k, 'jobs:list', {});
    expect(jobs).toHaveLength(1);
    const [failed] = jobs;
    expect(failed).toMatchObject({ kind: 'face.register', staffId: world.conor.id, staffName: "Conor O'Sullivan", state: 'failed', attempts: 1 });
    expect(failed?.lastError).toMatch(/face registration was refused \(HTTP 400\)/);
    expect(JSON.stringify(jobs)).not.toContain('AAAA'); // never the payload

    const diagnostics = await invoke<Diagnostics>(k, 'diagnostics:get');
    expect(diagnostics.jobs).toMatchObject({ waiting: 0, running: 0, failed: 1, lastError: { kind: 'face.register', staffId: world.conor.id } });

    // Retry: waiting again with a fresh attempt count (this queue is not started, so it stays waiting).
    const retried = await invoke<JobRetryResult>(k, 'jobs:retry', failed?.id);
    expect(retried).toMatchObject({ ok: true, job: { id: failed?.id, state: 'waiting', attempts: 0 } });
    expect((await invoke<Diagnostics>(k, 'diagnostics:get')).jobs).toMatchObject({ waiting: 1, failed: 0 });
    expect(await invoke<JobRetryResult>(k, 'jobs:retry', '0190a4c4-0000-7000-8000-000000000000')).toMatchObject({ ok: false, error: { code: 'not_found' } });

    // Discard: gone from the list and from the counts.
    expect(await invoke<JobDiscardResult>(k, 'jobs:discard', failed?.id)).toEqual({ ok: true });
    expect(await invoke<QueuedJob[]>(k, 'jobs:list', {})).toEqual([]);
    expect((await invoke<Diagnostics>(k, 'diagnostics:get')).jobs).toMatchObject({ waiting: 0, failed: 0 });
    expect(await invoke<JobDiscardResult>(k, 'jobs:discard', failed?.id)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('a job that cannot be tried again says so', async () => {
    const { k, double, world } = await unlockedKit();
    const client = createHotelMateClient({ baseUrl: double.apiBaseUrl, hotelSlug: world.hotelSlug, getToken: () => world.manager.token, timeoutMs: 3000, logger: k.logger });
    const registrar = createFaceRegistrar({ jobs: k.jobs, client: () => client, logger: k.logger });
    double.faults.dropConnection({ when: 'before', times: Infinity });
    expect(await registrar.register(world.niamh.id, Float32Array.from(nearby(world.encodings.stranger, 0, 8)), TINY_JPEG)).toEqual({ registered: false, queued: true });
    const [waiting] = await invoke<QueuedJob[]>(k, 'jobs:list', { state: 'waiting' });
    expect(waiting).toMatchObject({ state: 'waiting', lastError: expect.stringMatching(/HotelMate unreachable/) });
    expect(await invoke<JobRetryResult>(k, 'jobs:retry', waiting?.id)).toMatchObject({ ok: false, error: { code: 'not_failed' } });
    expect((await invoke<Diagnostics>(k, 'diagnostics:get')).jobs).toMatchObject({ waiting: 1, paused: { reason: 'offline' } });
  });
});
