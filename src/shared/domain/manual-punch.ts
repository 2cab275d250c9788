/** "Clock without face": the punch a manager approves on the spot for someone the camera cannot clock. */
import type { PunchErrorCode, PunchResult } from './punch';
import type { Result } from './result';
import type { ClockAction } from './types';

/** The longest manager's note on a manual punch (HotelMate's note field holds 255 characters with the kiosk's own). */
export const MANUAL_NOTE_MAX = 120;

/** What the screen sends: the person picked from the list, the action, the manager PIN and the note. */
export interface ManualPunchRequest {
  /** The attempt `manual:begin` opened (main kept the face in view then, if any); absent: no face goes with the punch. */
  attemptId?: string;
  staffId: number;
  action: ClockAction;
  /** The manager PIN (checked in main with the admin PIN's lock-outs). */
  pin: string;
  /** The manager's note (why the face could not be used), optional. */
  note?: string;
}

/** An attempt begun: its id, and whether a face was in view (it goes to HotelMate with the punch for checking). */
export interface ManualAttempt {
  attemptId: string;
  faceSeen: boolean;
}

/** Why a manual punch was refused (nothing was written): the PIN, or a refusal of the punch itself. */
export type ManualPunchErrorCode = PunchErrorCode | 'wrong_pin' | 'locked_out' | 'no_pin' | 'unknown_staff';

export type ManualPunchResult = Result<
  Omit<Extract<PunchResult, { ok: true }>, 'ok'> & {
    /** The kiosk has no face of this person: offer to enrol them now (the admin area is open for it). */
    offerEnrol: boolean;
  },
  ManualPunchErrorCode
>;
