/**
 * A clock-in approved without a face and synced as a manual clock log (`POST clock-logs/`):
 * HotelMate's `duty_status` stays `off_duty` for that log (quirk 15), so the kiosk keeps the person
 * on duty by the log itself: through the re-read and the status poll, until the log is closed or
 * gone in HotelMate or the UTC day is over; and a second clock-in without a face never opens a
 * second log. Real ClockService, real SQLite, the HotelMate double on 127.0.0.1.
 */
import { describe, expect, it, vi } from 'vitest';
import { allowedActions } from '../../../src/shared/domain/duty-status';
import { createHarness, type Harness } from './harness';

/** A clock-in approved with the manager PIN and no face in view, as the manual-punch handler records it. */
function manualClockIn(h: Harness, staffId: number): string {
  const result = h.service.punch({ staffId, action: 'clock_in', match: null, flagged: false, manual: { approver: 'manager_pin', note: null }, liveDescriptor: null });
  if (!result.ok) throw new Error(`manual clock-in refused: ${result.error.message}`);
  return result.eventId;
}

/** Conor clocks in without a face; it is synced as a manual clock log, which HotelMate keeps open. */
async function manualSessionOfConor(h: Harness): Promise<string> {
  const conor = h.world.conor.id;
  const eventId = manualClockIn(h, conor);
  await h.sync();
  expect(h.service.ledgerStore.get(eventId)).toMatchObject({ syncState: 'synced', serverAction: 'manual_clock_log' });
  expect(h.double.state.clockLogs({ staffId: conor })).toMatchObject([{ timeOut: null }]);
  expect(h.double.state.staff(conor)?.dutyStatus).toBe('off_duty');
  return eventId;
}

const logReads = (h: Harness): number => h.double.state.requests().filter((r) => r.method === 'GET' && /\/attendance\/clock-logs\/\d+\/$/.test(r.path)).length;
const createRequests = (h: Harness): number =>
  h.double.state.requests().filter((r) => r.method === 'POST' && /\/attendance\/clock-logs\/$/.test(r.path)).length;

describe('a session opened with a manual clock log', () => {
  it('stays on duty through the re-read although HotelMate says off duty, reading the log alongside; Clock Out is offered', async () => {
    const h = await createHarness();
    const conor = h.world.conor.id;
    const eventId = await manualSessionOfConor(h);
    const punchedAt = h.service.ledgerStore.get(eventId)?.occurredAt;

    const status = await h.service.refreshStatus(conor, 1500);
    expect(status).toMatchObject({ status: 'on_duty', onDutySince: punchedAt, freshness: { source: 'live' } });
    expect(allowedActions(status.status)).toContain('clock_out');
    expect(logReads(h)).toBe(1);
    // The board shows him too.
    expect(h.service.board().departments.flatMap((d) => d.entries).map((e) => e.staffId)).toContain(conor);
  });

  it('a face clock-out at the kiosk closes the log and ends the session', async () => {
    const h = await createHarness();
    const conor = h.world.conor.id;
    await manualSessionOfConor(h);
    const out = h.punch(conor, 'clock_out', h.world.probes.conor);
    expect(out).toMatchObject({ ok: true });
    await h.sync();
    expect(h.service.ledger({ limit: 1 })[0]).toMatchObject({ action: 'clock_out', syncState: 'synced' });
    expect(h.double.state.clockLogs({ staffId: conor })).toHaveLength(1);
    expect(h.double.state.clockLogs({ staffId: conor })[0]?.timeOut).not.toBeNull();
    expect((await h.service.refreshStatus(conor, 1500)).status).toBe('off_duty');
  });

  it('closed in the HotelMate web app: the next re-read reads the log and shows off duty', async () => {
    const h = await createHarness();
    const conor = h.world.conor.id;
    await manualSessionOfConor(h);
    expect((await h.service.refreshStatus(conor, 1500)).status).toBe('on_duty');

    h.clock.advance(60_000);
    expect(h.double.webApp.clockOut(conor).outcome).toBe('clock_out_success');
    expect(h.service.effectiveStatus(conor).status).toBe('on_duty'); // not read yet
    const status = await h.service.refreshStatus(conor, 1500);
    expect(status).toMatchObject({ status: 'off_duty', freshness: { source: 'live' } });
    expect(allowedActions(status.status)).toEqual(['clock_in']);
  });

  it('gone in HotelMate (404): the session ends; a failed read keeps the last verdict', async () => {
    const h = await createHarness();
    const conor = h.world.conor.id;
    await manualSessionOfConor(h);
    const [log] = h.double.state.clockLogs({ staffId: conor });

    h.double.faults.answerAfterWrite({ method: 'GET', path: /\/clock-logs\/\d+\/$/, status: 502, body: '<html>Bad gateway</html>' });
    expect((await h.service.refreshStatus(conor, 1500)).status).toBe('on_duty');
    expect(h.logger.records.some((r) => r.message === 'manual clock log read failed; the last verdict on it stays')).toBe(true);

    h.double.db.prepare('DELETE FROM clock_logs WHERE id = ?').run(log?.id);
    expect((await h.service.refreshStatus(conor, 1500)).status).toBe('off_duty');
    // Remembered: no further read is needed, and a later failure changes nothing.
    const reads = logReads(h);
    expect((await h.service.refreshStatus(conor, 1500)).status).toBe('off_duty');
    expect(logReads(h)).toBe(reads);
  });

  it('a log of an earlier UTC day keeps nobody on duty (HotelMate’s face endpoints no longer see it)', async () => {
    const h = await createHarness({ start: '2026-05-11T23:50:00Z' });
    const conor = h.world.conor.id;
    await manualSessionOfConor(h);
    expect(h.service.effectiveStatus(conor).status).toBe('on_duty');
    h.clock.advance(20 * 60_000); // 00:10 UTC the next day
    expect(h.service.effectiveStatus(conor).status).toBe('off_duty');
    expect((await h.service.refreshStatus(conor, 1500)).status).toBe('off_duty');
  });

  it('the status poll and the catch-up keep him on duty while the log is open, and end it once the log is closed', async () => {
    const h = await createHarness({ statusPollMs: 100 });
    const conor = h.world.conor.id;
    await manualSessionOfConor(h);
    await h.service.start();
    await vi.waitFor(() => expect(h.logger.records.some((r) => r.message === 'reference data refreshed')).toBe(true));
    // The poll re-reads everyone's duty_status (off_duty) and the open log.
    await vi.waitFor(() => expect(logReads(h)).toBeGreaterThanOrEqual(2), { timeout: 3000 });
    expect(h.service.reference.serverStatus(conor)?.status).toBe('off_duty');
    expect(h.service.effectiveStatus(conor).status).toBe('on_duty');
    await h.service.catchUp('test');
    expect(h.service.effectiveStatus(conor).status).toBe('on_duty');

    expect(h.double.webApp.clockOut(conor).outcome).toBe('clock_out_success');
    await vi.waitFor(() => expect(h.service.effectiveStatus(conor).status).toBe('off_duty'), { timeout: 3000 });
  });
});

