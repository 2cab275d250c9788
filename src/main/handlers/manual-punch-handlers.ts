/**
 * "Clock without face" channels: a person the camera cannot clock (not recognised, not enrolled,
 * camera down) picks their name, and a manager approves the punch on the spot: with the manager
 * PIN (the admin PIN's check and lock-outs), or by looking at the camera, when the recognition
 * names someone HotelMate gives attendance management who is not the person clocked. The punch is
 * saved in the ledger as manual, with the approver (the manager named, for a face) and the note,
 * before the screen says done. A face seen when the attempt began goes with it, so HotelMate can
 * check that face against the person picked; when it does, that face may follow the person as a
 * live template (live-templates.ts: source `manual`).
 */
import crypto from 'node:crypto';
import type { StaffListEntry } from '../../shared/domain/enrolment';
import type { ManualApproval } from '../../shared/domain/ledger';
import { mayApproveManualPunches } from '../../shared/domain/manual-approvers';
import type { ManualApproverCheck, ManualApproverErrorCode, ManualPunchErrorCode, ManualPunchRequest, ManualPunchResult } from '../../shared/domain/manual-punch';
import type { RequestHandlers } from '../../shared/ipc/contract';
import type { AdminSession } from '../admin/admin-session';
import type { FaceService } from '../face/face-service';
import type { FaceInView } from '../face/face-types';
import { livenessEstablished } from '../face/liveness-decision';
import type { RecognitionSession, RecognitionSessions } from '../face/recognition-sessions';
import type { Clock } from '../lib/clock';
import type { KioskServices } from '../lifecycle/kiosk-services';
import type { Logger } from '../logging/logger';
import { afterSaved, awaitFreshViewOf } from './clock-handlers';

/** How long the status re-read of the picked person may take before the last known one is shown. */
export const MANUAL_STATUS_BUDGET_MS = 1500;
/** How long a begun attempt keeps the face seen at its start. */
export const MANUAL_ATTEMPT_TTL_MS = 5 * 60_000;
/**
 * How many begun attempts are kept at once (one screen runs one; a page that keeps calling
 * `manual:begin` must not grow main's memory): the oldest is forgotten first.
 */
export const MANUAL_ATTEMPTS_KEPT = 16;

export interface ManualPunchHandlerDeps {
  logger: Logger;
  clock: Clock;
  admin: Pick<AdminSession, 'approve' | 'lock'>;
  face: Pick<FaceService, 'liveDescriptorInView' | 'templates' | 'isInView' | 'awaitFreshView' | 'liveTemplates'>;
  /** The recognitions the camera made (a manager's face approves by the id of theirs). */
  sessions: RecognitionSessions;
  services: Pick<KioskServices, 'clockService' | 'refreshStatus' | 'publishConnection'>;
}

type ManualChannels = 'manual:begin' | 'manual:staff' | 'manual:status' | 'manual:approver' | 'manual:punch';

/** The faces seen when attempts began, by attempt id; each is used once or forgotten after its TTL. */
interface Attempts {
  begin(): { attemptId: string; faceSeen: boolean };
  take(attemptId: string | undefined): FaceInView | null;
}

function createAttempts(deps: Pick<ManualPunchHandlerDeps, 'clock' | 'face'>): Attempts {
  const open = new Map<string, { face: FaceInView | null; expiresAt: number }>();
  const prune = (now: number): void => {
    for (const [id, attempt] of open) if (attempt.expiresAt < now) open.delete(id);
  };
  return {
    begin() {
      const now = deps.clock.now().getTime();
      prune(now);
      const attemptId = crypto.randomUUID();
      const face = deps.face.liveDescriptorInView();
      // A Map iterates in insertion order: the first key is the oldest attempt.
      while (open.size >= MANUAL_ATTEMPTS_KEPT) open.delete(open.keys().next().value as string);
      open.set(attemptId, { face, expiresAt: now + MANUAL_ATTEMPT_TTL_MS });
      return { attemptId, faceSeen: face !== null };
    },
    take(attemptId) {
      prune(deps.clock.now().getTime());
      if (!attemptId) return null;
      const attempt = open.get(attemptId);
      open.delete(attemptId);
      return attempt?.face ?? null;
    },
  };
}

