/**
 * Clock channels: punches (only for the face in front of the camera, once per recognition; answered
 * as soon as the ledger has the punch, the sync follows behind; the face's audit snapshot when they
 * are on), their undo within the undo window, statuses, the on-duty board and the ledger (with the
 * snapshots).
 */
import type { PunchErrorCode, PunchRequest, PunchResult, UndoResult } from '../../shared/domain/punch';
import type { RequestHandlers } from '../../shared/ipc/contract';
import type { FaceService } from '../face/face-service';
import { encodeJpeg, toJpegDataUrl, type RgbImage } from '../face/jpeg';
import { reviewNote } from '../face/liveness-decision';
import type { AuditSnapshots } from '../ledger/audit-snapshots';
import type { RecognitionSessions, SessionLookup } from '../face/recognition-sessions';
import type { KioskServices } from '../lifecycle/kiosk-services';
import { errorMessage } from '../lib/errors';
import type { Logger } from '../logging/logger';

export interface ClockHandlerDeps {
  logger: Logger;
  sessions: RecognitionSessions;
  /** Whether a recognition's face track is the face in view now, and its face for the audit snapshot. */
  face: Pick<FaceService, 'isInView' | 'awaitFreshView' | 'liveTemplates' | 'snapshotOf'>;
  /** Where a punch's audit snapshot is kept (when `recognition.auditSnapshots` is on). */
  snapshots: AuditSnapshots;
  /** Encodes the snapshot (ffmpeg); encodeJpeg unless a test replaces it. */
  encodeSnapshot?: (face: RgbImage) => Promise<Buffer>;
  services: Pick<KioskServices, 'clockService' | 'effectiveStatus' | 'publishConnection'>;
}

type ClockChannels =
  | 'clock:punch'
  | 'clock:undo'
  | 'clock:release'
  | 'clock:getStatus'
  | 'board:onDuty'
  | 'ledger:list'
  | 'ledger:exportCsv'
  | 'ledger:snapshot';

/** JPEG quality of an audit snapshot: enough to see who it is, small on disk. */
const SNAPSHOT_QUALITY = 6;

/**
 * How long a tap waits for a fresh frame when the face analysis lags behind the camera: on a
 * machine too busy for a frame every 600 ms (the tracker's `presentMs`) frames still come every
 * second or so; a camera that sends nothing for this long has stalled, and the punch is refused.
 */
export const FRESH_VIEW_WAIT_MS = 1500;

/** What the screen says when a recognition cannot be used (nothing was written). */
const REFUSALS: Record<Exclude<SessionLookup['state'], 'open'> | 'not_in_view', { code: PunchErrorCode; message: string }> = {
  unknown: { code: 'expired_recognition', message: 'Please look at the camera again.' },
  withdrawn: { code: 'unknown_recognition', message: 'Please look at the camera again.' },
  used: { code: 'recognition_used', message: 'This recognition was already used. Please look at the camera again.' },
  face_gone: { code: 'face_not_in_view', message: 'Please look at the camera again.' },
  not_in_view: { code: 'face_not_in_view', message: 'Please look at the camera again.' },
};

/**
 * Records a punch for the person of an open recognition session, only while that person's face
 * track is the face in view (seen within the last few hundred ms, still recognised as them; when the
 * analysis lags behind the camera, on the next analysed frame, waiting up to FRESH_VIEW_WAIT_MS). The
 * first punch recorded uses the recognition up. Resolves as soon as the punch is durably saved
 * (never waiting for HotelMate: the sync follows behind, after the undo window): `savedOffline` when
 * HotelMate is not reachable now, `needsReview` for a repeated tap of a punch a manager must check.
 * Resolves an error value, writing nothing,
 * for a recognition that is expired, withdrawn or already used, a face no longer in view, an
 * unconfigured kiosk, or a refusal of the clock service (action not allowed now, storage failed);
 * never rejects for those.
 */
export async function punch(deps: ClockHandlerDeps, request: PunchRequest): Promise<PunchResult> {
  await awaitFreshViewOf(deps, request.recognitionId);
  return punchNow(deps, request);
}

/**
 * On a busy machine the face analysis can lag behind the camera: before a recognition's face is
 * checked at a tap (a punch, a manager's approval), waits for a fresh frame of the person still
 * standing there rather than refusing them (FaceService.awaitFreshView). Nothing to wait for when
 * the recognition is not open: the check that follows refuses it.
 */
export async function awaitFreshViewOf(deps: { sessions: Pick<RecognitionSessions, 'lookup'>; face: Pick<FaceService, 'awaitFreshView'> }, recognitionId: string): Promise<void> {
  const found = deps.sessions.lookup(recognitionId);
  if (found.state === 'open') await deps.face.awaitFreshView(found.session.trackId, FRESH_VIEW_WAIT_MS);
}

