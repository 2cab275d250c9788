/**
 * The reconciliation decision for one punch (docs/hotelmate-api.md §3.4-3.8, §3.12). HotelMate has
 * no idempotency key, no client time and a blind break toggle, so the decision first learns the
 * server's state from the face-clock-in dispatcher and only then makes the one write that moves
 * the server to the punch's target state; a punch the server already reflects is synced without a
 * write, and one it cannot take goes to review. It writes nothing locally: the verdict is a value.
 */
import { TRANSITIONS } from '../../shared/domain/duty-status';
import type { ClockAction, DutyStatus, ServerStatusUpdate } from '../../shared/domain/types';
import type { Clock } from '../lib/clock';
import type { ClockOutOptions, FaceClockInResponse, HotelMateClient, UnrosteredDetected } from '../hotelmate/client';
import type { LedgerEvent } from '../ledger/ledger-store';
import { decideWithoutFace, type ManualPunchApi } from './decide-without-face';
import type { ManualSession } from './manual-session';
import { classifyFailure, describeFailure, isApiAnswer, type Verdict } from './verdict';

/** A punch in the words of a review note. */
const ACTION_WORDS: Record<ClockAction, string> = { clock_in: 'clock-in', clock_out: 'clock-out', start_break: 'break start', end_break: 'break end' };

/** The HotelMate calls a decision may make. */
export type PunchApi = Pick<HotelMateClient, 'staffDetail' | 'faceClockIn' | 'forceClockIn' | 'confirmClockOut' | 'toggleBreak'> & ManualPunchApi;

/** The punch fields a decision reads (a face punch has no manual approval). */
export type PunchEvent = Pick<LedgerEvent, 'eventId' | 'staffId' | 'action' | 'attempts' | 'occurredAt' | 'occurredMs' | 'reason'> &
  Partial<Pick<LedgerEvent, 'manualApprover' | 'manualNote' | 'manualApproverName'>>;

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
  /**
   * Durably records HotelMate's session start (server time) the punch is about to change, before
   * the write is sent; a throw stops the decision before anything is written. Default: nothing kept.
   */
  rememberSessionStart?: (sessionStart: string) => void;
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
  /**
   * The session start (server time) an earlier attempt of this punch was changing when it wrote
   * (its answer may have been lost), else null. A retry never changes a session with another start.
   */
  sessionStart?: string | null;
  /**
   * The kiosk's own manual clock log of today the person's previous clock-in opened (or found open),
   * while the ledger shows it open; a clock-in without a face then reads it before creating another.
   */
  ownManualSession?: ManualSession | null;
}

export interface Decision {
  verdict: Verdict;
  /**
   * Statuses HotelMate reported while deciding, oldest first; stored together with the verdict.
   * Usually the punch's person; also another person when HotelMate matched the face to them.
   */
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
  // A punch a manager approved without a face, and no face was seen: only the manual clock log can take it.
  if (event.manualApprover && !encoding)
    return decideWithoutFace({ ...event, manualNote: event.manualNote ?? null, manualApproverName: event.manualApproverName ?? null }, {
      api,
      clock: deps.clock,
      locationNote: options.locationNote,
      ownSession: punch.ownManualSession ?? null,
    });
  if (!encoding || encoding.length !== 128)
    return {
      kind: 'review',
      message: 'No face encoding is available to send this punch (no registered template and the live one was not kept).',
    };
  const attempt: Attempt = { punch, deps, learned, body: { encoding, client_event_id: event.eventId, occurred_at: event.occurredAt } };

  // A retried clock-out may already have closed the session (lost response, 500 after write, a page
  // in place of the answer). The dispatcher would then open a NEW session if the person is rostered,
  // so read the status first, and when that read fails, retry rather than ask the dispatcher. Only
  // an account HotelMate will not show staff to (403) has the dispatcher as its one way to look.
  if (event.action === 'clock_out' && (event.attempts > 1 || punch.sessionStart != null)) {
    const detail = await api.staffDetail(event.staffId);
    if (detail.ok && detail.data.duty_status === 'off_duty') {
      learn(attempt, 'off_duty');
      return { kind: 'synced', serverAction: 'already_off_duty', response: { duty_status: 'off_duty' }, note: 'reconciled from a status read after an unanswered attempt' };
    }
    if (!detail.ok && !isApiAnswer(detail, 403)) return classifyFailure(detail, 'staff-detail');
  }

  const dispatched = await api.faceClockIn({ ...attempt.body, location_note: options.locationNote, is_kiosk_mode: true });
  if (!dispatched.ok) return classifyFailure(dispatched, 'face-clock-in');
  const answer = dispatched.data;
  if (answer.staff.id !== event.staffId) return matchedSomeoneElse(attempt, answer);
  learned.profile = profileOf(answer.staff);

  switch (answer.action) {
    case 'clock_in_success':
      return afterDispatcherClockedIn(attempt, answer.clock_log.id, answer);
    case 'unrostered_detected':
      return afterNoOpenSession(attempt, answer);
    case 'clock_out_options':
      return withOpenSession(attempt, answer);
  }
}