/** The people the kiosk has a face of (templates on this kiosk). */
const enrolledIds = (deps: Pick<ManualPunchHandlerDeps, 'face'>): Set<number> => new Set(deps.face.templates.list().map((person) => person.staffId));

/** What the screen says when a manager's face cannot approve (nothing is written). */
const APPROVER_REFUSALS: Record<ManualApproverErrorCode, string> = {
  approver_not_in_view: 'The manager is no longer in front of the camera. Please look at the camera again.',
  approval_used: 'This recognition was already used. Please look at the camera again.',
  not_an_approver: 'This person cannot approve punches: HotelMate does not give them attendance management.',
  self_approval: 'Nobody can approve their own punch. Another manager must approve it.',
  approver_not_live: 'The camera could not confirm a live face (or liveness checking is off on this kiosk). Please use the manager PIN.',
};

type ApproverFound = { ok: true; session: RecognitionSession; manager: { staffId: number; name: string } } | { ok: false; error: { code: ManualApproverErrorCode; message: string } };

const refuseApprover = (code: ManualApproverErrorCode): ApproverFound => ({ ok: false, error: { code, message: APPROVER_REFUSALS[code] } });

/**
 * Whether the recognition may approve the punch of `staffId`, checked as a punch checks its
 * recognition: open (not used, withdrawn, expired or ended with its face track), its face still the
 * face in view and named as them; the person must not be the one being clocked and must be an
 * approver (manual-approvers.ts) on the active staff list; and liveness must be established, more
 * than a punch needs: passed, not merely not in doubt (with liveness off, only the PIN approves).
 * Uses nothing up.
 */
function findApprover(deps: ManualPunchHandlerDeps, recognitionId: string, staffId: number): ApproverFound {
  const found = deps.sessions.lookup(recognitionId);
  if (found.state !== 'open') return refuseApprover(found.state === 'used' ? 'approval_used' : 'approver_not_in_view');
  const { session } = found;
  if (!deps.face.isInView(session.trackId, session.staffId)) return refuseApprover('approver_not_in_view');
  if (session.staffId === staffId) return refuseApprover('self_approval');
  const clockService = deps.services.clockService();
  const authority = clockService?.authority(session.staffId) ?? null;
  if (!authority || !authority.isActive || !mayApproveManualPunches(authority)) return refuseApprover('not_an_approver');
  // Approving someone else's punch needs proof of a live manager, not just a face the kiosk named.
  if (session.match.spoofSuspected || !livenessEstablished(session.match.livenessCheck)) return refuseApprover('approver_not_live');
  const name = clockService?.staff(session.staffId)?.name ?? `Staff #${session.staffId}`;
  return { ok: true, session, manager: { staffId: session.staffId, name } };
}

/** "Approve as <name>": whether the recognised face may approve the punch of `staffId` (logged when not). */
export function checkApprover(deps: ManualPunchHandlerDeps, recognitionId: string, staffId: number): ManualApproverCheck {
  const found = findApprover(deps, recognitionId, staffId);
  if (!found.ok) {
    deps.logger.child('manual-punch').info('a recognised face cannot approve this manual punch', { staffId, code: found.error.code });
    return found;
  }
  return { ok: true, staffId: found.manager.staffId, name: found.manager.name };
}

/** An accepted approval: what the ledger records, whether it opened the admin area, and what it uses up once the punch is saved. */
interface Approval {
  manual: (note: string | null) => ManualApproval;
  openedAdmin: boolean;
  used: () => void;
  describe: string;
}

type ApprovalOutcome = { ok: true; approval: Approval } | { ok: false; error: { code: ManualPunchErrorCode; message: string } };

/** The manager PIN (a wrong PIN counts towards the lock-out); for someone without a face on the kiosk it opens the admin area to enrol them next. */
async function pinApproval(deps: ManualPunchHandlerDeps, pin: string, enrolled: boolean): Promise<ApprovalOutcome> {
  const approved = await deps.admin.approve(pin, enrolled ? 'stay_locked' : 'unlock');
  if (!approved.ok) return approved;
  return { ok: true, approval: { manual: (note) => ({ approver: 'manager_pin', note }), openedAdmin: !enrolled, used: () => undefined, describe: 'with the manager PIN' } };
}

