/** A punch as the screen asks for it and the answer it gets back. */
import type { Result } from './result';
import type { ClockAction, EffectiveStatus } from './types';

/** What the screen sends for a punch: the recognition it refers to, never a descriptor or a staff id. */
export interface PunchRequest {
  recognitionId: string;
  action: ClockAction;
  /** Reason for an unrostered clock-in (preset or free text). */
  reason?: string;
}

/**
 * Why a punch was refused (nothing was written): the recognition is unknown, expired or was
 * withdrawn; it was already used by a punch; the recognised face is no longer the one in front of
 * the camera; the action is not possible now; storage failed; or the kiosk is not set up.
 */
export type PunchErrorCode =
  | 'unknown_recognition'
  | 'expired_recognition'
  | 'recognition_used'
  | 'face_not_in_view'
  | 'not_allowed'
  | 'storage_failed'
  | 'not_configured';

export type PunchResult = Result<
  {
    eventId: string;
    action: ClockAction;
    /** ISO time the punch happened (the kiosk's clock). */
    occurredAt: string;
    /**
     * True when HotelMate is not reachable now (or its answer is known to be late): the punch is saved
     * here and syncs when it is back. False: saved, and on its way (after the undo window).
     */
    savedOffline: boolean;
    /**
     * True when HotelMate could not take the punch as it is (e.g. it matched the face to someone
     * else): it is saved here and a manager will check it. Absent means false.
     */
    needsReview?: boolean;
    /** True when this was a second tap for the same punch, recognised and not recorded twice. */
    duplicate: boolean;
    status: EffectiveStatus;
    /** ISO time until which the person may undo this punch (`clock:undo`); absent when it cannot be undone. */
    undoUntil?: string;
    /** ISO time the duty session this punch belongs to began (the clock-in), when known: today's worked time on the done screen. */
    sessionStartedAt?: string | null;
  },
  PunchErrorCode
>;

/**
 * Whether a saved punch is held back from the sync for its undo window (so it may be undone, and
 * leaving its confirmation releases it). A second tap for the same punch never is.
 */
export function isHeldForUndo(result: { undoUntil?: string; duplicate: boolean }): boolean {
  return result.undoUntil !== undefined && !result.duplicate;
}

/** How long after a punch the person may undo it (HotelMate cannot delete a log, so it is held back from the sync meanwhile). */
export const UNDO_WINDOW_MS = 10_000;

/** Why an undo was refused: the window is over (the punch is on its way or sent), or the kiosk is not set up. */
export type UndoErrorCode = 'too_late' | 'not_configured';

/** An undone punch: kept on the kiosk as cancelled, never sent; the person's status as it is again. */
export type UndoResult = Result<{ eventId: string; status: EffectiveStatus }, UndoErrorCode>;
