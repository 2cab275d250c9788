/** "Clock without face": the punch a manager approves on the spot for someone the camera cannot clock. */
import type { PunchErrorCode, PunchResult } from './punch';
import type { Result } from './result';
import type { ClockAction } from './types';

/** The longest manager's note on a manual punch (HotelMate's note field holds 255 characters with the kiosk's own). */
export const MANUAL_NOTE_MAX = 120;

/** The punch the screen asks for: the person picked from the list, the action and the note. */
interface ManualPunchFields {
  /** The attempt `manual:begin` opened (main kept the face in view then, if any); absent: no face goes with the punch. */
  attemptId?: string;
  staffId: number;
  action: ClockAction;
  /** The manager's note (why the face could not be used), optional. */
  note?: string;
}

/**
 * What the screen sends: the punch, approved either with the manager PIN (checked in main with the
 * admin PIN's lock-outs) or by a manager the camera recognised, by the id of that recognition
 * (single use; main checks again at the tap that the manager may approve and is still in view).
 */
export type ManualPunchRequest = ManualPunchFields & ({ pin: string } | { approverRecognitionId: string });

/** Why a manager's face cannot approve (nothing is written). */
export type ManualApproverErrorCode =
  /** The recognition is unknown, expired, withdrawn, or its face is no longer the face in view. */
  | 'approver_not_in_view'
  /** The recognition was already used (for a punch or an approval). */
  | 'approval_used'
  /** HotelMate does not give this person attendance management (see manual-approvers.ts). */
  | 'not_an_approver'
  /** The manager is the person being clocked: nobody approves their own punch. */
  | 'self_approval'
  /** The face was not confirmed as a live person beyond doubt. */
  | 'approver_not_live';

/** A recognised face that may approve this punch: who it is (the screen offers "Approve as <name>"), or why not. */
export type ManualApproverCheck = Result<{ staffId: number; name: string }, ManualApproverErrorCode>;

/** An attempt begun: its id, and whether a face was in view (it goes to HotelMate with the punch for checking). */
export interface ManualAttempt {
  attemptId: string;
  faceSeen: boolean;
}

/** Why a manual punch was refused (nothing was written): the PIN, the manager's face, or a refusal of the punch itself. */
export type ManualPunchErrorCode = PunchErrorCode | ManualApproverErrorCode | 'wrong_pin' | 'locked_out' | 'no_pin' | 'unknown_staff';

export type ManualPunchResult = Result<
  Omit<Extract<PunchResult, { ok: true }>, 'ok'> & {
    /** The kiosk has no face of this person: offer to enrol them now (the admin area is open for it). */
    offerEnrol: boolean;
    /**
     * The kiosk has no face of this person, but a manager approved with their face: the admin area
     * stays locked (only the PIN opens it), so enrolling now asks for the PIN.
     */
    enrolNeedsPin: boolean;
  },
  ManualPunchErrorCode
>;