/** Name and department as a face answer gives them ("No Department" means none). */
function profileOf(staff: FaceClockInResponse['staff']): StaffProfile {
  return { name: staff.name, department: staff.department && staff.department !== 'No Department' ? staff.department : null };
}

/** Records a status HotelMate reported, with the profile known at that moment. */
function learn(attempt: Attempt, status: DutyStatus, breakStartedAt: string | null = null): void {
  learnAbout(attempt, attempt.punch.event.staffId, attempt.learned.profile, status, breakStartedAt);
}

/** Records a status HotelMate reported for any person (the punch's, or the one HotelMate matched instead). */
function learnAbout(attempt: Attempt, staffId: number, profile: StaffProfile | null, status: DutyStatus, breakStartedAt: string | null = null): void {
  attempt.learned.facts.push({
    staffId,
    status,
    breakStartedAt,
    observedAt: attempt.deps.clock.now().toISOString(),
    source: 'api',
    ...(profile ? { name: profile.name, department: profile.department } : {}),
  });
}

/** The status an open session shows (on duty, or on a break with its estimated start). */
function openSessionStatus(info: ClockOutOptions['session_info'], clock: Clock): { status: DutyStatus; breakStart: string | null } {
  if (!info.is_on_break) return { status: 'on_duty', breakStart: null };
  return { status: 'on_break', breakStart: new Date(clock.now().getTime() - info.current_break_minutes * 60_000).toISOString() };
}

/**
 * The face check named someone other than the kiosk's match. Nothing more is sent; the review note
 * says what HotelMate did for that person (its check may itself have clocked them in), and their
 * new status is recorded so the kiosk shows it.
 */
function matchedSomeoneElse(attempt: Attempt, answer: FaceClockInResponse): Verdict {
  const { event, profile: ours } = attempt.punch;
  const other = profileOf(answer.staff);
  attempt.learned.profile = null;
  const them = `staff #${answer.staff.id} (${answer.staff.name})`;
  const us = `staff #${event.staffId}${ours ? ` (${ours.name})` : ''}`;
  let what: string;
  switch (answer.action) {
    case 'clock_in_success':
      learnAbout(attempt, answer.staff.id, other, 'on_duty');
      what = `Its face check clocked ${answer.staff.name} in (log #${answer.clock_log.id}): a manager should check that log, and record this ${ACTION_WORDS[event.action]} for ${us} by hand.`;
      break;
    case 'clock_out_options': {
      const { status, breakStart } = openSessionStatus(answer.session_info, attempt.deps.clock);
      learnAbout(attempt, answer.staff.id, other, status, breakStart);
      what = `HotelMate wrote nothing (${answer.staff.name} has an open session since ${answer.session_info.clock_in_time}); record this ${ACTION_WORDS[event.action]} for ${us} by hand.`;
      break;
    }
    case 'unrostered_detected':
      learnAbout(attempt, answer.staff.id, other, 'off_duty');
      what = `HotelMate wrote nothing; record this ${ACTION_WORDS[event.action]} for ${us} by hand.`;
      break;
  }
  return {
    kind: 'review',
    message: `HotelMate matched the face to ${them}, not to ${us} as the kiosk did; nothing more was sent. ${what}`,
    response: answer,
    serverAction: answer.action,
  };
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
  const { status: serverStatus, breakStart } = openSessionStatus(info, clock);
  learn(attempt, serverStatus, breakStart);
  if (event.action === 'clock_in') return { kind: 'synced', serverAction: 'already_on_duty', response: answer, note: 'reconciled: HotelMate already had an open session' };

  // An earlier attempt of this punch wrote to a session and got no answer. A session with another
  // start is a different one (a clock-in from the web app in between): that attempt most likely
  // went through, and the newer session is never changed by this punch.
  const remembered = attempt.punch.sessionStart ?? null;
  if (remembered !== null && !sameInstant(remembered, info.clock_in_time))
    return {
      kind: 'review',
      message: `HotelMate's open session started at ${info.clock_in_time}, but an earlier attempt of this ${ACTION_WORDS[event.action]} was changing the session that started at ${remembered} and got no answer: that attempt most likely went through. The kiosk will not ${event.action === 'clock_out' ? 'close' : 'change'} the newer session; a manager should check this day.`,
      response: answer,
      serverAction: 'clock_out_options',
    };

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

  // Remembered durably before the write: if its answer is lost, the retry knows which session it changed.
  if (remembered === null) attempt.deps.rememberSessionStart?.(info.clock_in_time);

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

/** Whether two server times name the same instant (HotelMate writes `+00:00` with microseconds, or `Z`). */
function sameInstant(a: string, b: string): boolean {
  const ms = (value: string): number => Date.parse(value);
  return a === b || (!Number.isNaN(ms(a)) && ms(a) === ms(b));
}
