/**
 * The reconciliation decision for one punch (docs/hotelmate-api.md §3.4-3.8, §3.12). HotelMate has
 * no idempotency key, no client time and a blind break toggle, so the decision first learns the
 * server's state from the face-clock-in dispatcher and only then makes the one write that moves
 * the server to the punch's target state; a punch the server already reflects is synced without a
 * write, and one it cannot take goes to review. It writes nothing locally: the verdict is a value.
 */
import { TRANSITIONS } from '../../shared/domain/duty-status';
import type { DutyStatus, ServerStatusUpdate } from '../../shared/domain/types';
import type { Clock } from '../lib/clock';
import type { ClockOutOptions, HotelMateClient, UnrosteredDetected } from '../hotelmate/client';
import type { LedgerEvent } from '../ledger/ledger-store';
import { classifyFailure, describeFailure, type Verdict } from './verdict';

/** The HotelMate calls a decision may make. */
export type PunchApi = Pick<HotelMateClient, 'staffDetail' | 'faceClockIn' | 'forceClockIn' | 'confirmClockOut' | 'toggleBreak'>;

/** The punch fields a decision reads. */
export type PunchEvent = Pick<LedgerEvent, 'eventId' | 'staffId' | 'action' | 'attempts' | 'occurredAt' | 'occurredMs' | 'reason'>;

/** Name and department as HotelMate's face answer gave them (kept with statuses, so the board has names offline). */
export interface StaffProfile {
  name: string;
  department: string | null;
}

export interface DecideOptions {
  /** HotelMate's `location_note` for this kiosk. */
  locationNote: string;
  /** Reason sent with force-clock-in when the punch has none. */
  defaultUnrosteredReason: string;
  /** A server session that began more than this after the punch is "newer" and never changed by it. */
  clockSkewToleranceMs: number;
}

export interface DecideDeps {
  api: PunchApi;
  clock: Clock;
  options: DecideOptions;
}

export interface PunchToDecide {
  /** The punch; `attempts` already counts this attempt. */
  event: PunchEvent;
  /** The 128-d encoding to send (the registered template or the live one), or null when none was kept. */
  encoding: Float32Array | null;
  /**
   * When the clock-in that opened this punch's session reached HotelMate (the person's newest synced
   * clock-in before this punch, if the ledger still has it), else null.
   */
  sessionSyncedAt: string | null;
  /** What HotelMate last said about the person's name and department, if anything. */
  profile: StaffProfile | null;
}

export interface Decision {
  verdict: Verdict;
  /** Statuses HotelMate reported while deciding, oldest first; stored together with the verdict. */
  facts: ServerStatusUpdate[];
  /** The profile to remember: the face answer's when it named this person, null when it named someone else. */
  profile: StaffProfile | null;
}

/** What one decision has learned so far. */
interface Learned {
  facts: ServerStatusUpdate[];
  profile: StaffProfile | null;
}

interface Attempt {
  punch: PunchToDecide;
  deps: DecideDeps;
  learned: Learned;
  /** The body every punch request carries. */
  body: { encoding: Float32Array; client_event_id: string; occurred_at: string };
}

/**
 * Decides one punch against HotelMate. Every write is preceded by a state read. Never rejects for
 * an API failure (it becomes the verdict); rejects only if the client itself throws.
 */
export async function decide(punch: PunchToDecide, deps: DecideDeps): Promise<Decision> {
  const learned: Learned = { facts: [], profile: punch.profile };
  const verdict = await reconcile(punch, deps, learned);
  return { verdict, facts: learned.facts, profile: learned.profile };
}

