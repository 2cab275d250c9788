// @vitest-environment jsdom
/** The kiosk machine's "Clock without face" state: entered from "not recognised" and the idle screen, held while touched, closed by a timeout that locks the admin area, and "Enrol now" into the admin area for the person. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createActor } from 'xstate';
import { createKioskMachine, TIMINGS } from '../../../src/renderer/src/state/kiosk-machine';
import { recognitionOf, testInfo } from '../support/fake-kiosk';

function start() {
  let locks = 0;
  const actor = createActor(
    createKioskMachine({
      punch: async () => ({ ok: false, error: { code: 'not_configured', message: '' } }),
      rejectMatch: () => undefined,
      startAgain: () => undefined,
      undo: async () => ({ ok: false, error: { code: 'too_late', message: '' } }),
      release: () => undefined,
      lockAdmin: () => {
        locks += 1;
      },
    }),
  ).start();
  actor.send({ type: 'INFO', info: testInfo });
  return { actor, locks: () => locks, state: () => actor.getSnapshot().value };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('kiosk machine: clock without face', () => {
  it('opens from "not recognised", ignores faces recognised meanwhile, and closes after a quiet spell, locking the admin area', () => {
    const k = start();
    k.actor.send({ type: 'UNKNOWN', unknown: { reason: 'not_enrolled', at: '2026-11-27T09:00:00Z' } });
    k.actor.send({ type: 'MANUAL' });
    expect(k.state()).toBe('manual');
    k.actor.send({ type: 'RECOGNISED', recognition: recognitionOf() });
    expect(k.state()).toBe('manual');
    vi.advanceTimersByTime(TIMINGS.manualMs - 1000);
    k.actor.send({ type: 'ACTIVITY' });
    vi.advanceTimersByTime(TIMINGS.manualMs - 1000);
    expect(k.state()).toBe('manual');
    vi.advanceTimersByTime(2000);
    expect(k.state()).toBe('idle');
    expect(k.locks()).toBe(1);
  });

  it('opens from a face not confirmed live only from its second failure (the manager fallback)', () => {
    const k = start();
    k.actor.send({ type: 'LIVENESS_FAILED', failure: { failures: 1, managerFallback: false, at: '2026-11-27T09:00:00Z' } });
    expect(k.state()).toBe('notConfirmed');
    k.actor.send({ type: 'MANUAL' });
    expect(k.state()).toBe('notConfirmed');
    k.actor.send({ type: 'LIVENESS_FAILED', failure: { failures: 2, managerFallback: true, at: '2026-11-27T09:00:05Z' } });
    k.actor.send({ type: 'MANUAL' });
    expect(k.state()).toBe('manual');
  });

  it('opens from idle (camera down); Done locks the admin area; Enrol now opens the admin area for the person', () => {
    const k = start();
    k.actor.send({ type: 'MANUAL' });
    expect(k.state()).toBe('manual');
    k.actor.send({ type: 'MANUAL_DONE' });
    expect(k.state()).toBe('idle');
    expect(k.locks()).toBe(1);
    k.actor.send({ type: 'MANUAL' });
    k.actor.send({ type: 'ENROL', staffId: 42 });
    expect(k.state()).toBe('admin');
    expect(k.actor.getSnapshot().context.enrolStaffId).toBe(42);
    expect(k.locks()).toBe(1);
    k.actor.send({ type: 'LOCK' });
    expect(k.state()).toBe('idle');
    expect(k.actor.getSnapshot().context.enrolStaffId).toBeNull();
  });
});
