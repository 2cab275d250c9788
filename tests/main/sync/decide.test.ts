/**
 * decide() for one punch against the HotelMate double (real HTTP on 127.0.0.1): which requests it
 * makes, what the server holds afterwards, the verdict and the server facts it returns.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ClockAction } from '../../../src/shared/domain/types';
import type { Clock } from '../../../src/main/lib/clock';
import { createHotelMateClient } from '../../../src/main/hotelmate/client';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { decide, type DecideOptions, type PunchToDecide } from '../../../src/main/sync/decide';
import { createHotelMateDouble, createManualClock } from '../../support/hotelmate-double';
import { punchEndpoints } from './harness';

const OPTIONS: DecideOptions = { locationNote: 'Lobby', defaultUnrosteredReason: 'Confirmed at the kiosk', clockSkewToleranceMs: 120_000 };

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()?.();
});

interface PunchOptions {
  attempts?: number;
  reason?: string;
  /** Minutes before now the punch was made. */
  madeMinutesAgo?: number;
  sessionSyncedAt?: string | null;
}

async function setup(options: { start?: string } = {}) {
  const manual = createManualClock(options.start ?? '2026-05-11T10:00:00Z');
  const clock: Clock = { now: () => manual.now(), monotonicMs: () => manual.now().getTime() };
  const double = await createHotelMateDouble({ clock: manual });
  cleanup.push(() => double.close());
  const world = double.seed.killarney();
  const client = createHotelMateClient({
    baseUrl: double.apiBaseUrl,
    hotelSlug: world.hotelSlug,
    getToken: () => world.manager.token,
    timeoutMs: 3000,
    logger: createMemoryLogger(),
  });
  let seq = 0;
  const punch = (staffId: number, action: ClockAction, encoding: readonly number[] | null, more: PunchOptions = {}): PunchToDecide => {
    const occurredMs = manual.now().getTime() - (more.madeMinutesAgo ?? 0) * 60_000;
    seq += 1;
    return {
      event: {
        eventId: `event-${seq}`,
        staffId,
        action,
        attempts: more.attempts ?? 1,
        occurredAt: new Date(occurredMs).toISOString(),
        occurredMs,
        reason: more.reason ?? null,
      },
      encoding: encoding ? Float32Array.from(encoding) : null,
      sessionSyncedAt: more.sessionSyncedAt ?? null,
      profile: null,
    };
  };
  const minutesAgo = (minutes: number): Date => new Date(manual.now().getTime() - minutes * 60_000);
  return {
    double,
    world,
    clock: manual,
    punch,
    minutesAgo,
    decide: (p: PunchToDecide) => decide(p, { api: client, clock, options: OPTIONS }),
    endpoints: () => punchEndpoints(double),
  };
}

describe('decide: a clock-in', () => {
  it('rostered and off duty: the face check itself clocks in; synced, with her name kept with the status', async () => {
    const t = await setup();
    const decision = await t.decide(t.punch(t.world.aoife.id, 'clock_in', t.world.probes.aoife));
    expect(decision.verdict).toMatchObject({ kind: 'synced', serverAction: 'clock_in_success' });
    expect(t.endpoints()).toEqual(['face-clock-in']);
    expect(t.double.state.clockLogs({ staffId: t.world.aoife.id })).toHaveLength(1);
    expect(decision.facts).toEqual([
      expect.objectContaining({ staffId: t.world.aoife.id, status: 'on_duty', source: 'api', name: 'Aoife Murphy', observedAt: '2026-05-11T10:00:00.000Z' }),
    ]);
    expect(decision.profile?.name).toBe('Aoife Murphy');
  });

  it('unrostered: force-clock-in with the punch reason (or the default one)', async () => {
    const t = await setup();
    const withReason = await t.decide(t.punch(t.world.conor.id, 'clock_in', t.world.probes.conor, { reason: 'Covering a shift' }));
    expect(withReason.verdict).toMatchObject({ kind: 'synced', serverAction: 'unrostered_clock_in' });
    expect(t.endpoints()).toEqual(['face-clock-in', 'force-clock-in']);
    expect(withReason.facts.map((f) => f.status)).toEqual(['off_duty', 'on_duty']);
    expect(t.double.state.auditActions().at(-1)).toMatchObject({ action: 'FORCED_CLOCK_IN', reason: 'Covering a shift' });
  });

  it('a replayed unrostered clock-in the server already has is synced without a second session', async () => {
    const t = await setup();
    await t.decide(t.punch(t.world.conor.id, 'clock_in', t.world.probes.conor));
    const again = await t.decide(t.punch(t.world.conor.id, 'clock_in', t.world.probes.conor, { attempts: 2 }));
    expect(again.verdict).toMatchObject({ kind: 'synced', serverAction: 'already_on_duty' });
    expect(t.double.state.clockLogs({ staffId: t.world.conor.id })).toHaveLength(1);
    expect(t.double.state.auditActions().at(-1)?.reason).toBe('Confirmed at the kiosk');
  });
});