/** A manager's recognised face (synchronous: nothing is awaited between this check and the punch that uses the recognition). */
function faceApproval(deps: ManualPunchHandlerDeps, recognitionId: string, staffId: number): ApprovalOutcome {
  const found = findApprover(deps, recognitionId, staffId);
  if (!found.ok) return found;
  const { manager } = found;
  return {
    ok: true,
    approval: {
      manual: (note) => ({ approver: 'manager_face', note, manager }),
      openedAdmin: false,
      used: () => deps.sessions.consume(recognitionId),
      describe: `by the face of manager #${manager.staffId}`,
    },
  };
}

/**
 * Records a manual punch: checks the approval first (a wrong PIN writes nothing and counts towards
 * the lock-out; a manager's face must pass findApprover), then appends the punch with its approval
 * and the face seen at the start, if any; a manager's recognition is used up with it. When the
 * kiosk has no face of the person, the PIN also opens the admin area so the manager can enrol them
 * next (a face approval never opens it). Resolves an error value, never rejects, for refusals.
 */
export async function manualPunch(deps: ManualPunchHandlerDeps, attempts: Attempts, request: ManualPunchRequest): Promise<ManualPunchResult> {
  const log = deps.logger.child('manual-punch');
  const clockService = deps.services.clockService();
  if (!clockService) return { ok: false, error: { code: 'not_configured', message: 'This kiosk is not set up yet. Ask a manager.' } };
  if (!clockService.staff(request.staffId)) return { ok: false, error: { code: 'unknown_staff', message: 'This person is not on the kiosk’s staff list.' } };
  const enrolled = enrolledIds(deps).has(request.staffId);
  if (!('pin' in request)) await awaitFreshViewOf(deps, request.approverRecognitionId);
  const outcome = 'pin' in request ? await pinApproval(deps, request.pin, enrolled) : faceApproval(deps, request.approverRecognitionId, request.staffId);
  if (!outcome.ok) {
    log.info('manual punch refused: the approval was not accepted', { staffId: request.staffId, code: outcome.error.code });
    return { ok: false, error: outcome.error };
  }
  const { approval } = outcome;
  const face = attempts.take(request.attemptId);
  const note = request.note?.trim() ? request.note.trim() : null;
  const result = clockService.punch({
    staffId: request.staffId,
    action: request.action,
    ...(note ? { reason: note } : {}),
    match: null,
    flagged: false,
    manual: approval.manual(note),
    liveDescriptor: face?.descriptor ?? null,
  });
  if (!result.ok) {
    // Nothing was written: the admin area the approval opened for enrolment closes again.
    if (approval.openedAdmin) deps.admin.lock('manual punch not recorded');
    return result;
  }
  approval.used();
  // The face may follow the person once HotelMate's face check named them (live-templates.ts).
  const faceKept = face !== null && !result.duplicate && deps.face.liveTemplates.manualCandidate(result.eventId, request.staffId, face);
  log.info(`manual punch approved ${approval.describe}`, { staffId: request.staffId, action: request.action, faceSeen: face !== null, faceKept, enrolled, eventId: result.eventId });
  return { ...afterSaved(deps, result), offerEnrol: !enrolled && approval.openedAdmin, enrolNeedsPin: !enrolled && !approval.openedAdmin };
}

export function manualPunchHandlers(deps: ManualPunchHandlerDeps): Pick<RequestHandlers, ManualChannels> {
  const attempts = createAttempts(deps);
  return {
    'manual:begin': () => attempts.begin(),
    'manual:staff': (): StaffListEntry[] => {
      const enrolled = enrolledIds(deps);
      return (deps.services.clockService()?.staffList() ?? [])
        .map((person) => ({ ...person, enrolled: enrolled.has(person.id) }))
        .sort((a, b) => a.name.localeCompare(b.name));
    },
    'manual:status': (staffId) => deps.services.refreshStatus(staffId, MANUAL_STATUS_BUDGET_MS),
    'manual:approver': (recognitionId, staffId) => checkApprover(deps, recognitionId, staffId),
    'manual:punch': (request) => manualPunch(deps, attempts, request),
  };
}
