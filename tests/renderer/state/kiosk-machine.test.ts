// @vitest-environment jsdom
/** The kiosk UI state machine: every state, transition, timeout and the privacy reset, and what happens when main says the recognised face is gone. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createActor } from 'xstate';
import { createKioskMachine, TIMINGS } from '../../../src/renderer/src/state/kiosk-machine';
import type { PunchRequest, PunchResult, UndoResult } from '../../../src/shared/domain/punch';
import type { FaceGone, FaceObservation } from '../../../src/shared/domain/types';
import { recognitionOf, testInfo } from '../support/fake-kiosk';

const observation = (hasMainFace = true): FaceObservation => ({
  frameSeq: 1,
  faces: hasMainFace ? [{ x: 0.3, y: 0.2, width: 0.3, height: 0.4 }] : [],
  hasMainFace,
  guidance: 'move_closer',
  checking: false,
});

const okPunch = (input: PunchRequest, savedOffline = false): Extract<PunchResult, { ok: true }> => ({
  ok: true,
  eventId: 'evt-1',
  action: input.action,
  occurredAt: '2026-11-27T09:00:05.000Z',
  savedOffline,
  duplicate: false,
  status: { staffId: 7, status: 'on_duty', breakStartedAt: null, pendingPunches: savedOffline ? 1 : 0, updatedAt: null },
});

const gone = (recognitionId: string | null, reason: FaceGone['reason'] = 'left'): { type: 'GONE'; gone: FaceGone } => ({
  type: 'GONE',
  gone: { reason, recognitionId, at: '2026-11-27T09:00:09.000Z' },
});

function start(
  punch: (input: PunchRequest) => Promise<PunchResult> = async (i) => okPunch(i),
  undo: (eventId: string) => Promise<UndoResult> = async (eventId) => ({ ok: true, eventId, status: okPunch({ recognitionId: '', action: 'clock_out' }).status }),
) {
  const rejected: string[] = [];
  const undone: string[] = [];
  const released: string[] = [];
  let startAgain = 0;
  const punches: PunchRequest[] = [];
  let locks = 0;
  const machine = createKioskMachine({
    punch: (input) => {
      punches.push(input);
      return punch(input);
    },
    rejectMatch: (id) => rejected.push(id),
    startAgain: () => {
      startAgain += 1;
    },
    lockAdmin: () => {
      locks += 1;
    },
    undo: (eventId) => {
      undone.push(eventId);
      return undo(eventId);
    },
    release: (eventId) => released.push(eventId),
  });
  const actor = createActor(machine).start();
  actor.send({ type: 'INFO', info: { ...testInfo, greetingTimeoutSeconds: 10 } });
  return { actor, rejected, punches, undone, released, locks: () => locks, startAgains: () => startAgain, state: () => actor.getSnapshot().value };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('kiosk machine', () => {
  it('boots into idle in kiosk mode and into setup on first run', () => {
    expect(start().state()).toBe('idle');
    const actor = createActor(
      createKioskMachine({
        punch: async (i) => okPunch(i),
        rejectMatch: () => {},
        startAgain: () => {},
        lockAdmin: () => {},
        undo: async () => ({ ok: false, error: { code: 'too_late', message: '' } }),
        release: () => {},
      }),
    ).start();
    expect(actor.getSnapshot().value).toBe('boot');
    actor.send({ type: 'INFO', info: { ...testInfo, mode: 'setup' } });
    expect(actor.getSnapshot().value).toBe('setup');
    actor.send({ type: 'SETUP_DONE' });
    expect(actor.getSnapshot().value).toBe('setup'); // still not configured
    actor.send({ type: 'INFO', info: testInfo });
    actor.send({ type: 'SETUP_DONE' });
    expect(actor.getSnapshot().value).toBe('idle');
  });

  it('shows guidance while a face is in view and returns to idle when it is lost or gone', () => {
    const k = start();
    k.actor.send({ type: 'OBSERVED', observation: observation(false) });
    expect(k.state()).toBe('idle');
    k.actor.send({ type: 'OBSERVED', observation: observation() });
    expect(k.state()).toBe('guidance');
    vi.advanceTimersByTime(TIMINGS.faceLostMs - 100);
    k.actor.send({ type: 'OBSERVED', observation: observation() });
    vi.advanceTimersByTime(TIMINGS.faceLostMs - 100);
    expect(k.state()).toBe('guidance'); // each sighting restarts the timer
    vi.advanceTimersByTime(200);
    expect(k.state()).toBe('idle');
    k.actor.send({ type: 'OBSERVED', observation: observation() });
    k.actor.send(gone(null));
    expect(k.state()).toBe('idle');
    expect(k.actor.getSnapshot().context.observation).toBeNull();
  });

  it('greets, then forgets the person after the configured greeting timeout', () => {
    const k = start();
    k.actor.send({ type: 'OBSERVED', observation: observation() });
    k.actor.send({ type: 'RECOGNISED', recognition: recognitionOf() });
    expect(k.state()).toBe('recognised');
    expect(k.actor.getSnapshot().context.recognition?.staff.name).toBe('Jane Doe');
    vi.advanceTimersByTime(9_900);
    expect(k.state()).toBe('recognised');
    vi.advanceTimersByTime(200);
    expect(k.state()).toBe('idle');
    const ctx = k.actor.getSnapshot().context;
    expect(ctx.recognition).toBeNull();
    expect(ctx.observation).toBeNull();
    expect(k.rejected).toEqual([]);
  });

  it('"Not you?" rejects the match and resets', () => {
    const k = start();
    k.actor.send({ type: 'RECOGNISED', recognition: recognitionOf({ recognitionId: 'rec-9' }) });
    k.actor.send({ type: 'NOT_YOU' });
    expect(k.state()).toBe('idle');
    expect(k.rejected).toEqual(['rec-9']);
    expect(k.actor.getSnapshot().context.recognition).toBeNull();
  });

  it('updates the shown status from clock:status only for the same person', () => {
    const k = start();
    k.actor.send({ type: 'RECOGNISED', recognition: recognitionOf() });
    k.actor.send({ type: 'STATUS', status: { staffId: 99, status: 'on_break', breakStartedAt: null, pendingPunches: 0, updatedAt: null } });
    expect(k.actor.getSnapshot().context.recognition?.status.status).toBe('off_duty');
    k.actor.send({ type: 'STATUS', status: { staffId: 7, status: 'on_duty', breakStartedAt: null, pendingPunches: 0, updatedAt: null } });
    expect(k.actor.getSnapshot().context.recognition?.status.status).toBe('on_duty');
  });

  it('punches, confirms and returns to idle after the confirmation time', async () => {
    const k = start();
    k.actor.send({ type: 'RECOGNISED', recognition: recognitionOf() });
    k.actor.send({ type: 'CHOOSE', action: 'clock_in' });
    expect(k.state()).toBe('punching');
    await vi.advanceTimersByTimeAsync(0);
    expect(k.state()).toBe('confirmed');
    expect(k.punches).toEqual([{ recognitionId: 'rec-1', action: 'clock_in' }]);
    expect(k.actor.getSnapshot().context.result?.action).toBe('clock_in');
    await vi.advanceTimersByTimeAsync(TIMINGS.confirmMs);
    expect(k.state()).toBe('idle');
    expect(k.actor.getSnapshot().context.result).toBeNull();
  });

  it('asks for a reason before an unrostered clock-in, and can go back', async () => {
    const k = start();
    k.actor.send({ type: 'RECOGNISED', recognition: recognitionOf({ shift: null }) });
    k.actor.send({ type: 'CHOOSE', action: 'clock_in' });
    expect(k.state()).toBe('reason');
    k.actor.send({ type: 'BACK' });
    expect(k.state()).toBe('recognised');
    k.actor.send({ type: 'CHOOSE', action: 'clock_in' });
    k.actor.send({ type: 'REASON', reason: 'Covering for a colleague' });
    await vi.advanceTimersByTimeAsync(0);
    expect(k.state()).toBe('confirmed');
    expect(k.punches).toEqual([{ recognitionId: 'rec-1', action: 'clock_in', reason: 'Covering for a colleague' }]);
  });

  it('does not ask for a reason for other actions when there is no shift', () => {
    const k = start();
    k.actor.send({
      type: 'RECOGNISED',
      recognition: recognitionOf({ shift: null, status: { staffId: 7, status: 'on_duty', breakStartedAt: null, pendingPunches: 0, updatedAt: null } }),
    });
    k.actor.send({ type: 'CHOOSE', action: 'start_break' });
    expect(k.state()).toBe('punching');
  });

  it('the reason step also times out to idle', () => {
    const k = start();
    k.actor.send({ type: 'RECOGNISED', recognition: recognitionOf({ shift: null }) });
    k.actor.send({ type: 'CHOOSE', action: 'clock_in' });
    vi.advanceTimersByTime(10_001);
    expect(k.state()).toBe('idle');
    expect(k.punches).toEqual([]);
  });

  it('typing keeps the reason step open: its timeout counts from the last keystroke', () => {
    const k = start();
    k.actor.send({ type: 'RECOGNISED', recognition: recognitionOf({ shift: null }) });
    k.actor.send({ type: 'CHOOSE', action: 'clock_in' });
    for (let i = 0; i < 5; i += 1) {
      vi.advanceTimersByTime(8_000);
      k.actor.send({ type: 'ACTIVITY' });
    }
    expect(k.state()).toBe('reason'); // 40 s of typing, never idle
    k.actor.send({ type: 'REASON', reason: 'Covering the night porter' });
    expect(k.punches).toEqual([{ recognitionId: 'rec-1', action: 'clock_in', reason: 'Covering the night porter' }]);
  });

  const undoable = (input: PunchRequest): PunchResult => ({ ...okPunch(input), undoUntil: '2026-11-27T09:00:15.000Z' });

  it('Undo on the done screen undoes the punch, says so, and asks main to look at the person afresh', async () => {
    const k = start(async (i) => undoable(i));
    k.actor.send({ type: 'RECOGNISED', recognition: recognitionOf() });
    k.actor.send({ type: 'CHOOSE', action: 'clock_in' });
    await vi.waitFor(() => expect(k.state()).toBe('confirmed'));
    k.actor.send({ type: 'UNDO' });
    await vi.waitFor(() => expect(k.state()).toBe('undone'));
    expect(k.undone).toEqual(['evt-1']);
    expect(k.released).toEqual([]); // an undone punch is never released to the sync
    expect(k.startAgains()).toBe(1);
    k.actor.send({ type: 'RECOGNISED', recognition: recognitionOf({ recognitionId: 'rec-2' }) });
    expect(k.state()).toBe('recognised');
  });

  it('leaving the done screen releases the punch at once (timeout, Done, or the next person)', async () => {
    const k = start(async (i) => undoable(i));
    const punchAndLeave = async (leave: () => void): Promise<void> => {
      k.actor.send({ type: 'RECOGNISED', recognition: recognitionOf() });
      k.actor.send({ type: 'CHOOSE', action: 'clock_in' });
      await vi.waitFor(() => expect(k.state()).toBe('confirmed'));
      leave();
    };
    await punchAndLeave(() => vi.advanceTimersByTime(TIMINGS.confirmMs + 1));
    await punchAndLeave(() => k.actor.send({ type: 'DISMISS' }));
    await punchAndLeave(() => k.actor.send({ type: 'RECOGNISED', recognition: recognitionOf({ recognitionId: 'rec-9' }) }));
    expect(k.released).toEqual(['evt-1', 'evt-1', 'evt-1']);
    expect(k.state()).toBe('recognised');
  });

  it('an undo main refuses (too late) leaves the done screen saying so, without Undo', async () => {
    const k = start(async (i) => undoable(i), async () => ({ ok: false, error: { code: 'too_late', message: 'too late' } }));
    k.actor.send({ type: 'RECOGNISED', recognition: recognitionOf() });
    k.actor.send({ type: 'CHOOSE', action: 'clock_in' });
    await vi.waitFor(() => expect(k.state()).toBe('confirmed'));
    k.actor.send({ type: 'UNDO' });
    await vi.waitFor(() => expect(k.actor.getSnapshot().context.undoRefused).toBe(true));
    expect(k.state()).toBe('confirmed');
    expect(k.actor.getSnapshot().can({ type: 'UNDO' })).toBe(false);
  });

  it('a refused punch fails with its code; retry goes back to the greeting unless the recognition is spent', async () => {
    let code: 'not_allowed' | 'expired_recognition' = 'not_allowed';
    const k = start(async () => ({ ok: false, error: { code, message: 'no' } }));
    k.actor.send({ type: 'RECOGNISED', recognition: recognitionOf() });
    k.actor.send({ type: 'CHOOSE', action: 'clock_out' });
    await vi.advanceTimersByTimeAsync(0);
    expect(k.state()).toBe('failed');
    expect(k.actor.getSnapshot().context.failure?.code).toBe('not_allowed');
    k.actor.send({ type: 'RETRY' });
    expect(k.state()).toBe('recognised');
    code = 'expired_recognition';
    k.actor.send({ type: 'CHOOSE', action: 'clock_out' });
    await vi.advanceTimersByTimeAsync(0);
    k.actor.send({ type: 'RETRY' });
    expect(k.state()).toBe('idle');
  });

  it('a thrown punch or one that never answers ends in failed, then idle', async () => {
    const k = start(() => new Promise<PunchResult>(() => {}));
    k.actor.send({ type: 'RECOGNISED', recognition: recognitionOf() });
    k.actor.send({ type: 'CHOOSE', action: 'clock_in' });
    await vi.advanceTimersByTimeAsync(TIMINGS.punchTimeoutMs);
    expect(k.state()).toBe('failed');
    expect(k.actor.getSnapshot().context.failure?.code).toBe('generic');
    await vi.advanceTimersByTimeAsync(TIMINGS.failedMs);
    expect(k.state()).toBe('idle');

    const k2 = start(async () => {
      throw new Error('bridge disconnected');
    });
    k2.actor.send({ type: 'RECOGNISED', recognition: recognitionOf() });
    k2.actor.send({ type: 'CHOOSE', action: 'clock_in' });
    await vi.advanceTimersByTimeAsync(0);
    expect(k2.actor.getSnapshot().context.failure).toEqual({ code: 'generic', message: 'bridge disconnected' });
    k2.actor.send({ type: 'DISMISS' });
    expect(k2.state()).toBe('idle');
  });

  it('an unknown face offers retry and a manager, and times out', () => {
    const k = start();
    k.actor.send({ type: 'UNKNOWN', unknown: { reason: 'not_enrolled', at: '2026-11-27T09:00:00Z' } });
    expect(k.state()).toBe('unknown');
    k.actor.send({ type: 'RETRY' });
    expect(k.state()).toBe('idle');
    expect(k.startAgains()).toBe(1); // "Try again" has main decide the face in view afresh
    k.actor.send({ type: 'UNKNOWN', unknown: { reason: 'ambiguous', at: '2026-11-27T09:00:00Z' } });
    k.actor.send({ type: 'ADMIN' });
    expect(k.state()).toBe('adminPin');
    expect(k.actor.getSnapshot().context.unknown).toBeNull();
    k.actor.send({ type: 'CANCEL' });
    k.actor.send({ type: 'UNKNOWN', unknown: { reason: 'poor_quality', at: '2026-11-27T09:00:00Z' } });
    vi.advanceTimersByTime(TIMINGS.unknownMs);
    expect(k.state()).toBe('idle');
  });

  it('greets the next person straight from the confirmation', async () => {
    const k = start();
    k.actor.send({ type: 'RECOGNISED', recognition: recognitionOf() });
    k.actor.send({ type: 'CHOOSE', action: 'clock_in' });
    await vi.advanceTimersByTimeAsync(0);
    const next = recognitionOf({ recognitionId: 'rec-2', staff: { id: 8, name: 'Tomasz Nowak', department: 'Kitchen', photoUrl: null } });
    k.actor.send({ type: 'RECOGNISED', recognition: next });
    expect(k.state()).toBe('recognised');
    const ctx = k.actor.getSnapshot().context;
    expect(ctx.recognition?.staff.name).toBe('Tomasz Nowak');
    expect(ctx.result).toBeNull(); // nothing of Jane's punch is kept
  });

  it('admin PIN: unlock enters admin, lock and inactivity leave it and lock main', () => {
    const k = start();
    k.actor.send({ type: 'ADMIN' });
    expect(k.state()).toBe('adminPin');
    vi.advanceTimersByTime(TIMINGS.pinMs);
    expect(k.state()).toBe('idle');
    k.actor.send({ type: 'ADMIN' });
    k.actor.send({ type: 'UNLOCKED' });
    expect(k.state()).toBe('admin');
    k.actor.send({ type: 'LOCK' });
    expect(k.state()).toBe('idle');
    expect(k.locks()).toBe(1);
    k.actor.send({ type: 'ADMIN' });
    k.actor.send({ type: 'UNLOCKED' });
    vi.advanceTimersByTime(TIMINGS.adminMs - 1000);
    k.actor.send({ type: 'ACTIVITY' });
    vi.advanceTimersByTime(TIMINGS.adminMs - 1000);
    expect(k.state()).toBe('admin');
    vi.advanceTimersByTime(2000);
    expect(k.state()).toBe('idle');
    expect(k.locks()).toBe(2);
  });

  it('ignores faces while in the admin area and illegal events anywhere', () => {
    const k = start();
    k.actor.send({ type: 'ADMIN' });
    k.actor.send({ type: 'UNLOCKED' });
    k.actor.send({ type: 'RECOGNISED', recognition: recognitionOf() });
    expect(k.state()).toBe('admin');
    expect(k.actor.getSnapshot().context.recognition).toBeNull();
    const k2 = start();
    k2.actor.send({ type: 'CHOOSE', action: 'clock_in' });
    expect(k2.state()).toBe('idle');
    expect(k2.punches).toEqual([]);
    expect(k2.actor.getSnapshot().can({ type: 'CHOOSE', action: 'clock_in' })).toBe(false);
  });

  it('a config change to setup mode leaves any screen for setup', () => {
    const k = start();
    k.actor.send({ type: 'RECOGNISED', recognition: recognitionOf() });
    k.actor.send({ type: 'INFO', info: { ...testInfo, mode: 'setup' } });
    expect(k.state()).toBe('setup');
    expect(k.actor.getSnapshot().context.recognition).toBeNull();
  });
});

describe('kiosk machine: the person in front of the camera', () => {
  it('the greeting ends at once when main says its face left or was replaced, and only for that recognition', () => {
    const k = start();
    k.actor.send({ type: 'RECOGNISED', recognition: recognitionOf({ recognitionId: 'rec-conor' }) });
    // An older face's end, or one that was never recognised, does not touch this greeting.
    k.actor.send(gone('rec-older'));
    k.actor.send(gone(null));
    expect(k.state()).toBe('recognised');
    k.actor.send(gone('rec-conor', 'replaced'));
    expect(k.state()).toBe('idle');
    expect(k.actor.getSnapshot().context.recognition).toBeNull();
    expect(k.punches).toEqual([]);
  });

  it('the reason step ends when the face leaves; a recognition arriving meanwhile greets that person instead of being dropped', () => {
    const k = start();
    k.actor.send({ type: 'RECOGNISED', recognition: recognitionOf({ shift: null }) });
    k.actor.send({ type: 'CHOOSE', action: 'clock_in' });
    expect(k.state()).toBe('reason');
    k.actor.send(gone('rec-1'));
    expect(k.state()).toBe('idle');

    k.actor.send({ type: 'RECOGNISED', recognition: recognitionOf({ shift: null }) });
    k.actor.send({ type: 'CHOOSE', action: 'clock_in' });
    const aoife = recognitionOf({ recognitionId: 'rec-aoife', staff: { id: 9, name: 'Aoife Murphy', department: null, photoUrl: null } });
    k.actor.send({ type: 'RECOGNISED', recognition: aoife });
    expect(k.state()).toBe('recognised');
    expect(k.actor.getSnapshot().context.recognition?.staff.name).toBe('Aoife Murphy');
    expect(k.actor.getSnapshot().context.action).toBeNull();
  });

  it('a punch already sent is finished when the face leaves; its result shows, and "Try again" is not offered for a person who left', async () => {
    let answer: (result: PunchResult) => void = () => {};
    const k = start(() => new Promise<PunchResult>((resolve) => (answer = resolve)));
    k.actor.send({ type: 'RECOGNISED', recognition: recognitionOf() });
    k.actor.send({ type: 'CHOOSE', action: 'clock_in' });
    k.actor.send(gone('rec-1'));
    expect(k.state()).toBe('punching');
    answer({ ok: false, error: { code: 'storage_failed', message: 'disk' } });
    await vi.advanceTimersByTimeAsync(0);
    expect(k.state()).toBe('failed');
    k.actor.send({ type: 'RETRY' });
    expect(k.state()).toBe('idle');

    const k2 = start();
    k2.actor.send({ type: 'RECOGNISED', recognition: recognitionOf() });
    k2.actor.send({ type: 'CHOOSE', action: 'clock_in' });
    k2.actor.send(gone('rec-1'));
    await vi.advanceTimersByTimeAsync(0);
    expect(k2.state()).toBe('confirmed');
    expect(k2.punches).toHaveLength(1);
  });

  it('a failure screen leaves when its person\'s face goes; "Please look at the camera again" can be retried while they stay', async () => {
    const k = start(async () => ({ ok: false, error: { code: 'face_not_in_view', message: 'Please look at the camera again.' } }));
    k.actor.send({ type: 'RECOGNISED', recognition: recognitionOf() });
    k.actor.send({ type: 'CHOOSE', action: 'clock_out' });
    await vi.advanceTimersByTimeAsync(0);
    expect(k.state()).toBe('failed');
    k.actor.send({ type: 'RETRY' });
    expect(k.state()).toBe('recognised');
    k.actor.send({ type: 'CHOOSE', action: 'clock_out' });
    await vi.advanceTimersByTimeAsync(0);
    k.actor.send(gone('rec-1'));
    expect(k.state()).toBe('idle');
  });

  it('a used recognition is never offered again after a refusal', async () => {
    const k = start(async () => ({ ok: false, error: { code: 'recognition_used', message: 'used' } }));
    k.actor.send({ type: 'RECOGNISED', recognition: recognitionOf() });
    k.actor.send({ type: 'CHOOSE', action: 'clock_in' });
    await vi.advanceTimersByTimeAsync(0);
    k.actor.send({ type: 'RETRY' });
    expect(k.state()).toBe('idle');
  });

  it('the next person recognised while a punch is saved is greeted after its result has shown briefly', async () => {
    let answer: (result: PunchResult) => void = () => {};
    const k = start((input) => new Promise<PunchResult>((resolve) => (answer = () => resolve(okPunch(input)))));
    k.actor.send({ type: 'RECOGNISED', recognition: recognitionOf() });
    k.actor.send({ type: 'CHOOSE', action: 'clock_in' });
    k.actor.send(gone('rec-1', 'replaced'));
    const next = recognitionOf({ recognitionId: 'rec-2', staff: { id: 8, name: 'Tomasz Nowak', department: 'Kitchen', photoUrl: null } });
    k.actor.send({ type: 'RECOGNISED', recognition: next });
    expect(k.state()).toBe('punching');
    answer(okPunch({ recognitionId: 'rec-1', action: 'clock_in' }));
    await vi.advanceTimersByTimeAsync(0);
    expect(k.state()).toBe('confirmed');
    expect(k.actor.getSnapshot().context.result?.action).toBe('clock_in');
    await vi.advanceTimersByTimeAsync(TIMINGS.handoverMs);
    expect(k.state()).toBe('recognised');
    const ctx = k.actor.getSnapshot().context;
    expect(ctx.recognition?.staff.name).toBe('Tomasz Nowak');
    expect(ctx.result).toBeNull();
    expect(ctx.next).toBeNull();
  });

  it('a next person who leaves before their turn is not greeted', async () => {
    let answer: (result: PunchResult) => void = () => {};
    const k = start((input) => new Promise<PunchResult>((resolve) => (answer = () => resolve(okPunch(input)))));
    k.actor.send({ type: 'RECOGNISED', recognition: recognitionOf() });
    k.actor.send({ type: 'CHOOSE', action: 'clock_in' });
    k.actor.send({ type: 'RECOGNISED', recognition: recognitionOf({ recognitionId: 'rec-2' }) });
    answer(okPunch({ recognitionId: 'rec-1', action: 'clock_in' }));
    await vi.advanceTimersByTimeAsync(0);
    k.actor.send(gone('rec-2'));
    await vi.advanceTimersByTimeAsync(TIMINGS.handoverMs);
    expect(k.state()).toBe('confirmed');
    await vi.advanceTimersByTimeAsync(TIMINGS.confirmMs);
    expect(k.state()).toBe('idle');
  });

  it('a face that already had its decision asks main to start again; an unknown face that leaves ends its screen', () => {
    const k = start();
    k.actor.send({ type: 'OBSERVED', observation: { ...observation(), guidance: 'ok', settled: true } });
    expect(k.state()).toBe('guidance');
    k.actor.send({ type: 'START_AGAIN' });
    expect(k.startAgains()).toBe(1);
    expect(k.state()).toBe('guidance');
    k.actor.send({ type: 'UNKNOWN', unknown: { reason: 'not_enrolled', at: '2026-11-27T09:00:00Z' } });
    expect(k.state()).toBe('unknown');
    k.actor.send(gone(null, 'replaced'));
    expect(k.state()).toBe('idle');
    // Nowhere else does "start again" reach main.
    k.actor.send({ type: 'RECOGNISED', recognition: recognitionOf() });
    k.actor.send({ type: 'START_AGAIN' });
    expect(k.startAgains()).toBe(1);
  });
});
