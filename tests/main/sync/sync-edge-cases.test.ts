/**
 * Sync edge cases found against a backend that behaves like the real one (the HotelMate double on
 * 127.0.0.1, its web app as a second client), through the real ClockService and a real SQLite
 * ledger: a lost clock-out answer followed by a web clock-in, a face check that clocks in someone
 * other than the kiosk's match, and a manager sending a needs-review punch again.
 */
import { describe, expect, it } from 'vitest';
import type { EffectiveStatus } from '../../../src/shared/domain/types';
import { nearby } from '../../support/hotelmate-double';
import { createHarness, type Harness } from './harness';

/** Aoife clocked in at this kiosk an hour ago (synced); her next request to `path` then loses its answer (`after` it wrote) or never arrives (`before`). */
async function onDutyThenLose(h: Harness, path: 'confirm-clock-out' | 'toggle-break', when: 'after' | 'before'): Promise<void> {
  h.punch(h.world.aoife.id, 'clock_in', h.world.probes.aoife);
  await h.sync();
  h.clock.advance(3_600_000);
  h.double.faults.dropConnection({ path, when });
}

describe('sync: a clock-out whose answer was lost', () => {
  it('never closes a newer web session: the retry ends in needs review and the web session stays open', async () => {
    const h = await createHarness();
    const aoife = h.world.aoife;
    // The clock-out reaches HotelMate and closes the session, but the answer never comes back.
    await onDutyThenLose(h, 'confirm-clock-out', 'after');
    const clockOut = h.punch(aoife.id, 'clock_out', h.world.probes.aoife);
    if (!clockOut.ok) throw new Error('punch refused');
    await h.sync();
    const [first] = h.double.state.clockLogs({ staffId: aoife.id });
    expect(first?.timeOut).not.toBeNull();
    expect(h.service.ledger({ limit: 1 })[0]).toMatchObject({ syncState: 'pending', attempts: 1 });
    // The session start it was closing is kept with the punch (server time), durably.
    expect(Date.parse(h.service.ledgerStore.get(clockOut.eventId)?.serverSessionStart ?? '')).toBe(Date.parse(first?.timeIn ?? ''));

    // 17 s later Aoife clocks in again in the web app (rostered: a new session opens).
    h.clock.advance(17_000);
    expect(h.double.webApp.clockIn(aoife.id).outcome).toBe('clock_in_success');
    await h.sync();

    const row = h.service.ledger({ limit: 1 })[0];
    expect(row?.syncState).toBe('needs_review');
    expect(row?.lastError).toMatch(/an earlier attempt of this clock-out was changing the session that started at .* and got no answer/);
    const logs = h.double.state.clockLogs({ staffId: aoife.id });
    expect(logs).toHaveLength(2);
    expect(logs.filter((log) => log.timeOut === null)).toHaveLength(1); // the web session stays open
    expect(h.endpoints().filter((e) => e === 'confirm-clock-out')).toHaveLength(1);
    // What the kiosk shows now is HotelMate's truth: on duty in the web session.
    expect(h.service.effectiveStatus(aoife.id).status).toBe('on_duty');
  });

  it('closes the same session when the first attempt never arrived (nothing was written)', async () => {
    const h = await createHarness();
    const aoife = h.world.aoife;
    await onDutyThenLose(h, 'confirm-clock-out', 'before');
    h.punch(aoife.id, 'clock_out', h.world.probes.aoife);
    await h.sync();
    await h.sync();
    expect(h.service.ledger({ limit: 1 })[0]?.syncState).toBe('synced');
    const logs = h.double.state.clockLogs({ staffId: aoife.id });
    expect(logs).toHaveLength(1);
    expect(logs[0]?.timeOut).not.toBeNull();
  });

  it('a break start whose answer was lost is not repeated on a session opened in the web app meanwhile', async () => {
    const h = await createHarness();
    const aoife = h.world.aoife;
    await onDutyThenLose(h, 'toggle-break', 'after');
    h.punch(aoife.id, 'start_break', h.world.probes.aoife);
    await h.sync();
    // In the web app: she ends the break, clocks out (the page only offers Resume Shift during a break), clocks in again.
    h.clock.advance(20_000);
    expect(h.double.webApp.endBreak(aoife.id).outcome).toBe('break_ended');
    expect(h.double.webApp.clockOut(aoife.id).outcome).toBe('clock_out_success');
    expect(h.double.webApp.clockIn(aoife.id).outcome).toBe('clock_in_success');
    await h.sync();
    expect(h.service.ledger({ limit: 1 })[0]?.syncState).toBe('needs_review');
    expect(h.endpoints().filter((e) => e === 'toggle-break')).toHaveLength(1);
    expect(h.double.state.staff(aoife.id)?.dutyStatus).toBe('on_duty');
  });
});