describe('a second clock-in without a face the same day', () => {
  it('is refused at the kiosk while the log is open (the screen offers Clock Out)', async () => {
    const h = await createHarness();
    const conor = h.world.conor.id;
    await manualSessionOfConor(h);
    const again = h.service.punch({ staffId: conor, action: 'clock_in', match: null, flagged: false, manual: { approver: 'manager_pin', note: null }, liveDescriptor: null });
    expect(again).toMatchObject({ ok: false, error: { code: 'not_allowed' } });
    expect(createRequests(h)).toBe(1);
  });

  it('already queued (recorded while the kiosk showed him off duty): synced without a second log while the first is open', async () => {
    const h = await createHarness();
    const conor = h.world.conor.id;
    await manualSessionOfConor(h);
    const [first] = h.double.state.clockLogs({ staffId: conor });
    // Recorded by a kiosk that believed HotelMate's off_duty (before this rule existed).
    const queued = h.service.ledgerStore.append({ staffId: conor, action: 'clock_in', manual: { approver: 'manager_pin', note: null } });
    await h.sync();
    expect(h.service.ledgerStore.get(queued.eventId)).toMatchObject({ syncState: 'synced', serverAction: 'manual_already_on_duty' });
    expect(h.double.state.clockLogs({ staffId: conor })).toHaveLength(1);
    expect(createRequests(h)).toBe(1);
    // The session goes on from the log it found open.
    expect(h.service.effectiveStatus(conor)).toMatchObject({ status: 'on_duty', onDutySince: new Date(first?.timeIn ?? 0).toISOString() });
  });

  it('already queued, the first log closed in HotelMate meanwhile: a new log is created', async () => {
    const h = await createHarness();
    const conor = h.world.conor.id;
    await manualSessionOfConor(h);
    h.clock.advance(60_000);
    expect(h.double.webApp.clockOut(conor).outcome).toBe('clock_out_success');
    const queued = h.service.ledgerStore.append({ staffId: conor, action: 'clock_in', manual: { approver: 'manager_pin', note: null } });
    await h.sync();
    expect(h.service.ledgerStore.get(queued.eventId)).toMatchObject({ syncState: 'synced', serverAction: 'manual_clock_log' });
    expect(h.double.state.clockLogs({ staffId: conor })).toHaveLength(2);
    expect(logReads(h)).toBe(1);
    // The new log is the session now.
    expect(h.service.effectiveStatus(conor)).toMatchObject({ status: 'on_duty', onDutySince: queued.occurredAt });
  });

  it('already queued, the log cannot be read: a lost answer is retried, then the open log found; no second log', async () => {
    const h = await createHarness();
    const conor = h.world.conor.id;
    await manualSessionOfConor(h);
    h.double.faults.dropConnection({ method: 'GET', path: /\/clock-logs\/\d+\/$/, when: 'before' });
    const queued = h.service.ledgerStore.append({ staffId: conor, action: 'clock_in', manual: { approver: 'manager_pin', note: null } });
    await h.sync();
    expect(h.service.ledgerStore.get(queued.eventId)).toMatchObject({ syncState: 'pending', attempts: 1 });
    expect(createRequests(h)).toBe(1);
    await h.sync();
    expect(h.service.ledgerStore.get(queued.eventId)).toMatchObject({ syncState: 'synced', serverAction: 'manual_already_on_duty' });
    expect(h.double.state.clockLogs({ staffId: conor })).toHaveLength(1);
    expect(createRequests(h)).toBe(1);
  });

  it('already queued, an account that may not read logs (403): the ledger’s open log is trusted, no second log', async () => {
    const h = await createHarness();
    const conor = h.world.conor.id;
    await manualSessionOfConor(h);
    h.double.seed.revoke(h.world.manager.id, 'attendance.log.read_self');
    const queued = h.service.ledgerStore.append({ staffId: conor, action: 'clock_in', manual: { approver: 'manager_pin', note: null } });
    await h.sync();
    expect(h.service.ledgerStore.get(queued.eventId)).toMatchObject({ syncState: 'synced', serverAction: 'manual_already_on_duty' });
    expect(h.double.state.clockLogs({ staffId: conor })).toHaveLength(1);
    expect(createRequests(h)).toBe(1);
    expect(h.service.effectiveStatus(conor).status).toBe('on_duty');
  });
});