async function reconcile(punch: PunchToDecide, deps: DecideDeps, learned: Learned): Promise<Verdict> {
  const { event, encoding } = punch;
  const { api, options } = deps;
  if (!encoding || encoding.length !== 128)
    return {
      kind: 'review',
      message: 'No face encoding is available to send this punch (no registered template and the live one was not kept).',
    };
  const attempt: Attempt = { punch, deps, learned, body: { encoding, client_event_id: event.eventId, occurred_at: event.occurredAt } };

  // A retried clock-out may already have closed the session (lost response, 500 after write). The
  // dispatcher would then open a NEW session if the person is rostered, so read the status first.
  if (event.action === 'clock_out' && event.attempts > 1) {
    const detail = await api.staffDetail(event.staffId);
    if (detail.ok && detail.data.duty_status === 'off_duty') {
      learn(attempt, 'off_duty');
      return { kind: 'synced', serverAction: 'already_off_duty', response: { duty_status: 'off_duty' }, note: 'reconciled from a status read after an unanswered attempt' };
    }
  }

  const dispatched = await api.faceClockIn({ ...attempt.body, location_note: options.locationNote, is_kiosk_mode: true });
  if (!dispatched.ok) return classifyFailure(dispatched, 'face-clock-in');
  const answer = dispatched.data;
  if (answer.staff.id !== event.staffId) {
    learned.profile = null;
    return {
      kind: 'review',
      message: `HotelMate matched the face to staff #${answer.staff.id} (${answer.staff.name}), not to staff #${event.staffId} as the kiosk did; nothing more was sent.`,
      response: answer,
      serverAction: answer.action,
    };
  }
  learned.profile = {
    name: answer.staff.name,
    department: answer.staff.department && answer.staff.department !== 'No Department' ? answer.staff.department : null,
  };

  switch (answer.action) {
    case 'clock_in_success':
      return afterDispatcherClockedIn(attempt, answer.clock_log.id, answer);
    case 'unrostered_detected':
      return afterNoOpenSession(attempt, answer);
    case 'clock_out_options':
      return withOpenSession(attempt, answer);
  }
}

/** Records a status HotelMate reported, with the profile known at that moment. */
function learn(attempt: Attempt, status: DutyStatus, breakStartedAt: string | null = null): void {
  const { staffId } = attempt.punch.event;
  const profile = attempt.learned.profile;
  attempt.learned.facts.push({
    staffId,
    status,
    breakStartedAt,
    observedAt: attempt.deps.clock.now().toISOString(),
    source: 'api',
    ...(profile ? { name: profile.name, department: profile.department } : {}),
  });
}

/** 201 clock_in_success: the dispatcher itself wrote a clock-in (the server saw no open session today). */
async function afterDispatcherClockedIn(attempt: Attempt, logId: number, answer: unknown): Promise<Verdict> {
  const { event } = attempt.punch;
  const { api } = attempt.deps;
  learn(attempt, 'on_duty');
  if (event.action === 'clock_in') return { kind: 'synced', serverAction: 'clock_in_success', response: answer };
  const why = `HotelMate saw no open session today (UTC) and its face check opened one at sync time (log #${logId}).`;
  const review = (message: string): Verdict => ({ kind: 'review', message, response: answer, serverAction: 'clock_in_success' });
  if (event.action === 'clock_out') {
    const closed = await api.confirmClockOut(attempt.body);
    if (closed.ok) learn(attempt, 'off_duty');
    return review(`${why} ${closed.ok ? 'It was closed again' : `Closing it failed (${describeFailure(closed)})`}; a manager should check this day.`);
  }
  if (event.action === 'start_break') {
    const toggled = await api.toggleBreak(attempt.body);
    if (toggled.ok && toggled.data.action === 'break_started') learn(attempt, 'on_break', toggled.data.break_info.break_start_time);
    return review(`${why} The break was started on it; a manager should check this day.`);
  }
  return review(`${why} A manager should check this day.`);
}

