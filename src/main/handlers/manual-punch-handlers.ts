/**
 * "Clock without face" channels: a person the camera cannot clock (not recognised, not enrolled,
 * camera down) picks their name, and a manager approves the punch on the spot with the manager PIN
 * (the admin PIN's check and lock-outs). The punch is saved in the ledger as manual, with the
 * approver and the note, before the screen says done. A face seen when the attempt began goes
 * with it, so HotelMate can check that face against the person picked; when it does, that face may
 * follow the person as a live template (live-templates.ts: source `manual`).
 */
import crypto from 'node:crypto';
import type { StaffListEntry } from '../../shared/domain/enrolment';
import type { ManualPunchRequest, ManualPunchResult } from '../../shared/domain/manual-punch';
import type { RequestHandlers } from '../../shared/ipc/contract';
import type { AdminSession } from '../admin/admin-session';
import type { FaceService } from '../face/face-service';
import type { FaceInView } from '../face/face-types';
import type { Clock } from '../lib/clock';
import type { KioskServices } from '../lifecycle/kiosk-services';
import type { Logger } from '../logging/logger';
import { afterSaved } from './clock-handlers';

/** How long the status re-read of the picked person may take before the last known one is shown. */
export const MANUAL_STATUS_BUDGET_MS = 1500;
/** How long a begun attempt keeps the face seen at its start. */
export const MANUAL_ATTEMPT_TTL_MS = 5 * 60_000;

export interface ManualPunchHandlerDeps {
  logger: Logger;
  clock: Clock;
  admin: Pick<AdminSession, 'approve' | 'lock'>;
  face: Pick<FaceService, 'liveDescriptorInView' | 'templates' | 'liveTemplates'>;
  services: Pick<KioskServices, 'clockService' | 'refreshStatus' | 'publishConnection'>;
}

type ManualChannels = 'manual:begin' | 'manual:staff' | 'manual:status' | 'manual:punch';

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

/**
 * Records a manual punch: checks the PIN first (a wrong PIN writes nothing and counts towards the
 * lock-out), then appends the punch with its approval and the face seen at the start, if any.
 * When the kiosk has no face of the person, the PIN also opens the admin area so the manager can
 * enrol them next. Resolves an error value, never rejects, for refusals.
 */
export async function manualPunch(deps: ManualPunchHandlerDeps, attempts: Attempts, request: ManualPunchRequest): Promise<ManualPunchResult> {
  const log = deps.logger.child('manual-punch');
  const clockService = deps.services.clockService();
  if (!clockService) return { ok: false, error: { code: 'not_configured', message: 'This kiosk is not set up yet. Ask a manager.' } };
  if (!clockService.staff(request.staffId)) return { ok: false, error: { code: 'unknown_staff', message: 'This person is not on the kiosk’s staff list.' } };
  const enrolled = enrolledIds(deps).has(request.staffId);
  const approval = await deps.admin.approve(request.pin, enrolled ? 'stay_locked' : 'unlock');
  if (!approval.ok) {
    log.info('manual punch refused: the manager PIN was not accepted', { staffId: request.staffId, code: approval.error.code });
    return { ok: false, error: approval.error };
  }
  const face = attempts.take(request.attemptId);
  const note = request.note?.trim() ? request.note.trim() : null;
  const result = clockService.punch({
    staffId: request.staffId,
    action: request.action,
    ...(note ? { reason: note } : {}),
    match: null,
    flagged: false,
    manual: { approver: 'manager_pin', note },
    liveDescriptor: face?.descriptor ?? null,
  });
  if (!result.ok) {
    // Nothing was written: the admin area the approval opened for enrolment closes again.
    if (!enrolled) deps.admin.lock('manual punch not recorded');
    return result;
  }
  // The face may follow the person once HotelMate's face check named them (live-templates.ts).
  const faceKept = face !== null && !result.duplicate && deps.face.liveTemplates.manualCandidate(result.eventId, request.staffId, face);
  log.info('manual punch approved with the manager PIN', { staffId: request.staffId, action: request.action, faceSeen: face !== null, faceKept, enrolled, eventId: result.eventId });
  return { ...afterSaved(deps, result), offerEnrol: !enrolled };
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
    'manual:punch': (request) => manualPunch(deps, attempts, request),
  };
}
