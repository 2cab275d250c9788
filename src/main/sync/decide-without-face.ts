/**
 * The sync of a punch a manager approved on the kiosk without a face, when no face was seen during
 * the attempt ("Clock without face"): HotelMate's face endpoints need an encoding, so the only way
 * in is the manual `POST {A}/clock-logs/` (docs/hotelmate-api.md §1.3), which needs
 * `attendance.log.create` and can only open a log at the server's now (no backdating, §3.12).
 * Everything it cannot take goes to review with the manager's note.
 */
import type { ClockAction } from '../../shared/domain/types';
import type { Clock } from '../lib/clock';
import type { ClockLog, HotelMateClient } from '../hotelmate/client';
import type { LedgerEvent } from '../ledger/ledger-store';
import { WITHOUT_FACE_ACTIONS } from '../ledger/server-actions';
import { readManualLog, type ManualSession } from './manual-session';
import { classifyFailure, describeFailure, isApiAnswer, type Verdict } from './verdict';

/** The HotelMate calls this decision may make. */
export type ManualPunchApi = Pick<HotelMateClient, 'staffDetail' | 'createClockLog' | 'recentClockLogs' | 'clockLog'>;

/** The punch fields this decision reads. */
export type ManualPunchEvent = Pick<LedgerEvent, 'eventId' | 'staffId' | 'action' | 'attempts' | 'occurredAt' | 'manualNote' | 'manualApproverName'>;

/** HotelMate's `location_note` is at most 255 characters. */
const LOCATION_NOTE_MAX = 255;

const ACTION_WORDS: Record<ClockAction, string> = { clock_in: 'clock-in', clock_out: 'clock-out', start_break: 'break start', end_break: 'break end' };

/**
 * The `location_note` of a manual log: the kiosk's note, that it was approved without a face (and
 * by whom, when a manager approved with their face), the punch's id (how a retry finds the log an
 * unanswered attempt created) and the manager's note.
 */
export function manualLocationNote(locationNote: string, event: Pick<ManualPunchEvent, 'eventId' | 'manualNote' | 'manualApproverName'>): string {
  const approved = event.manualApproverName ? `approved by ${event.manualApproverName} (face)` : 'manager approved';
  const head = `${locationNote} | no face, ${approved} | ${event.eventId}`;
  const note = event.manualNote ? ` | ${event.manualNote}` : '';
  return `${head}${note}`.slice(0, LOCATION_NOTE_MAX);
}

/**
 * The review note of a manual punch: what happened, who approved it when a manager approved with
 * their face, then the manager's note when there is one.
 */
function review(event: ManualPunchEvent, message: string, response?: unknown): Verdict {
  const approver = event.manualApproverName ? ` Approved on the kiosk by ${event.manualApproverName} (face).` : '';
  const note = event.manualNote ? ` Manager's note: "${event.manualNote}".` : '';
  return { kind: 'review', message: `${message}${approver}${note}`, ...(response === undefined ? {} : { response }) };
}

/** The log an earlier attempt of this punch created (found by the punch id in its note), if HotelMate lists it. */
function createdEarlier(logs: readonly ClockLog[], event: ManualPunchEvent): ClockLog | undefined {
  return logs.find((log) => log.staff === event.staffId && typeof log.location_note === 'string' && log.location_note.includes(event.eventId));
}

/**
 * A clock-in while the kiosk's own manual clock log of today may still be open: HotelMate's
 * `duty_status` says nothing about that log (quirk 15), so the log is read. Open: synced without a
 * write (its answer is the log, so the session goes on). Closed or gone: null, a new log is created.
 * An account that may not read it (403): the ledger's word that it is open is kept, since a second
 * open log is what this check is for. Any other failure is classified as usual.
 */
async function ownLogStillOpen(api: ManualPunchApi, session: ManualSession): Promise<Verdict | null> {
  const read = await readManualLog(api, session);
  if (read.ok && read.state === 'ended') return null;
  if (read.ok)
    return { kind: 'synced', serverAction: WITHOUT_FACE_ACTIONS.alreadyOnDuty, response: read.log, note: `reconciled: the kiosk's manual clock log #${session.log.id} of today is still open` };
  if (isApiAnswer(read.failure, 403))
    return {
      kind: 'synced',
      serverAction: WITHOUT_FACE_ACTIONS.alreadyOnDuty,
      response: session.log,
      note: `reconciled: the kiosk's manual clock log #${session.log.id} of today could not be read (${read.error}); the kiosk's ledger shows it open`,
    };
  return classifyFailure(read.failure, 'clock-log');
}

