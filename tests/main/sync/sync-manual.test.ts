/**
 * Punches a manager approved without a face ("Clock without face"), synced through the real
 * ClockService and SQLite ledger to the HotelMate double on 127.0.0.1: no face and the account may
 * create logs -> one manual clock log, even when an answer is lost; no permission -> needs review
 * with the manager's note; a face seen during the attempt goes through the face check and must be
 * the person picked.
 */
import { describe, expect, it } from 'vitest';
import type { ClockAction } from '../../../src/shared/domain/types';
import { createHarness, type Harness } from './harness';

/** A punch approved with the manager PIN (or a manager's face), as the manual-punch handler records it. */
function manualPunch(
  h: Harness,
  staffId: number,
  action: ClockAction,
  options: { note?: string; face?: readonly number[]; manager?: { staffId: number; name: string } } = {},
): string {
  const note = options.note ?? null;
  const result = h.service.punch({
    staffId,
    action,
    match: null,
    flagged: false,
    manual: options.manager ? { approver: 'manager_face', note, manager: options.manager } : { approver: 'manager_pin', note },
    liveDescriptor: options.face ? Float32Array.from(options.face) : null,
    ...(options.note ? { reason: options.note } : {}),
  });
  if (!result.ok) throw new Error(`manual punch refused: ${result.error.message}`);
  return result.eventId;
}

const manualLogsOf = (h: Harness, staffId: number): unknown[] => h.double.state.clockLogs({ staffId });
const createRequests = (h: Harness): number =>
  h.double.state.requests().filter((r) => r.method === 'POST' && /\/attendance\/clock-logs\/$/.test(r.path)).length;

