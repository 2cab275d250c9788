/**
 * A clock-out whose answer was lost, retried while HotelMate's answers keep going wrong, through the
 * real ClockService, a real SQLite ledger and the HotelMate double on 127.0.0.1: the status read
 * that guards the retry fails, a web filter's page replaces the answer of a clock-out HotelMate did
 * carry out, the kiosk account may not read staff. The session is closed exactly once and no
 * second one is ever opened.
 */
import { describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness';

/** `GET /api/staff/<slug>/<id>/`, the status read a retried clock-out starts with. */
const STAFF_DETAIL = /\/api\/staff\/hotel-killarney\/\d+\/$/;
const PROBE_INTERVAL_MS = 3_600_000; // the harness's
const BLOCK_PAGE = '<!DOCTYPE html><html><body><h1>Web filter</h1><p>This response was blocked by policy.</p></body></html>';

/** Aoife (rostered all day, so a face check while she is off duty opens a new session) clocked in an hour ago; synced. */
async function aoifeOnDuty(): Promise<Harness> {
  const h = await createHarness({ timeoutMs: 300 });
  h.punch(h.world.aoife.id, 'clock_in', h.world.probes.aoife);
  await h.sync();
  h.clock.advance(3_600_000);
  return h;
}

/** Her clock-out; returns its event id. */
function clockOut(h: Harness): string {
  const punched = h.punch(h.world.aoife.id, 'clock_out', h.world.probes.aoife);
  if (!punched.ok) throw new Error('punch refused');
  return punched.eventId;
}

/** HotelMate holds exactly one session for Aoife, and it is closed. */
function expectOneClosedSession(h: Harness): void {
  const logs = h.double.state.clockLogs({ staffId: h.world.aoife.id });
  expect(logs).toHaveLength(1);
  expect(logs[0]?.timeOut).not.toBeNull();
}

describe('sync: a retried clock-out whose status read fails', () => {
  it.each([
    ['a 500 page', (h: Harness) => h.double.faults.failAfterWrite({ path: STAFF_DETAIL, html: true }), /^staff-detail: HTTP 500/],
    ['no answer in time', (h: Harness) => h.double.faults.latency(600, { path: STAFF_DETAIL }), /^staff-detail: timeout/],
    ['a body cut short', (h: Harness) => h.double.faults.malformedBody({ path: STAFF_DETAIL }), /^staff-detail: response is not JSON/],
  ] as const)('%s: waits and reads again instead of asking the face check, which would open a second session', async (_name, breakRead, reason) => {
    const h = await aoifeOnDuty();
    h.double.faults.dropConnection({ path: 'confirm-clock-out', when: 'after' });
    const eventId = clockOut(h);
    await h.sync();
    expect(h.service.ledgerStore.get(eventId)).toMatchObject({ syncState: 'pending', attempts: 1 });
    expectOneClosedSession(h); // HotelMate closed it; the kiosk never heard

    breakRead(h);
    await h.sync();
    const waiting = h.service.ledgerStore.get(eventId);
    expect(waiting).toMatchObject({ syncState: 'pending', attempts: 2 });
    expect(waiting?.lastError).toMatch(reason);
    expectOneClosedSession(h);
    expect(h.endpoints().slice(-2)).toEqual(['confirm-clock-out', 'staff-detail']);

    await h.sync();
    expect(h.service.ledgerStore.get(eventId)).toMatchObject({ syncState: 'synced', serverAction: 'already_off_duty' });
    expectOneClosedSession(h);
    expect(h.endpoints().filter((e) => e === 'face-clock-in')).toHaveLength(2); // her clock-in's and the clock-out's first
  });
});

describe('sync: a page in place of the answer of a clock-out HotelMate carried out', () => {
  it('pauses with the reason on show, then finds the session closed instead of opening a new one', async () => {
    const h = await aoifeOnDuty();
    h.double.faults.answerAfterWrite({ path: 'confirm-clock-out', status: 200, body: BLOCK_PAGE });
    const eventId = clockOut(h);
    await h.sync();
    const paused = h.service.ledgerStore.get(eventId);
    // A page is not HotelMate's answer: the sync waits for the next trial; the attempt counts, as it may have written.
    expect(paused).toMatchObject({ syncState: 'pending', attempts: 1 });
    expect(paused?.lastError).toMatch(/answered with a page \(HTTP 200\), not the API/);
    expect(h.service.connection()).toMatchObject({ api: 'paused', pendingPunches: 1 });
    expectOneClosedSession(h);

    h.clock.advance(PROBE_INTERVAL_MS);
    await h.sync();
    expect(h.service.ledgerStore.get(eventId)).toMatchObject({ syncState: 'synced', serverAction: 'already_off_duty' });
    expect(h.service.connection().api).toBe('online');
    expectOneClosedSession(h);
    expect(h.endpoints().slice(-2)).toEqual(['confirm-clock-out', 'staff-detail']);
  });
});

describe('sync: a kiosk account HotelMate will not show staff to', () => {
  it('a retried clock-out falls back to the face check and syncs, without pausing the sync', async () => {
    const h = await aoifeOnDuty();
    h.double.seed.revoke(h.world.manager.id, 'staff_management.staff.read');
    h.double.faults.dropConnection({ path: 'confirm-clock-out', when: 'before' });
    const eventId = clockOut(h);
    await h.sync();
    expect(h.service.ledgerStore.get(eventId)).toMatchObject({ syncState: 'pending', attempts: 1 });

    await h.sync();
    expect(h.service.ledgerStore.get(eventId)).toMatchObject({ syncState: 'synced', serverAction: 'clock_out_success' });
    expect(h.service.connection().api).toBe('online');
    expectOneClosedSession(h);
    // The status read was refused (403), so the face check looked instead: the session was still open.
    expect(h.endpoints().slice(-4)).toEqual(['confirm-clock-out', 'staff-detail', 'face-clock-in', 'confirm-clock-out']);
  });
});
