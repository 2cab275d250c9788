/** How a tap becomes a ledger row: a repeated tap is answered with the first punch, an action the status does not allow is refused, anything else is saved durably. */
import type { ManualApproval } from '../../shared/domain/ledger';
import { isAllowed, isDuplicateTap } from '../../shared/domain/duty-status';
import type { ClockAction, DutyStatus } from '../../shared/domain/types';
import type { Clock } from '../lib/clock';
import { errorCode, errorMessage } from '../lib/errors';
import type { FaceMatch } from '../face/face-types';
import { LedgerStorageError, type Ledger, type LedgerEvent } from '../ledger/ledger-store';

export interface PunchInput {
  staffId: number;
  action: ClockAction;
  reason?: string;
  /** The face decision that authorised this punch; null for a punch a manager approved without a face. */
  match: FaceMatch | null;
  /** Flag for manager review (e.g. suspected presentation attack). */
  flagged: boolean;
  /**
   * A punch made without a face ("Clock without face"): who approved it and the note. Its live
   * descriptor is the face seen during the attempt, if any (`liveDescriptor`).
   */
  manual?: ManualApproval;
  /** The live descriptor of a manual punch (a face was in view, though not recognised), else absent. */
  liveDescriptor?: Float32Array | null;
  /** Why it is flagged, with the scores (stays on the kiosk, for the manager). */
  reviewNote?: string | null;
}

/** What happened to a tap. */
export type PunchRecording =
  | { kind: 'duplicate'; previous: LedgerEvent }
  | { kind: 'not_allowed'; message: string }
  | { kind: 'saved'; event: LedgerEvent }
  | { kind: 'storage_failed'; message: string };

export interface PunchRecorderDeps {
  ledger: Pick<Ledger, 'lastFor' | 'append'>;
  clock: Clock;
  /** The person's status with their unsynced punches applied. */
  statusOf: (staffId: number) => DutyStatus;
  /** Window in which the same person's same action again is a duplicate tap. */
  duplicateWindowMs: number;
  /** How long a new punch is held from the sync for its undo window (0: not held). */
  holdMs?: number;
}

/** Records one tap. Never throws for storage problems: SQLite refusing the read or the write is `storage_failed`. */
export function recordPunch(input: PunchInput, deps: PunchRecorderDeps): PunchRecording {
  try {
    return record(input, deps);
  } catch (error) {
    return { kind: 'storage_failed', message: error instanceof LedgerStorageError ? error.message : storageMessage(error) };
  }
}

/** A damaged or unreadable database, as the screen and the log say it. */
function storageMessage(error: unknown): string {
  return errorCode(error) === 'SQLITE_CORRUPT' || errorCode(error) === 'SQLITE_NOTADB'
    ? new LedgerStorageError(errorCode(error) ?? 'SQLITE_CORRUPT', errorMessage(error)).message
    : `The punch could not be saved: ${errorMessage(error)}`;
}

function record(input: PunchInput, deps: PunchRecorderDeps): PunchRecording {
  const { ledger } = deps;
  const previous = ledger.lastFor(input.staffId);
  if (
    previous &&
    previous.syncState !== 'cancelled' &&
    isDuplicateTap(
      { staffId: previous.staffId, action: previous.action, atMs: previous.occurredMs },
      { staffId: input.staffId, action: input.action, atMs: deps.clock.now().getTime() },
      deps.duplicateWindowMs,
    )
  )
    return { kind: 'duplicate', previous };
  const status = deps.statusOf(input.staffId);
  if (!isAllowed(status, input.action)) return { kind: 'not_allowed', message: `${input.action} is not possible while ${status.replace('_', ' ')}.` };
  const event = ledger.append({
    staffId: input.staffId,
    action: input.action,
    reason: input.reason ?? null,
    matchDistance: input.match?.distance ?? null,
    matchModel: input.match?.model ?? null,
    flagged: input.flagged,
    reviewNote: input.reviewNote ?? null,
    liveDescriptor: input.match?.liveDescriptor ?? input.liveDescriptor ?? null,
    manual: input.manual ?? null,
    holdMs: deps.holdMs ?? 0,
  });
  return { kind: 'saved', event };
}
