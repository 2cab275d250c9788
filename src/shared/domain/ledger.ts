/** The punch ledger as managers see it: each punch with where it is on its way to HotelMate. */
import type { Result } from './result';
import type { ClockAction } from './types';

/** Where a punch is on its way to HotelMate; `cancelled`: undone by the person right after it, kept and never sent. */
export type SyncState = 'pending' | 'sending' | 'synced' | 'needs_review' | 'cancelled';

/**
 * How a punch made without a face ("Clock without face") was approved: the kiosk's one manager PIN
 * (names the method, not a person), or a manager's face recognised by the camera (names them).
 */
export type ManualApprover = 'manager_pin' | 'manager_face';

/**
 * A punch made without a face: who approved it and the manager's note. With the manager PIN the
 * kiosk cannot tell which manager it was; a manager who approved with their face is named (their
 * HotelMate staff id and their name at the time).
 */
export type ManualApproval =
  | { approver: 'manager_pin'; note: string | null }
  | { approver: 'manager_face'; note: string | null; manager: { staffId: number; name: string } };

export const SYNC_STATES: readonly SyncState[] = ['pending', 'sending', 'synced', 'needs_review', 'cancelled'];

/** One punch in the admin ledger. */
export interface LedgerRow {
  eventId: string;
  staffId: number;
  staffName: string | null;
  action: ClockAction;
  occurredAt: string;
  syncState: SyncState;
  attempts: number;
  lastError: string | null;
  syncedAt: string | null;
  /** Seconds between the punch and its arrival at HotelMate, once synced. */
  delaySeconds: number | null;
  flagged: boolean;
  /** Why a flagged punch is flagged, with the liveness scores (English, for the manager), else null. */
  reviewNote?: string | null;
  /** Whether an encrypted audit snapshot of the face is kept with the punch (`ledger:snapshot`). */
  hasSnapshot?: boolean;
  /** The reason the person gave for an unrostered clock-in (sent to HotelMate with it), else null. */
  reason?: string | null;
  /** Set for a punch made without a face ("Clock without face"): who approved it, with the note. */
  manual?: ManualApproval | null;
}

/** Why a manager's retry of a needs-review punch was refused. */
export type LedgerRetryErrorCode = 'not_found' | 'not_in_review' | 'superseded' | 'not_configured';

/** A manager's retry: the punch back in the queue (it goes through HotelMate's state check again), or why not. */
export type LedgerRetryResult = Result<{ row: LedgerRow }, LedgerRetryErrorCode>;