describe('sync: HotelMate matches the face to someone else', () => {
  it('names who its face check clocked in and which log, and the kiosk shows that person on duty', async () => {
    const h = await createHarness();
    const { aoife, niamh } = h.world;
    const heard: EffectiveStatus[] = [];
    h.service.onStatus((status) => heard.push(status));
    // The kiosk matched Niamh; the encoding it sends is (HotelMate decides) Aoife's, who is rostered and off duty.
    h.punch(niamh.id, 'clock_in', h.world.probes.aoife);
    await h.sync();

    const [log] = h.double.state.clockLogs({ staffId: aoife.id });
    expect(log).toBeDefined();
    const row = h.service.ledger({ limit: 1 })[0];
    expect(row?.syncState).toBe('needs_review');
    expect(row?.lastError).toContain(`HotelMate matched the face to staff #${aoife.id} (Aoife Murphy), not to staff #${niamh.id}`);
    expect(row?.lastError).toContain(`clocked Aoife Murphy in (log #${log?.id})`);
    expect(row?.lastError).not.toMatch(/^.*nothing more was sent\.$/);
    expect(h.service.effectiveStatus(aoife.id).status).toBe('on_duty');
    expect(heard.some((s) => s.staffId === aoife.id && s.status === 'on_duty')).toBe(true);
    expect(h.service.board().departments.flatMap((d) => d.entries.map((e) => e.name))).toContain('Aoife Murphy');
    // Niamh was never clocked in anywhere.
    expect(h.double.state.clockLogs({ staffId: niamh.id })).toHaveLength(0);
    expect(h.service.effectiveStatus(niamh.id).status).toBe('off_duty');
  });
});

describe('sync: a manager sends a needs-review punch again', () => {
  it('the punch re-enters the queue, goes through the state check again and syncs once the face is registered', async () => {
    const h = await createHarness();
    const { niamh } = h.world;
    const niamhFace = nearby(h.world.encodings.stranger, 0.0, 41);
    h.punch(niamh.id, 'clock_in', niamhFace, 'Covering reception');
    await h.sync();
    const [row] = h.service.ledger({ limit: 1 });
    expect(row).toMatchObject({ syncState: 'needs_review' });
    expect(row?.lastError).toMatch(/did not recognise the face/);

    h.double.seed.face({ staffId: niamh.id, encoding: niamhFace });
    const retried = h.service.retryReview(row?.eventId ?? '');
    expect(retried).toMatchObject({ ok: true, row: { syncState: 'pending' } });
    expect(h.service.effectiveStatus(niamh.id)).toMatchObject({ status: 'on_duty', pendingPunches: 1 });
    await h.sync();
    expect(h.service.ledger({ limit: 1 })[0]).toMatchObject({ syncState: 'synced' });
    expect(h.endpoints().slice(-2)).toEqual(['face-clock-in', 'force-clock-in']);
    expect(h.double.state.clockLogs({ staffId: niamh.id })).toHaveLength(1);
  });

  it('refuses a row that is not in review, and one a later synced punch of the person has overtaken', async () => {
    const h = await createHarness();
    const { aoife } = h.world;
    h.punch(aoife.id, 'clock_in', h.world.probes.aoife);
    await h.sync();
    const synced = h.service.ledger({ limit: 1 })[0];
    expect(h.service.retryReview(synced?.eventId ?? '')).toMatchObject({ ok: false, error: { code: 'not_in_review' } });
    expect(h.service.retryReview('0190a4c4-0000-7000-8000-000000000000')).toMatchObject({ ok: false, error: { code: 'not_found' } });

    // Niamh's clock-in is not recognised (no face on HotelMate yet); her face is registered and she clocks in again, which syncs.
    const { niamh } = h.world;
    const niamhFace = nearby(h.world.encodings.stranger, 0.0, 41);
    h.punch(niamh.id, 'clock_in', niamhFace, 'Covering reception');
    await h.sync();
    const review = h.service.ledger({ state: 'needs_review', limit: 1 })[0];
    expect(review?.staffId).toBe(niamh.id);
    h.double.seed.face({ staffId: niamh.id, encoding: niamhFace });
    h.clock.advance(60_000);
    h.punch(niamh.id, 'clock_in', niamhFace, 'Covering reception');
    await h.sync();
    expect(h.service.ledger({ limit: 1 })[0]?.syncState).toBe('synced');
    // Sending the first one now would replay a clock-in after the later one: refused, and it stays in review.
    const refused = h.service.retryReview(review?.eventId ?? '');
    expect(refused).toMatchObject({ ok: false, error: { code: 'superseded' } });
    expect(h.service.ledger({ state: 'needs_review', limit: 5 })).toHaveLength(1);
  });
});