/** 200 unrostered_detected: no open session today and nothing written. */
async function afterNoOpenSession(attempt: Attempt, answer: UnrosteredDetected): Promise<Verdict> {
  const { event, sessionSyncedAt } = attempt.punch;
  const { api, clock, options } = attempt.deps;
  learn(attempt, 'off_duty');
  if (event.action === 'clock_in') {
    const forced = await api.forceClockIn({ ...attempt.body, reason: event.reason ?? options.defaultUnrosteredReason, location_note: options.locationNote });
    if (forced.ok) {
      learn(attempt, 'on_duty');
      return { kind: 'synced', serverAction: 'unrostered_clock_in', response: forced.data };
    }
    if (forced.kind === 'http' && forced.status === 400 && /already clocked in/i.test(forced.message)) {
      learn(attempt, 'on_duty');
      return { kind: 'synced', serverAction: 'already_on_duty', response: forced.body, note: `reconciled: ${forced.message}` };
    }
    return classifyFailure(forced, 'force-clock-in');
  }
  if (event.action === 'clock_out') {
    const sessionDay = sessionSyncedAt?.slice(0, 10) ?? null;
    if (sessionDay !== null && sessionDay < clock.now().toISOString().slice(0, 10))
      return {
        kind: 'review',
        message: `HotelMate cannot close this session by face: it started on ${sessionDay} (UTC) and the server only sees sessions of today's UTC date. A manager must close it in HotelMate.`,
        response: answer,
        serverAction: 'unrostered_detected',
      };
    return { kind: 'synced', serverAction: 'already_off_duty', response: answer, note: 'reconciled: HotelMate shows no open session' };
  }
  return {
    kind: 'review',
    message: `HotelMate shows no open session today (UTC), so the ${event.action === 'start_break' ? 'break start' : 'break end'} cannot be recorded there.`,
    response: answer,
    serverAction: 'unrostered_detected',
  };
}

/** 200 clock_out_options: an open session today and nothing written. */
async function withOpenSession(attempt: Attempt, answer: ClockOutOptions): Promise<Verdict> {
  const { event, sessionSyncedAt } = attempt.punch;
  const { api, clock, options } = attempt.deps;
  const info = answer.session_info;
  const serverStatus: DutyStatus = info.is_on_break ? 'on_break' : 'on_duty';
  const breakStart = info.is_on_break ? new Date(clock.now().getTime() - info.current_break_minutes * 60_000).toISOString() : null;
  learn(attempt, serverStatus, breakStart);
  if (event.action === 'clock_in') return { kind: 'synced', serverAction: 'already_on_duty', response: answer, note: 'reconciled: HotelMate already had an open session' };

  // The session this punch belongs to was opened by the person's previous clock-in. Offline, that
  // clock-in reached HotelMate only at sync time (no backdating), so the server session may start
  // after this punch was made; it is still "ours" unless it started after our clock-in was synced.
  const sessionStart = Date.parse(info.clock_in_time);
  const ourSessionBoundMs = sessionSyncedAt ? Math.max(event.occurredMs, Date.parse(sessionSyncedAt)) : event.occurredMs;
  if (!Number.isNaN(sessionStart) && sessionStart > ourSessionBoundMs + options.clockSkewToleranceMs)
    return {
      kind: 'review',
      message: `HotelMate's open session started at ${info.clock_in_time}, after this punch (${event.occurredAt}); the kiosk will not ${event.action === 'clock_out' ? 'close' : 'change'} a newer session.`,
      response: answer,
      serverAction: 'clock_out_options',
    };

  const target = TRANSITIONS[event.action].to;
  if (target === serverStatus)
    return { kind: 'synced', serverAction: serverStatus === 'on_break' ? 'already_on_break' : 'already_on_duty', response: answer, note: 'reconciled: HotelMate already reflects this punch' };

  if (event.action === 'clock_out') {
    const closed = await api.confirmClockOut(attempt.body);
    if (!closed.ok) return classifyFailure(closed, 'confirm-clock-out');
    learn(attempt, 'off_duty');
    return { kind: 'synced', serverAction: 'clock_out_success', response: closed.data };
  }

  // start_break from on_duty, or end_break from on_break: exactly one toggle moves the server to the target.
  const toggled = await api.toggleBreak(attempt.body);
  if (!toggled.ok) return classifyFailure(toggled, 'toggle-break');
  const reached: DutyStatus = toggled.data.action === 'break_started' ? 'on_break' : 'on_duty';
  learn(attempt, reached, toggled.data.action === 'break_started' ? toggled.data.break_info.break_start_time : null);
  if (reached === target) return { kind: 'synced', serverAction: toggled.data.action, response: toggled.data };
  return {
    kind: 'review',
    message: `The break toggle answered ${toggled.data.action} although the server was ${serverStatus} a moment before (changed concurrently?).`,
    response: toggled.data,
    serverAction: toggled.data.action,
  };
}