/** The punch itself, synchronous from the look-up to consume() (see punch). */
function punchNow(deps: ClockHandlerDeps, request: PunchRequest): PunchResult {
  const log = deps.logger.child('punch');
  const found = deps.sessions.lookup(request.recognitionId);
  if (found.state !== 'open') {
    if (found.state === 'used') log.warn('refused a punch with a recognition that was already used', { action: request.action });
    else log.info('refused a punch with a recognition that is no longer open', { action: request.action, state: found.state });
    return { ok: false, error: REFUSALS[found.state] };
  }
  const { session } = found;
  if (!deps.face.isInView(session.trackId, session.staffId)) {
    log.info('refused a punch: the recognised face is not the face in view now', { staffId: session.staffId, action: request.action });
    return { ok: false, error: REFUSALS.not_in_view };
  }
  const clockService = deps.services.clockService();
  if (!clockService) {
    return { ok: false, error: { code: 'not_configured', message: 'This kiosk is not set up yet. Ask a manager.' } };
  }
  // The clock service checks the action against the effective status and recognises a second
  // tap for the same punch as a duplicate. Nothing is awaited between the look-up above and
  // consume() below, so two punches with one recognition cannot both get through.
  const result = clockService.punch({
    staffId: session.staffId,
    action: request.action,
    reason: request.reason,
    match: session.match,
    flagged: session.match.spoofSuspected,
    reviewNote: session.match.livenessCheck ? reviewNote(session.match.livenessCheck) : null,
  });
  if (!result.ok) return result;
  deps.sessions.consume(request.recognitionId);
  // A confident recognition's descriptor may follow the person once HotelMate has taken the punch.
  if (!result.duplicate && !session.match.spoofSuspected) deps.face.liveTemplates.candidate(result.eventId, session.match);
  const face = result.duplicate ? null : deps.face.snapshotOf(session.trackId);
  if (face) void keepSnapshot(deps, result.eventId, face);
  return afterSaved(deps, result);
}

type SavedPunch = Extract<PunchResult, { ok: true }>;

/**
 * After a punch is saved: publishes the new counters and answers at once. The punch is durably
 * saved, so the screen says done without waiting for HotelMate; the sync follows behind (after the
 * undo window).
 */
export function afterSaved(deps: { services: Pick<KioskServices, 'publishConnection'> }, result: SavedPunch): SavedPunch {
  deps.services.publishConnection();
  return result;
}

/** Undoes a punch within its undo window (kept as cancelled, never sent), or says it is too late. */
export function undoPunch(deps: ClockHandlerDeps, eventId: string): UndoResult {
  const clockService = deps.services.clockService();
  if (!clockService) return { ok: false, error: { code: 'not_configured', message: 'This kiosk is not set up yet. Ask a manager.' } };
  const result = clockService.undo(eventId);
  // An undone punch's face follows nobody.
  if (result.ok) deps.face.liveTemplates.settled(eventId, 'cancelled');
  deps.services.publishConnection();
  return result;
}

/** Encodes and keeps a punch's audit snapshot; a failure is logged and loses only the snapshot, never the punch. */
async function keepSnapshot(deps: ClockHandlerDeps, eventId: string, face: RgbImage): Promise<void> {
  try {
    const jpeg = await (deps.encodeSnapshot ?? ((image: RgbImage) => encodeJpeg(image, { quality: SNAPSHOT_QUALITY })))(face);
    deps.snapshots.keep(eventId, jpeg);
  } catch (error) {
    deps.logger.child('punch').warn('the audit snapshot of a punch was not kept', { eventId, error: errorMessage(error) });
  }
}

export function clockHandlers(deps: ClockHandlerDeps): Pick<RequestHandlers, ClockChannels> {
  return {
    'clock:punch': (request) => punch(deps, request),
    'clock:undo': (eventId) => undoPunch(deps, eventId),
    'clock:release': (eventId) => {
      deps.services.clockService()?.release(eventId);
    },
    'clock:getStatus': (staffId) => deps.services.effectiveStatus(staffId),
    'board:onDuty': () => deps.services.clockService()?.board() ?? { departments: [], updatedAt: null },
    'ledger:list': (filter) => {
      const rows = deps.services.clockService()?.ledger(filter) ?? [];
      const withSnapshot = deps.snapshots.eventIds();
      return rows.map((row) => ({ ...row, hasSnapshot: withSnapshot.has(row.eventId) }));
    },
    'ledger:snapshot': (eventId) => {
      const jpeg = deps.snapshots.open(eventId);
      return jpeg ? { dataUrl: toJpegDataUrl(jpeg) } : null;
    },
    'ledger:exportCsv': () => ({ csv: deps.services.clockService()?.exportCsv() ?? '' }),
  };
}