describe('decide: an open session on the server', () => {
  it('start_break from on duty toggles exactly once and returns the break start', async () => {
    const t = await setup();
    t.double.seed.clockLog({ staffId: t.world.aoife.id, timeIn: t.minutesAgo(120) });
    const decision = await t.decide(t.punch(t.world.aoife.id, 'start_break', t.world.probes.aoife));
    expect(decision.verdict).toMatchObject({ kind: 'synced', serverAction: 'break_started' });
    expect(t.endpoints()).toEqual(['face-clock-in', 'toggle-break']);
    expect(t.double.state.staff(t.world.aoife.id)?.dutyStatus).toBe('on_break');
    expect(decision.facts.map((f) => f.status)).toEqual(['on_duty', 'on_break']);
    expect(decision.facts[1]?.breakStartedAt).not.toBeNull();
  });

  it('a break start the server already reflects is synced without the blind toggle', async () => {
    const t = await setup();
    t.double.seed.clockLog({ staffId: t.world.aoife.id, timeIn: t.minutesAgo(120), isOnBreak: true, breakStart: t.minutesAgo(10) });
    const decision = await t.decide(t.punch(t.world.aoife.id, 'start_break', t.world.probes.aoife));
    expect(decision.verdict).toMatchObject({ kind: 'synced', serverAction: 'already_on_break', note: 'reconciled: HotelMate already reflects this punch' });
    expect(t.endpoints()).toEqual(['face-clock-in']);
    expect(decision.facts).toEqual([expect.objectContaining({ status: 'on_break', breakStartedAt: t.minutesAgo(10).toISOString() })]);
  });

  it('clock_out confirms the clock-out once; a clock-in is already there', async () => {
    const t = await setup();
    t.double.seed.clockLog({ staffId: t.world.aoife.id, timeIn: t.minutesAgo(240) });
    const clockIn = await t.decide(t.punch(t.world.aoife.id, 'clock_in', t.world.probes.aoife));
    expect(clockIn.verdict).toMatchObject({ kind: 'synced', serverAction: 'already_on_duty' });
    const clockOut = await t.decide(t.punch(t.world.aoife.id, 'clock_out', t.world.probes.aoife));
    expect(clockOut.verdict).toMatchObject({ kind: 'synced', serverAction: 'clock_out_success' });
    expect(t.endpoints()).toEqual(['face-clock-in', 'face-clock-in', 'confirm-clock-out']);
    expect(t.double.state.clockLogs({ staffId: t.world.aoife.id })[0]?.timeOut).not.toBeNull();
  });

  it('never closes a session that began after the punch (beyond the skew tolerance): review, nothing written', async () => {
    const t = await setup();
    t.double.seed.clockLog({ staffId: t.world.aoife.id, timeIn: t.minutesAgo(30) });
    const decision = await t.decide(t.punch(t.world.aoife.id, 'clock_out', t.world.probes.aoife, { madeMinutesAgo: 180 }));
    expect(decision.verdict).toMatchObject({ kind: 'review', serverAction: 'clock_out_options' });
    expect(decision.verdict.kind === 'review' && decision.verdict.message).toMatch(/will not close a newer session/);
    expect(t.endpoints()).toEqual(['face-clock-in']);
    expect(t.double.state.clockLogs({ staffId: t.world.aoife.id })[0]?.timeOut).toBeNull();
  });

  it('an offline clock-in synced late still owns its session: the older clock-out closes it', async () => {
    const t = await setup();
    // Clock-in made 3 h ago offline, synced 20 min ago (the server session starts then); clock-out made 2 h ago.
    t.double.seed.clockLog({ staffId: t.world.aoife.id, timeIn: t.minutesAgo(20) });
    const decision = await t.decide(
      t.punch(t.world.aoife.id, 'clock_out', t.world.probes.aoife, { madeMinutesAgo: 120, sessionSyncedAt: t.minutesAgo(20).toISOString() }),
    );
    expect(decision.verdict).toMatchObject({ kind: 'synced', serverAction: 'clock_out_success' });
  });
});