/**
 * Decides a manual punch without a face. A clock-in is created with `POST clock-logs/` on the day
 * it was made (UTC), after a status read (a person HotelMate already shows on duty is synced
 * without a write), after reading the kiosk's own manual clock log of today when the person's last
 * session punch opened one (`ownSession`: still open, synced without a write) and, on a retry,
 * after looking for the log an unanswered attempt created; a kiosk account without
 * `attendance.log.create` (403) sends it to review. Every other action, and a clock-in from an
 * earlier UTC day, goes to review: HotelMate has no way to take it without a face.
 */
export async function decideWithoutFace(
  event: ManualPunchEvent,
  deps: { api: ManualPunchApi; clock: Clock; locationNote: string; ownSession?: ManualSession | null },
): Promise<Verdict> {
  const { api, clock } = deps;
  if (event.action !== 'clock_in')
    return review(
      event,
      `This ${ACTION_WORDS[event.action]} was approved on the kiosk without a face; HotelMate can only take it with a face, so it was not sent. Record it in HotelMate by hand.`,
    );
  const day = event.occurredAt.slice(0, 10);
  const today = clock.now().toISOString().slice(0, 10);
  if (day < today)
    return review(
      event,
      `This clock-in of ${day} (UTC) was approved on the kiosk without a face and could not be sent that day; HotelMate would record it today (its clock-in time is always "now"), so it was not sent. Record it in HotelMate by hand.`,
    );

  if (event.attempts > 1) {
    const recent = await api.recentClockLogs();
    if (!recent.ok) {
      if (recent.kind === 'http' && recent.status === 403)
        return review(event, `An earlier attempt to create this clock-in got no answer and the kiosk account may not list clock logs to check it (${recent.message}); check HotelMate for a log with this punch's id.`);
      return classifyFailure(recent, 'clock-logs');
    }
    const earlier = createdEarlier(recent.data.results, event);
    if (earlier) return { kind: 'synced', serverAction: WITHOUT_FACE_ACTIONS.created, response: earlier, note: 'reconciled: the log of an unanswered attempt was found' };
  }

  const detail = await api.staffDetail(event.staffId);
  // Without the person's status the kiosk cannot tell whether a clock-in would open a second session.
  if (!detail.ok && isApiAnswer(detail, 403))
    return review(
      event,
      `HotelMate would not show this person's status to the kiosk account (it needs staff_management.staff.read: ${describeFailure(detail)}), so the kiosk could not check whether they are already on duty and did not send this clock-in approved without a face. Grant the capability and send it again, or record it in HotelMate by hand.`,
      detail.body,
    );
  if (!detail.ok && isApiAnswer(detail, 404))
    return review(event, `HotelMate does not know staff #${event.staffId} (${describeFailure(detail)}); this clock-in approved without a face was not sent. Record it in HotelMate by hand.`, detail.body);
  if (!detail.ok) return classifyFailure(detail, 'staff-detail');
  if (detail.data.duty_status !== 'off_duty')
    return { kind: 'synced', serverAction: WITHOUT_FACE_ACTIONS.alreadyOnDuty, response: { duty_status: detail.data.duty_status }, note: 'reconciled: HotelMate already shows the person on duty' };
  if (deps.ownSession) {
    const stillOpen = await ownLogStillOpen(api, deps.ownSession);
    if (stillOpen) return stillOpen;
  }
  const hotel = detail.data.hotel;
  if (typeof hotel !== 'number') return { kind: 'retry', message: 'HotelMate did not say which hotel the person belongs to; the manual clock-in will be tried again.' };

  const created = await api.createClockLog({
    hotel,
    staff: event.staffId,
    location_note: manualLocationNote(deps.locationNote, event),
    verified_by_face: false,
  });
  if (created.ok) return { kind: 'synced', serverAction: WITHOUT_FACE_ACTIONS.created, response: created.data };
  // DRF's own refusal is JSON; a 403 page from a proxy is not HotelMate's answer (classifyFailure pauses).
  if (isApiAnswer(created, 403))
    return review(
      event,
      `This clock-in was approved on the kiosk without a face; the kiosk account may not create clock logs in HotelMate (it needs attendance.log.create: ${describeFailure(created)}). Record it in HotelMate by hand.`,
      created.body,
    );
  if (created.kind === 'http' && created.status === 400)
    return review(event, `HotelMate refused the manual clock-in (${describeFailure(created)}).`, created.body);
  return classifyFailure(created, 'create-clock-log');
}
