/**
 * Templates that follow the person: a face kept with a saved punch becomes one of the person's
 * templates (at most MAX_LIVE_TEMPLATES, the oldest replaced) once the punch reached HotelMate without
 * HotelMate naming someone else, so a haircut, glasses or the seasons do not lock them out. Two
 * sources:
 * - `live`: a confident recognition (well inside the threshold, margin held, liveness not in doubt;
 *   the decision itself already needed several agreeing frames);
 * - `manual`: the face seen when a manager-approved "Clock without face" began, for a person the
 *   kiosk already has templates of, when that face was confirmed live (liveness off or unavailable:
 *   never, the careful choice) and HotelMate's face endpoints then named the chosen person.
 * The candidates wait on disk (sealed, bounded, erased with the person, deleted after
 * CANDIDATE_RETENTION_DAYS by privacy/retention.ts when the punch never settles), so a restart
 * before the sync forgets nothing. Guarded against drift: never a punch that went to review or was
 * undone, never a descriptor closer to another person than the margin at the moment of adoption,
 * never a manual face HotelMate's own rule would not call the same person, never for someone
 * removed meanwhile. What is refused is logged with the person and the reason, never the face.
 */
import type { KioskConfig } from '../../shared/config/schema';
import type { SyncState } from '../../shared/domain/ledger';
import type { Logger } from '../logging/logger';
import { takenWithoutFace } from '../ledger/server-actions';
import type { FaceInView, FaceMatch } from './face-types';
import type { LiveCandidate, TemplateStore } from './template-store';

/** A recognition counts as confident when its distance is at most this share of the threshold. */
export const CONFIDENT_SHARE_OF_THRESHOLD = 0.8;
/** Candidates waiting for their punch to settle, on disk; beyond it the oldest go first. */
export const MAX_PENDING_CANDIDATES = 200;
/**
 * HotelMate's own rule for "the same person" (docs/hotelmate-api.md §3.2: Euclidean distance, 0.6).
 * A manual face farther than this from the person's nearest template here is not adopted, whatever
 * HotelMate answered: it is not plausible as the same person.
 */
export const HOTELMATE_MATCH_DISTANCE = 0.6;

type Recognition = Pick<KioskConfig['recognition'], 'threshold' | 'margin'>;

/** Whether a recognition is confident enough for its live descriptor to be kept. Pure. */
export function isConfidentRecognition(match: Pick<FaceMatch, 'distance' | 'secondBestDistance' | 'spoofSuspected'>, settings: Recognition): boolean {
  if (match.spoofSuspected) return false;
  if (match.distance > settings.threshold * CONFIDENT_SHARE_OF_THRESHOLD) return false;
  return match.secondBestDistance === null || match.secondBestDistance - match.distance >= settings.margin;
}

/** Why a candidate was not adopted (for the log and the tests). */
export type NotAdopted =
  | 'no_candidate'
  | 'still_on_its_way'
  | 'undone'
  | 'review'
  | 'taken_without_face'
  | 'not_enrolled'
  | 'implausible_for_person'
  | 'too_close_to_another_person';

/** What settling a punch did to its candidate. */
export type SettleResult = { adopted: true } | { adopted: false; reason: NotAdopted };

/** A candidate that was there and is deleted without being adopted. */
type Refusal = Exclude<NotAdopted, 'no_candidate' | 'still_on_its_way'>;

const NOT_ADOPTED_LOG: Record<Refusal, string> = {
  undone: 'live template not adopted: the punch was undone',
  review: 'live template not adopted: the punch went to review',
  taken_without_face: 'live template not adopted: HotelMate took the punch without checking its face',
  not_enrolled: 'live template not adopted: the person has no face on this kiosk any more',
  implausible_for_person: 'live template not adopted: the face is too far from the person to be the same person',
  too_close_to_another_person: 'live template not adopted: too close to another person',
};

/**
 * The distance guards of adoption, given the candidate's nearest template of its own person and
 * of anyone else in the gallery now (null: none). A `live` candidate is measured at the distance
 * it was recognised at; a `manual` one at its distance to the person's nearest template now, which
 * must be under HOTELMATE_MATCH_DISTANCE. Either way everyone else must be farther than that
 * distance plus the margin. Pure (the recognition evaluation uses it too).
 */
