/** Clock channels: punches (with the short wait that lets the screen say truthfully whether HotelMate has it), statuses, the on-duty board and the ledger. */
import type { PunchRequest, PunchResult } from '../../shared/domain/punch';
import type { RequestHandlers } from '../../shared/ipc/contract';
import type { RecognitionSessions } from '../face/recognition-sessions';
import type { KioskServices } from '../lifecycle/kiosk-services';

/** How long a punch waits for HotelMate before the screen says "saved offline, will sync". */
export const PUNCH_CONFIRM_MS = 2500;

export interface ClockHandlerDeps {
  sessions: RecognitionSessions;
  services: Pick<KioskServices, 'clockService' | 'effectiveStatus' | 'publishConnection'>;
  /** The wait for HotelMate after an online punch; PUNCH_CONFIRM_MS unless a test shortens it. */
  punchConfirmMs?: number;
}

type ClockChannels = 'clock:punch' | 'clock:getStatus' | 'board:onDuty' | 'ledger:list' | 'ledger:exportCsv';

/**
 * Records a punch for the person of an open recognition session. Resolves once the punch is
 * durably saved: `savedOffline` is true unless HotelMate confirmed it within the wait, and
 * `needsReview` when HotelMate could not take it (a manager will check it). Resolves
 * an error value for an expired recognition, an unconfigured kiosk, or a refusal of the clock
 * service (action not allowed now, storage failed); never rejects for those.
 */
export async function punch(deps: ClockHandlerDeps, request: PunchRequest): Promise<PunchResult> {
  const session = deps.sessions.find(request.recognitionId);
  if (!session) {
    return { ok: false, error: { code: 'expired_recognition', message: 'Please look at the camera again.' } };
  }
  const clockService = deps.services.clockService();
  if (!clockService) {
    return { ok: false, error: { code: 'not_configured', message: 'This kiosk is not set up yet. Ask a manager.' } };
  }
  // The clock service checks the action against the effective status and recognises a second
  // tap for the same punch as a duplicate.
  const result = clockService.punch({
    staffId: session.staffId,
    action: request.action,
    reason: request.reason,
    match: session.match,
    flagged: session.match.spoofSuspected,
  });
  if (!result.ok) return result;
  deps.services.publishConnection();
  if (result.duplicate || result.savedOffline) return result;
  // Believed online: give the sync a moment so the screen can say truthfully whether the punch
  // reached HotelMate or is saved here to sync later (it is durably saved either way).
  const settled = await clockService.awaitSettled(result.eventId, deps.punchConfirmMs ?? PUNCH_CONFIRM_MS);
  if (settled === 'synced') return result;
  return { ...result, savedOffline: true, needsReview: settled === 'needs_review' };
}

export function clockHandlers(deps: ClockHandlerDeps): Pick<RequestHandlers, ClockChannels> {
  return {
    'clock:punch': (request) => punch(deps, request),
    'clock:getStatus': (staffId) => deps.services.effectiveStatus(staffId),
    'board:onDuty': () => deps.services.clockService()?.board() ?? { departments: [], updatedAt: null },
    'ledger:list': (filter) => deps.services.clockService()?.ledger(filter) ?? [],
    'ledger:exportCsv': () => ({ csv: deps.services.clockService()?.exportCsv() ?? '' }),
  };
}
