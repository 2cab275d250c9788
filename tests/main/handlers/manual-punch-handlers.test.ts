/**
 * "Clock without face" as the screen drives it, through the validating router: the staff list, the
 * PIN approval with the admin PIN's lock-outs, the punch saved as manual with its approver and note,
 * the face seen when the attempt began, and the enrolment offer that opens the admin area; the
 * approval by a manager's recognised face and each of its refusals. Real SQLite, the real face
 * service, recognition sessions and clock service, the HotelMate double on 127.0.0.1.
 */
import { describe, expect, it } from 'vitest';
import { clockButtonInfo } from '../../../src/shared/domain/duty-status';
import type { StaffListEntry } from '../../../src/shared/domain/enrolment';
import type { ManualApproverCheck, ManualAttempt, ManualPunchResult } from '../../../src/shared/domain/manual-punch';
import type { EffectiveStatus } from '../../../src/shared/domain/types';
import { systemClock } from '../../../src/main/lib/clock';
import { MANUAL_ATTEMPTS_KEPT } from '../../../src/main/handlers/manual-punch-handlers';
import { createHandlerKit, settledState, type HandlerKit } from './handler-kit';

const PIN = '246810';

async function manualKit(): Promise<{ k: HandlerKit } & NonNullable<HandlerKit['hotel']>> {
  const k = await createHandlerKit({ clock: systemClock, hotel: true, adminPin: PIN });
  if (!k.hotel) throw new Error('no HotelMate double');
  // The staff list comes from the reference cache, filled by the service's first catch-up.
  const deadline = Date.now() + 5000;
  while (((await k.router.dispatch('manual:staff', [])) as StaffListEntry[]).length === 0) {
    if (Date.now() > deadline) throw new Error('the staff list never arrived');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { k, ...k.hotel };
}

const punch = (k: HandlerKit, request: Record<string, unknown>): Promise<ManualPunchResult> =>
  k.router.dispatch('manual:punch', [request]) as Promise<ManualPunchResult>;

describe('manual:staff', () => {
  it('lists active staff by name for the picker while the admin area is locked, saying who has a face on the kiosk', async () => {
    const { k, world } = await manualKit();
    await k.recognise(world.aoife.id, world.probes.aoife);
    const list = (await k.router.dispatch('manual:staff', [])) as StaffListEntry[];
    expect(k.admin.isUnlocked()).toBe(false);
    const names = list.map((p) => p.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect(list.find((p) => p.id === world.aoife.id)?.enrolled).toBe(true);
    expect(list.find((p) => p.id === world.niamh.id)?.enrolled).toBe(false);
  });
});

describe('manual:punch', () => {
  it('a wrong PIN writes nothing and counts towards the same lock-out as the admin PIN', async () => {
    const { k, world } = await manualKit();
    const before = k.admin.status().attemptsLeft;
    const refused = await punch(k, { staffId: world.niamh.id, action: 'clock_in', pin: '111111' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'wrong_pin' } });
    expect(k.admin.status().attemptsLeft).toBe(before - 1);
    expect(await k.handlers['ledger:list']({ limit: 10 })).toEqual([]);
    for (let i = 1; i < before; i += 1) await punch(k, { staffId: world.niamh.id, action: 'clock_in', pin: '111111' });
    const locked = await punch(k, { staffId: world.niamh.id, action: 'clock_in', pin: PIN });
    expect(locked).toMatchObject({ ok: false, error: { code: 'locked_out' } });
    expect(await k.handlers['ledger:list']({ limit: 10 })).toEqual([]);
  });

  it('saves the punch as manual with the approver and note, syncs it, and offers enrolment (admin open) for someone without a face', async () => {
    const { k, double, world } = await manualKit();
    const result = await punch(k, { staffId: world.niamh.id, action: 'clock_in', pin: PIN, note: 'first day, not enrolled' });
    if (!result.ok) throw new Error(result.error.message);
    expect(result).toMatchObject({ action: 'clock_in', duplicate: false, offerEnrol: true, status: { status: 'on_duty' } });
    const [row] = await k.handlers['ledger:list']({ limit: 10 });
    expect(row).toMatchObject({ staffId: world.niamh.id, manual: { approver: 'manager_pin', note: 'first day, not enrolled' } });
    expect(k.admin.isUnlocked()).toBe(true);
    // The kit's account holds attendance.log.create: the clock-in reached HotelMate as a manual log.
    expect(await settledState(k, result)).toBe('synced');
    expect(double.state.clockLogs({ staffId: world.niamh.id })).toHaveLength(1);
  });

  it('keeps the admin area locked for someone the kiosk has a face of, and sends the face seen at the start to HotelMate', async () => {
    const { k, double, world } = await manualKit();
    await k.recognise(world.conor.id, world.probes.conor);
    k.admin.lock();
    // Conor is still in front of the camera when "Clock without face" is tapped.
    await k.frames();
    const attempt = (await k.router.dispatch('manual:begin', [])) as ManualAttempt;
    expect(attempt.faceSeen).toBe(true);
    const result = await punch(k, { attemptId: attempt.attemptId, staffId: world.conor.id, action: 'clock_in', pin: PIN, note: 'light too bright' });
    expect(result).toMatchObject({ ok: true, offerEnrol: false });
    expect(k.admin.isUnlocked()).toBe(false);
    expect(await settledState(k, result)).toBe('synced');
    const faceCalls = double.state.requests().filter((r) => r.path.includes('/face-management/face-clock-in/'));
    expect(faceCalls).toHaveLength(1);
    expect(double.state.clockLogs({ staffId: world.conor.id })).toHaveLength(1);
  });

  it('keeps a bounded number of begun attempts: a page that keeps beginning forgets the oldest face first', async () => {
    const { k, double, world } = await manualKit();
    await k.recognise(world.conor.id, world.probes.conor);
    k.admin.lock();
    await k.frames();
    const begun: ManualAttempt[] = [];
    for (let i = 0; i <= MANUAL_ATTEMPTS_KEPT; i += 1) begun.push((await k.router.dispatch('manual:begin', [])) as ManualAttempt);
    expect(begun.every((attempt) => attempt.faceSeen)).toBe(true);
    // The first attempt was forgotten with its face: its punch carries none, so HotelMate's face check is never asked.
    const result = await punch(k, { attemptId: begun[0]!.attemptId, staffId: world.conor.id, action: 'clock_in', pin: PIN });
    expect(result).toMatchObject({ ok: true });
    expect(await settledState(k, result)).toBe('synced');
    expect(double.state.requests().filter((r) => r.path.includes('/face-management/face-clock-in/'))).toHaveLength(0);
    // The newest still carries the face seen when it began (Conor's, sent with a punch picked for Aoife: HotelMate's face check is asked, and disagrees).
    const last = await punch(k, { attemptId: begun.at(-1)!.attemptId, staffId: world.aoife.id, action: 'clock_in', pin: PIN });
    expect(last).toMatchObject({ ok: true });
    expect(await settledState(k, last)).toBe('needs_review');
    expect(double.state.requests().filter((r) => r.path.includes('/face-management/face-clock-in/'))).toHaveLength(1);
  });

  it('without a face in view the attempt carries none: the clock-in goes by the manual clock log, not the face check', async () => {
    const { k, double, world } = await manualKit();
    k.faceInView(null);
    const attempt = (await k.router.dispatch('manual:begin', [])) as ManualAttempt;
    expect(attempt.faceSeen).toBe(false);
    const result = await punch(k, { attemptId: attempt.attemptId, staffId: world.niamh.id, action: 'clock_in', pin: PIN });
    expect(await settledState(k, result)).toBe('synced');
    expect(double.state.requests().filter((r) => r.path.includes('/face-management/'))).toHaveLength(0);
    expect(double.state.clockLogs({ staffId: world.niamh.id })).toHaveLength(1);
  });

  it('refuses a person who is not on the staff list, and a note longer than the limit at the router', async () => {
    const { k, world } = await manualKit();
    expect(await punch(k, { staffId: 987654, action: 'clock_in', pin: PIN })).toMatchObject({ ok: false, error: { code: 'unknown_staff' } });
    await expect(punch(k, { staffId: world.niamh.id, action: 'clock_in', pin: PIN, note: 'x'.repeat(121) })).rejects.toThrow();
    expect(await k.handlers['ledger:list']({ limit: 10 })).toEqual([]);
  });

  it('refuses an action the person’s status does not allow (nothing written, admin area locked)', async () => {
    const { k, world } = await manualKit();
    expect(await punch(k, { staffId: world.niamh.id, action: 'clock_out', pin: PIN })).toMatchObject({ ok: false, error: { code: 'not_allowed' } });
    expect(await k.handlers['ledger:list']({ limit: 10 })).toEqual([]);
    // The PIN was right, but nothing was recorded: the admin area does not stay open.
    expect(k.admin.isUnlocked()).toBe(false);
  });
});

const approverCheck = (k: HandlerKit, recognitionId: string, staffId: number): Promise<ManualApproverCheck> =>
  k.router.dispatch('manual:approver', [recognitionId, staffId]) as Promise<ManualApproverCheck>;

describe('approval by a manager’s face', () => {
  it('offers the manager in view by name and records the punch naming them; the admin area stays locked and the recognition is used up', async () => {
    const { k, double, world } = await manualKit();
    // Siobhan is the hotel manager (role hotel_manager, access super_staff_admin in HotelMate).
    const recognitionId = await k.recognise(world.manager.id);
    expect(await approverCheck(k, recognitionId, world.niamh.id)).toEqual({ ok: true, staffId: world.manager.id, name: 'Siobhan Kelly' });
    const result = await punch(k, { staffId: world.niamh.id, action: 'clock_in', approverRecognitionId: recognitionId, note: 'first day' });
    if (!result.ok) throw new Error(result.error.message);
    // Niamh has no face on the kiosk: enrolling her now needs the PIN, the face did not open the admin area.
    expect(result).toMatchObject({ action: 'clock_in', offerEnrol: false, enrolNeedsPin: true });
    expect(k.admin.isUnlocked()).toBe(false);
    const [row] = await k.handlers['ledger:list']({ limit: 10 });
    expect(row).toMatchObject({ staffId: world.niamh.id, manual: { approver: 'manager_face', note: 'first day', manager: { staffId: world.manager.id, name: 'Siobhan Kelly' } } });
    expect(await settledState(k, result)).toBe('synced');
    expect(double.state.clockLogs({ staffId: world.niamh.id })).toHaveLength(1);

    // The same recognition cannot approve a second punch.
    expect(await approverCheck(k, recognitionId, world.conor.id)).toMatchObject({ ok: false, error: { code: 'approval_used' } });
    const replayed = await punch(k, { staffId: world.conor.id, action: 'clock_in', approverRecognitionId: recognitionId });
    expect(replayed).toMatchObject({ ok: false, error: { code: 'approval_used' } });
    expect(await k.handlers['ledger:list']({ limit: 10 })).toHaveLength(1);
  });

  it('refuses a recognition whose face is no longer the face in view, and one never issued; nothing is written', async () => {
    const { k, world } = await manualKit();
    const managerSeen = await k.recognise(world.manager.id);
    // Aoife steps in front of the camera: the manager's recognition ended with their face track.
    await k.recognise(world.aoife.id);
    for (const recognitionId of [managerSeen, 'never-issued']) {
      expect(await approverCheck(k, recognitionId, world.niamh.id)).toMatchObject({ ok: false, error: { code: 'approver_not_in_view' } });
      expect(await punch(k, { staffId: world.niamh.id, action: 'clock_in', approverRecognitionId: recognitionId })).toMatchObject({
        ok: false,
        error: { code: 'approver_not_in_view', message: expect.stringMatching(/no longer in front of the camera/) },
      });
    }
    expect(await k.handlers['ledger:list']({ limit: 10 })).toEqual([]);
  });

  it('refuses someone HotelMate does not give attendance management, and keeps their recognition for their own punch', async () => {
    const { k, world } = await manualKit();
    const conorSeen = await k.recognise(world.conor.id);
    expect(await approverCheck(k, conorSeen, world.niamh.id)).toMatchObject({ ok: false, error: { code: 'not_an_approver' } });
    expect(await punch(k, { staffId: world.niamh.id, action: 'clock_in', approverRecognitionId: conorSeen })).toMatchObject({ ok: false, error: { code: 'not_an_approver' } });
    expect(await k.handlers['ledger:list']({ limit: 10 })).toEqual([]);
    expect(k.sessions.lookup(conorSeen).state).toBe('open');
  });

  it('refuses the person being clocked approving their own punch', async () => {
    const { k, world } = await manualKit();
    const managerSeen = await k.recognise(world.manager.id);
    expect(await approverCheck(k, managerSeen, world.manager.id)).toMatchObject({ ok: false, error: { code: 'self_approval' } });
    expect(await punch(k, { staffId: world.manager.id, action: 'clock_in', approverRecognitionId: managerSeen })).toMatchObject({
      ok: false,
      error: { code: 'self_approval', message: expect.stringMatching(/own punch/) },
    });
    expect(await k.handlers['ledger:list']({ limit: 10 })).toEqual([]);
  });

  it('refuses a manager whose face was named with liveness in doubt', async () => {
    const { k, world } = await manualKit();
    const seen = k.sessions.find(await k.recognise(world.manager.id));
    if (!seen) throw new Error('no session');
    // As the passive mode names a face it doubts: flagged as a suspected photo or screen, on the same face track.
    const doubtful = k.sessions.open({ ...seen.match, spoofSuspected: true }, seen.trackId);
    expect(await punch(k, { staffId: world.niamh.id, action: 'clock_in', approverRecognitionId: doubtful })).toMatchObject({ ok: false, error: { code: 'approver_not_live' } });
    expect(await k.handlers['ledger:list']({ limit: 10 })).toEqual([]);
  });

  it('refuses a manager recognised with liveness off (nothing proves a live person): only the PIN approves then', async () => {
    const { k, world } = await manualKit();
    expect(k.config.update({ recognition: { liveness: 'off' } }).ok).toBe(true);
    const managerSeen = await k.recognise(world.manager.id);
    expect(await approverCheck(k, managerSeen, world.niamh.id)).toMatchObject({ ok: false, error: { code: 'approver_not_live' } });
    expect(await punch(k, { staffId: world.niamh.id, action: 'clock_in', approverRecognitionId: managerSeen })).toMatchObject({
      ok: false,
      error: { code: 'approver_not_live', message: expect.stringMatching(/manager PIN/) },
    });
    expect(await k.handlers['ledger:list']({ limit: 10 })).toEqual([]);
    // The recognition stays the manager's own (for their punch), and the PIN still approves.
    expect(k.sessions.lookup(managerSeen).state).toBe('open');
    expect(await punch(k, { staffId: world.niamh.id, action: 'clock_in', pin: PIN })).toMatchObject({ ok: true, action: 'clock_in' });
    expect(await k.handlers['ledger:list']({ limit: 10 })).toMatchObject([{ staffId: world.niamh.id, manual: { approver: 'manager_pin' } }]);
  });

  it('takes exactly one approval at the router: never the PIN and a face together', async () => {
    const { k, world } = await manualKit();
    const managerSeen = await k.recognise(world.manager.id);
    await expect(punch(k, { staffId: world.niamh.id, action: 'clock_in', pin: PIN, approverRecognitionId: managerSeen })).rejects.toThrow();
    await expect(punch(k, { staffId: world.niamh.id, action: 'clock_in' })).rejects.toThrow();
    expect(await k.handlers['ledger:list']({ limit: 10 })).toEqual([]);
  });
});

describe('after a clock-in without a face (a manual clock log; HotelMate’s duty_status stays off duty)', () => {
  /** Conor clocks in without a face in view; synced as a manual clock log that HotelMate keeps open. */
  async function clockedInWithoutFace(): Promise<Awaited<ReturnType<typeof manualKit>>> {
    const kit = await manualKit();
    const { k, double, world } = kit;
    k.faceInView(null);
    const result = await punch(k, { staffId: world.conor.id, action: 'clock_in', pin: PIN });
    expect(await settledState(k, result)).toBe('synced');
    expect(double.state.clockLogs({ staffId: world.conor.id })).toMatchObject([{ timeOut: null }]);
    expect(double.state.staff(world.conor.id)?.dutyStatus).toBe('off_duty');
    return kit;
  }

  it('he is on duty: the re-read and "Clock without face" offer Start Break and Clock Out, not a second clock-in', async () => {
    const { k, double, world } = await clockedInWithoutFace();
    const conor = world.conor.id;
    expect(await k.services.refreshStatus(conor, 1500)).toMatchObject({ status: 'on_duty' });
    const status = (await k.router.dispatch('manual:status', [conor])) as EffectiveStatus;
    expect(status).toMatchObject({ status: 'on_duty', freshness: { source: 'live' } });
    expect(clockButtonInfo(status.status, status.breakStartedAt, new Date())).toMatchObject({ primary: { action: 'start_break' }, secondary: { action: 'clock_out' } });
    expect(double.state.clockLogs({ staffId: conor })).toHaveLength(1);
  });

  it('at his next walk-up the greeting offers Clock Out, and his face clock-out closes the log', async () => {
    const { k, double, world } = await clockedInWithoutFace();
    const conor = world.conor.id;
    k.wire();
    const recognitionId = await k.recognise(conor, world.probes.conor);
    const greeting = k.lastSent('face:recognised');
    expect(greeting?.status).toMatchObject({ status: 'on_duty', freshness: { source: 'live' } });
    expect(clockButtonInfo(greeting?.status.status ?? 'off_duty', null, new Date()).secondary?.action).toBe('clock_out');

    const out = await k.handlers['clock:punch']({ recognitionId, action: 'clock_out' });
    expect(await settledState(k, out)).toBe('synced');
    expect(double.state.clockLogs({ staffId: conor })).toHaveLength(1);
    expect(double.state.clockLogs({ staffId: conor })[0]?.timeOut).not.toBeNull();
    expect(await k.router.dispatch('manual:status', [conor])).toMatchObject({ status: 'off_duty' });
  });

  it('once the log is closed in the HotelMate web app, "Clock without face" offers Clock In again', async () => {
    const { k, double, world } = await clockedInWithoutFace();
    const conor = world.conor.id;
    expect(await k.router.dispatch('manual:status', [conor])).toMatchObject({ status: 'on_duty' });
    expect(double.webApp.clockOut(conor).outcome).toBe('clock_out_success');
    const status = (await k.router.dispatch('manual:status', [conor])) as EffectiveStatus;
    expect(status).toMatchObject({ status: 'off_duty', freshness: { source: 'live' } });
    expect(clockButtonInfo(status.status, null, new Date()).primary.action).toBe('clock_in');
  });
});