export function distanceRefusal(
  candidate: Pick<LiveCandidate, 'source' | 'distance'>,
  nearest: { own: number | null; other: number | null },
  margin: number,
): 'implausible_for_person' | 'too_close_to_another_person' | null {
  const distance = candidate.source === 'manual' ? (nearest.own ?? Number.POSITIVE_INFINITY) : candidate.distance;
  if (candidate.source === 'manual' && !(distance < HOTELMATE_MATCH_DISTANCE)) return 'implausible_for_person';
  if (nearest.other !== null && nearest.other - distance < margin) return 'too_close_to_another_person';
  return null;
}

export interface LiveTemplates {
  /** A punch was saved from this recognition: keep its descriptor (on disk) if the recognition was confident. */
  candidate(eventId: string, match: FaceMatch): void;
  /**
   * A manager approved a punch without recognition for `staffId` with this face in view: keep it
   * (source `manual`) when the person already has templates here and the face was confirmed live.
   * Returns whether it was kept.
   */
  manualCandidate(eventId: string, staffId: number, face: FaceInView): boolean;
  /**
   * The punch's sync state changed: `synced` adopts the descriptor (when still safe), `needs_review`
   * and `cancelled` (undone) delete it, a punch still on its way keeps waiting. `serverAction` is
   * what HotelMate did with a synced punch.
   */
  settled(eventId: string, outcome: SyncState, serverAction?: string | null): SettleResult;
  /** Candidates waiting (tests, diagnostics). */
  pending(): number;
}

type StoreDeps = Pick<TemplateStore, 'match' | 'adoptLive' | 'list' | 'keepCandidate' | 'candidate' | 'dropCandidate' | 'candidateCount'>;

export function createLiveTemplates(deps: { store: StoreDeps; settings: () => Recognition; logger: Logger }): LiveTemplates {
  const log = deps.logger.child('live-templates');
  const enrolled = (staffId: number): boolean => deps.store.list().some((person) => person.staffId === staffId);
  const keep = (candidate: LiveCandidate): void => {
    const dropped = deps.store.keepCandidate(candidate, MAX_PENDING_CANDIDATES);
    if (dropped > 0) log.info('oldest live template candidates dropped to stay within the bound', { dropped, bound: MAX_PENDING_CANDIDATES });
  };

  /** The guards of adoption, at the moment of adoption (the gallery may have changed since the punch). */
  const refusal = (candidate: LiveCandidate): Refusal | null => {
    if (!enrolled(candidate.staffId)) return 'not_enrolled';
    const own = deps.store.match(candidate.descriptor, { only: candidate.staffId }).best?.distance ?? null;
    const other = deps.store.match(candidate.descriptor, { exclude: new Set([candidate.staffId]) }).best?.distance ?? null;
    return distanceRefusal(candidate, { own, other }, deps.settings().margin);
  };

  return {
    candidate(eventId, match) {
      if (!isConfidentRecognition(match, deps.settings())) return;
      keep({ eventId, staffId: match.staffId, distance: match.distance, source: 'live', descriptor: new Float32Array(match.liveDescriptor) });
    },
    manualCandidate(eventId, staffId, face) {
      // Someone unknown is offered "Enrol now" instead: a kiosk never enrols from one frame.
      if (!enrolled(staffId)) return false;
      if (face.liveness !== 'live') {
        log.info('manual punch face not kept as a live template candidate: liveness not confirmed', { staffId, liveness: face.liveness });
        return false;
      }
      const nearest = deps.store.match(face.descriptor, { only: staffId }).best;
      keep({ eventId, staffId, distance: nearest?.distance ?? Number.POSITIVE_INFINITY, source: 'manual', descriptor: new Float32Array(face.descriptor) });
      return true;
    },
    settled(eventId, outcome, serverAction = null) {
      if (outcome === 'pending' || outcome === 'sending') return { adopted: false, reason: 'still_on_its_way' };
      const candidate = deps.store.candidate(eventId);
      if (!candidate) return { adopted: false, reason: 'no_candidate' };
      let reason: Refusal | null;
      if (outcome === 'cancelled') reason = 'undone';
      else if (outcome === 'needs_review') reason = 'review';
      else if (candidate.source === 'manual' && takenWithoutFace(serverAction)) reason = 'taken_without_face';
      else reason = refusal(candidate);
      if (reason === null && !deps.store.adoptLive(candidate.staffId, candidate.descriptor)) reason = 'not_enrolled';
      deps.store.dropCandidate(eventId);
      if (reason === null) return { adopted: true };
      log.info(NOT_ADOPTED_LOG[reason], { staffId: candidate.staffId, source: candidate.source });
      return { adopted: false, reason };
    },
    pending: () => deps.store.candidateCount(),
  };
}