describe('decide: no open session on the server', () => {
  it('a clock-out is already reflected; one whose session began on an earlier UTC day goes to review', async () => {
    const t = await setup({ start: '2026-05-12T00:40:00Z' });
    const today = await t.decide(t.punch(t.world.conor.id, 'clock_out', t.world.probes.conor, { sessionSyncedAt: '2026-05-12T00:05:00.000Z' }));
    expect(today.verdict).toMatchObject({ kind: 'synced', serverAction: 'already_off_duty' });
    const overnight = await t.decide(t.punch(t.world.conor.id, 'clock_out', t.world.probes.conor, { sessionSyncedAt: '2026-05-11T22:30:00.000Z' }));
    expect(overnight.verdict).toMatchObject({ kind: 'review', serverAction: 'unrostered_detected' });
    expect(overnight.verdict.kind === 'review' && overnight.verdict.message).toMatch(/started on 2026-05-11 \(UTC\).*A manager must close it/);
    expect(t.endpoints()).toEqual(['face-clock-in', 'face-clock-in']);
  });

  it('a break start for an unrostered person off duty goes to review: there is no session to put it on', async () => {
    const t = await setup();
    const decision = await t.decide(t.punch(t.world.conor.id, 'start_break', t.world.probes.conor));
    expect(decision.verdict).toMatchObject({ kind: 'review', serverAction: 'unrostered_detected' });
    expect(decision.verdict.kind === 'review' && decision.verdict.message).toMatch(/break start cannot be recorded/);
    expect(t.double.state.clockLogs({ staffId: t.world.conor.id })).toHaveLength(0);
  });

  it('a break start for a rostered person: the face check opens a session, the break goes on it, a manager checks', async () => {
    const t = await setup();
    const decision = await t.decide(t.punch(t.world.aoife.id, 'start_break', t.world.probes.aoife));
    expect(decision.verdict).toMatchObject({ kind: 'review', serverAction: 'clock_in_success' });
    expect(decision.verdict.kind === 'review' && decision.verdict.message).toMatch(/opened one at sync time \(log #\d+\)\. The break was started/);
    expect(t.endpoints()).toEqual(['face-clock-in', 'toggle-break']);
    expect(t.double.state.staff(t.world.aoife.id)?.dutyStatus).toBe('on_break');
    expect(decision.facts.map((f) => f.status)).toEqual(['on_duty', 'on_break']);
  });
});

describe('decide: retries and refusals', () => {
  it('a retried clock-out reads the status first and, when already off duty, sends nothing else', async () => {
    const t = await setup();
    const decision = await t.decide(t.punch(t.world.aoife.id, 'clock_out', t.world.probes.aoife, { attempts: 2 }));
    expect(decision.verdict).toMatchObject({ kind: 'synced', serverAction: 'already_off_duty' });
    expect(t.endpoints()).toEqual(['staff-detail']);
    expect(t.double.state.clockLogs({ staffId: t.world.aoife.id })).toHaveLength(0);
  });

  it('a face HotelMate does not recognise goes to review with its message', async () => {
    const t = await setup();
    const decision = await t.decide(t.punch(t.world.aoife.id, 'clock_in', t.world.encodings.stranger));
    expect(decision.verdict.kind === 'review' && decision.verdict.message).toMatch(/did not recognise the face at sync time \(face-clock-in\): Face not recognized/);
    expect(decision.facts).toEqual([]);
  });

  it('a face HotelMate matches to someone else goes to review, and the remembered profile is dropped', async () => {
    const t = await setup();
    t.double.seed.clockLog({ staffId: t.world.conor.id, timeIn: t.minutesAgo(60) });
    const punch = { ...t.punch(t.world.aoife.id, 'clock_out', t.world.probes.conor), profile: { name: 'Aoife Murphy', department: null } };
    const decision = await t.decide(punch);
    expect(decision.verdict.kind === 'review' && decision.verdict.message).toMatch(new RegExp(`staff #${t.world.conor.id} .*not to staff #${t.world.aoife.id}`));
    expect(decision.profile).toBeNull();
    expect(t.double.state.clockLogs({ staffId: t.world.conor.id })[0]?.timeOut).toBeNull();
  });

  it('without an encoding nothing is sent and the punch goes to review', async () => {
    const t = await setup();
    const decision = await t.decide(t.punch(t.world.aoife.id, 'clock_in', null));
    expect(decision.verdict.kind === 'review' && decision.verdict.message).toMatch(/No face encoding is available/);
    expect(t.endpoints()).toEqual([]);
  });

  it('a 500 after the toggle wrote is a retry; the retry sees the new state and does not toggle back', async () => {
    const t = await setup();
    t.double.seed.clockLog({ staffId: t.world.aoife.id, timeIn: t.minutesAgo(120) });
    t.double.faults.failAfterWrite({ path: 'toggle-break' });
    const first = await t.decide(t.punch(t.world.aoife.id, 'start_break', t.world.probes.aoife));
    expect(first.verdict).toMatchObject({ kind: 'retry', message: expect.stringMatching(/^toggle-break: HTTP 500 .*re-read before retrying/) });
    const retried = await t.decide(t.punch(t.world.aoife.id, 'start_break', t.world.probes.aoife, { attempts: 2 }));
    expect(retried.verdict).toMatchObject({ kind: 'synced', serverAction: 'already_on_break' });
    expect(t.endpoints().filter((e) => e === 'toggle-break')).toHaveLength(1);
  });

  it('a refused token pauses; an unreachable server is a retry', async () => {
    const t = await setup();
    t.double.faults.rejectToken(t.world.manager.token);
    const refused = await t.decide(t.punch(t.world.aoife.id, 'clock_in', t.world.probes.aoife));
    expect(refused.verdict).toEqual({ kind: 'paused', message: 'HotelMate refused the kiosk account (401): Invalid token.' });
    t.double.faults.clear();
    t.double.faults.dropConnection({ when: 'before' });
    const dropped = await t.decide(t.punch(t.world.aoife.id, 'clock_in', t.world.probes.aoife));
    expect(dropped.verdict).toMatchObject({ kind: 'retry', message: expect.stringMatching(/^face-clock-in: network: /) });
    expect(t.double.state.clockLogs({ staffId: t.world.aoife.id })).toHaveLength(0);
  });
});
