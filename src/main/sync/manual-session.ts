/**
 * A session the kiosk opened with a manual clock log ("Clock without face", `POST clock-logs/`):
 * HotelMate does not change `duty_status` for that create (docs/hotelmate-api.md §1.3, quirk 15),
 * so it keeps saying `off_duty` while the log is open. The ClockLog is the truth: while the
 * person's last clock-in/clock-out on the kiosk is such a clock-in whose log started today (UTC,
 * HotelMate's "today"), they are on duty unless the log itself was read closed or gone.
 */
import type { Clock } from '../lib/clock';
import type { ApiFailure, ClockLog, HotelMateClient } from '../hotelmate/client';
import { clockLogSchema } from '../hotelmate/schemas';
import type { LedgerEvent } from '../ledger/ledger-store';
import { WITHOUT_FACE_ACTIONS } from '../ledger/server-actions';
import { describeFailure, isApiAnswer } from './verdict';

/** The kiosk's own open manual clock log of a person, as its ledger row knows it. */
export interface ManualSession {
  /** The synced clock-in whose stored answer names the log. */
  eventId: string;
  staffId: number;
  log: ClockLog;
  /** When the person went on duty: the punch that created the log, else the log's start. */
  since: string;
}

/** Whether a read found the log still open, or closed (`time_out` set) or gone (404). */
export type ManualLogState = 'open' | 'ended';

/** What one read of the log said: its state, or why it could not be read. */
export type ManualLogRead = { ok: true; state: ManualLogState; log: ClockLog | null } | { ok: false; failure: ApiFailure; error: string };

/** The punches whose own clock log stands for the person's session (created, or found open by a later clock-in). */
const SESSION_ACTIONS = new Set<string>([WITHOUT_FACE_ACTIONS.created, WITHOUT_FACE_ACTIONS.alreadyOnDuty]);

/** The clock log stored with a synced punch, or null when its answer is not one. */
function storedLog(event: Pick<LedgerEvent, 'serverResponse' | 'staffId'>): ClockLog | null {
  if (!event.serverResponse) return null;
  try {
    const parsed = clockLogSchema.safeParse(JSON.parse(event.serverResponse));
    return parsed.success && parsed.data.staff === event.staffId ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The manual session `lastSession` (the person's newest clock-in/clock-out on the kiosk) stands
 * for, or null: it must be a synced clock-in HotelMate took as a manual clock log (or one that
 * found that log open), the stored log open when stored and started on `today` (UTC). Pure.
 */
export function manualSessionOf(lastSession: LedgerEvent | null, today: string): ManualSession | null {
  if (!lastSession || lastSession.action !== 'clock_in' || lastSession.syncState !== 'synced') return null;
  if (!lastSession.serverAction || !SESSION_ACTIONS.has(lastSession.serverAction)) return null;
  const log = storedLog(lastSession);
  if (!log || log.time_out !== null) return null;
  const start = Date.parse(log.time_in);
  if (Number.isNaN(start) || new Date(start).toISOString().slice(0, 10) !== today) return null;
  // The punch that created the log is its more exact start (the log opened when it reached HotelMate).
  const since = lastSession.serverAction === WITHOUT_FACE_ACTIONS.created ? lastSession.occurredAt : new Date(start).toISOString();
  return { eventId: lastSession.eventId, staffId: lastSession.staffId, log, since };
}

/** HotelMate's "today": the UTC date of the clock's now. */
export function utcToday(clock: Clock): string {
  return clock.now().toISOString().slice(0, 10);
}

/**
 * Reads the session's log from HotelMate (`GET clock-logs/{id}/`): open while `time_out` is null,
 * ended when it is set or the log is gone (a 404 from the API, not a proxy's page). Never rejects
 * for an API failure.
 */
export async function readManualLog(api: Pick<HotelMateClient, 'clockLog'>, session: ManualSession): Promise<ManualLogRead> {
  const outcome = await api.clockLog(session.log.id);
  if (outcome.ok) return { ok: true, state: outcome.data.time_out === null ? 'open' : 'ended', log: outcome.data };
  if (isApiAnswer(outcome, 404)) return { ok: true, state: 'ended', log: null };
  return { ok: false, failure: outcome, error: `clock log #${session.log.id}: ${describeFailure(outcome)}` };
}

/**
 * The punches whose log a read found closed or gone, in memory (a restart reads again). Only an end
 * is kept: an ended session is never read again, and an open one is simply still on.
 */
export interface ManualLogVerdicts {
  /** Whether a read found this punch's log closed or gone: the session rule stops for it. */
  ended(eventId: string): boolean;
  markEnded(eventId: string): void;
}

/** Creates the in-memory verdicts. */
export function createManualLogVerdicts(): ManualLogVerdicts {
  const ended = new Set<string>();
  return {
    ended: (eventId) => ended.has(eventId),
    markEnded: (eventId) => {
      ended.add(eventId);
    },
  };
}