describe('sync of a punch approved without a face', () => {
  it('creates the clock-in once with POST clock-logs/ when the kiosk account may create logs', async () => {
    const h = await createHarness();
    const niamh = h.world.niamh;
    const eventId = manualPunch(h, niamh.id, 'clock_in', { note: 'new starter, not enrolled yet' });
    expect(h.service.ledgerStore.get(eventId)).toMatchObject({ manualApprover: 'manager_pin', manualNote: 'new starter, not enrolled yet', syncState: 'pending' });

    await h.sync();
    await h.sync();

    const row = h.service.ledger({ limit: 1 })[0];
    expect(row).toMatchObject({ eventId, syncState: 'synced', manual: { approver: 'manager_pin', note: 'new starter, not enrolled yet' } });
    expect(manualLogsOf(h, niamh.id)).toHaveLength(1);
    expect(createRequests(h)).toBe(1);
    // Never the face endpoints: there was no face to send.
    expect(h.endpoints().filter((e) => e === 'face-clock-in')).toHaveLength(0);
    // The manager's CSV export carries the approval and the note, then no review note (not flagged).
    const csv = h.service.exportCsv().trim().split('\n');
    expect(csv[1]).toMatch(/,manager_pin,manager PIN,"new starter, not enrolled yet",$/);
  });

  it('finds the log of an attempt whose answer was lost instead of creating a second one', async () => {
    const h = await createHarness();
    const niamh = h.world.niamh;
    h.double.faults.dropConnection({ method: 'POST', path: /\/attendance\/clock-logs\/$/, when: 'after' });
    const eventId = manualPunch(h, niamh.id, 'clock_in');
    await h.sync();
    expect(h.service.ledgerStore.get(eventId)?.syncState).toBe('pending');
    expect(manualLogsOf(h, niamh.id)).toHaveLength(1);

    await h.sync();
    expect(h.service.ledgerStore.get(eventId)).toMatchObject({ syncState: 'synced', serverAction: 'manual_clock_log' });
    expect(manualLogsOf(h, niamh.id)).toHaveLength(1);
    expect(createRequests(h)).toBe(1);
  });

  it('finds the log when a web filter’s page replaced the answer of the create, after the pause, instead of creating a second one', async () => {
    const h = await createHarness();
    const niamh = h.world.niamh;
    h.double.faults.answerAfterWrite({ method: 'POST', path: /\/attendance\/clock-logs\/$/, status: 201, body: '<html><body>Blocked by policy</body></html>' });
    const eventId = manualPunch(h, niamh.id, 'clock_in');
    await h.sync();
    expect(h.service.ledgerStore.get(eventId)).toMatchObject({ syncState: 'pending', attempts: 1 });
    expect(h.service.connection().api).toBe('paused');
    expect(manualLogsOf(h, niamh.id)).toHaveLength(1);

    h.clock.advance(3_600_000); // the harness's probe interval: the pause lifts on the next trial
    await h.sync();
    expect(h.service.ledgerStore.get(eventId)).toMatchObject({ syncState: 'synced', serverAction: 'manual_clock_log' });
    expect(manualLogsOf(h, niamh.id)).toHaveLength(1);
    expect(createRequests(h)).toBe(1);
  });

  it('syncs a clock-in for someone HotelMate already shows on duty without a write, recorded as taken without a face check', async () => {
    const h = await createHarness();
    const aoife = h.world.aoife;
    const eventId = manualPunch(h, aoife.id, 'clock_in');
    // Meanwhile she clocked in with the HotelMate web app's face clock.
    expect(h.double.webApp.clockIn(aoife.id).outcome).toBe('clock_in_success');
    await h.sync();
    expect(h.service.ledgerStore.get(eventId)).toMatchObject({ syncState: 'synced', serverAction: 'manual_already_on_duty' });
    expect(createRequests(h)).toBe(0);
    expect(h.endpoints().filter((e) => e === 'face-clock-in')).toHaveLength(0);
  });

  it.each([
    ['may not create logs', 'attendance.log.create', /attendance\.log\.create/],
    ['may not read the person’s status (so it cannot check they are not on duty already)', 'staff_management.staff.read', /needs staff_management\.staff\.read: HTTP 403: You do not have permission/],
  ])('goes to review with the manager’s note when the kiosk account %s, and the sync carries on', async (_name, capability, reason) => {
    const h = await createHarness();
    h.double.seed.revoke(h.world.manager.id, capability);
    const eventId = manualPunch(h, h.world.niamh.id, 'clock_in', { note: 'camera broken at 7am' });
    h.punch(h.world.aoife.id, 'clock_in', h.world.probes.aoife);
    await h.sync();

    const manual = h.service.ledgerStore.get(eventId);
    expect(manual?.syncState).toBe('needs_review');
    expect(manual?.lastError).toMatch(reason);
    expect(manual?.lastError).toContain('Manager\'s note: "camera broken at 7am"');
    expect(manualLogsOf(h, h.world.niamh.id)).toHaveLength(0);
    // A missing capability is not a refused account (no pause): Aoife's face punch still went through.
    expect(h.service.connection().api).toBe('online');
    expect(h.service.ledger({ limit: 5 }).find((r) => r.staffId === h.world.aoife.id)?.syncState).toBe('synced');
  });

  it('names the manager who approved with their face in the review note, the log’s note and the CSV', async () => {
    const h = await createHarness();
    const manager = { staffId: h.world.manager.id, name: 'Siobhan Kelly' };
    h.double.seed.revoke(h.world.manager.id, 'attendance.log.create');
    const refused = manualPunch(h, h.world.niamh.id, 'clock_in', { note: 'camera broken', manager });
    await h.sync();
    const event = h.service.ledgerStore.get(refused);
    expect(event).toMatchObject({ syncState: 'needs_review', manualApprover: 'manager_face', manualApproverStaffId: manager.staffId, manualApproverName: 'Siobhan Kelly' });
    expect(event?.lastError).toContain('Approved on the kiosk by Siobhan Kelly (face). Manager\'s note: "camera broken"');
    const csv = h.service.exportCsv().trim().split('\n');
    expect(csv.find((line) => line.startsWith(refused))).toMatch(/,manager_face,approved by Siobhan Kelly \(face\),camera broken,$/);

    // With the capability, the manual log HotelMate keeps says who approved it.
    h.double.seed.grant(h.world.manager.id, 'attendance.log.create');
    const created = manualPunch(h, h.world.conor.id, 'clock_in', { manager });
    await h.sync();
    expect(h.service.ledgerStore.get(created)?.syncState).toBe('synced');
    const [log] = h.double.state.clockLogs({ staffId: h.world.conor.id });
    expect(log?.locationNote).toContain(`no face, approved by Siobhan Kelly (face) | ${created}`);
  });

  it('sends a face seen during the attempt through the face check: another person’s face goes to review', async () => {
    const h = await createHarness();
    const conor = h.world.conor;
    // Conor picked his name, but the face in view was Aoife's.
    const eventId = manualPunch(h, conor.id, 'clock_in', { face: h.world.probes.aoife });
    await h.sync();

    const event = h.service.ledgerStore.get(eventId);
    expect(event?.syncState).toBe('needs_review');
    expect(event?.lastError).toMatch(new RegExp(`matched the face to staff #${h.world.aoife.id}`));
    expect(createRequests(h)).toBe(0);
  });

  it('syncs through the face endpoints when the face seen is the person picked', async () => {
    const h = await createHarness();
    const conor = h.world.conor;
    const eventId = manualPunch(h, conor.id, 'clock_in', { face: h.world.probes.conor, note: 'not recognised in bad light' });
    await h.sync();
    expect(h.service.ledgerStore.get(eventId)).toMatchObject({ syncState: 'synced', serverAction: 'unrostered_clock_in' });
    expect(h.endpoints()).toEqual(['face-clock-in', 'force-clock-in']);
    expect(createRequests(h)).toBe(0);
  });

  it('sends a clock-out without a face to review: HotelMate can only take it with a face', async () => {
    const h = await createHarness();
    const aoife = h.world.aoife;
    h.punch(aoife.id, 'clock_in', h.world.probes.aoife);
    await h.sync();
    h.clock.advance(3_600_000);
    const eventId = manualPunch(h, aoife.id, 'clock_out', { note: 'camera unplugged' });
    await h.sync();
    const event = h.service.ledgerStore.get(eventId);
    expect(event?.syncState).toBe('needs_review');
    expect(event?.lastError).toMatch(/clock-out was approved on the kiosk without a face/);
    expect(event?.lastError).toContain('camera unplugged');
    expect(h.double.state.clockLogs({ staffId: aoife.id }).filter((l) => l.timeOut === null)).toHaveLength(1);
  });

  it('sends a clock-in made offline on an earlier UTC day to review instead of recording it today', async () => {
    const h = await createHarness({ start: '2026-05-11T23:50:00Z' });
    h.double.faults.dropConnection({ when: 'before', times: 50 });
    const eventId = manualPunch(h, h.world.niamh.id, 'clock_in');
    await h.sync();
    expect(h.service.ledgerStore.get(eventId)?.syncState).toBe('pending');
    h.double.faults.clear();
    h.clock.advance(20 * 60_000);
    await h.sync();
    const event = h.service.ledgerStore.get(eventId);
    expect(event?.syncState).toBe('needs_review');
    expect(event?.lastError).toMatch(/clock-in of 2026-05-11 \(UTC\)/);
    expect(createRequests(h)).toBe(0);
  });
});
