/**
 * Templates that follow the person: after a confident recognition whose punch then reached
 * HotelMate without HotelMate naming someone else, the live descriptor of that recognition becomes
 * one of the person's templates (at most MAX_LIVE_TEMPLATES, the oldest replaced), so a haircut,
 * glasses or the seasons do not lock them out. Guarded against drift: only recognitions well inside
 * the threshold with the margin held and liveness not in doubt (the decision itself already needed
 * several agreeing frames), never a punch that went to review, never a descriptor that is closer to
 * another person than the margin at the moment of adoption, never for someone removed meanwhile.
 */
import type { KioskConfig } from '../../shared/config/schema';
import type { SyncState } from '../../shared/domain/ledger';
import type { Logger } from '../logging/logger';
import type { FaceMatch } from './face-types';
import type { TemplateStore } from './template-store';

/** A recognition counts as confident when its distance is at most this share of the threshold. */
export const CONFIDENT_SHARE_OF_THRESHOLD = 0.8;
/** Candidates waiting for their punch to sync (memory only; a restart forgets them, nothing is adopted). */
export const MAX_PENDING_CANDIDATES = 200;

type Recognition = Pick<KioskConfig['recognition'], 'threshold' | 'margin'>;

/** Whether a recognition is confident enough for its live descriptor to be kept. Pure. */
export function isConfidentRecognition(match: FaceMatch, settings: Recognition): boolean {
  if (match.spoofSuspected) return false;
  if (match.distance > settings.threshold * CONFIDENT_SHARE_OF_THRESHOLD) return false;
  return match.secondBestDistance === null || match.secondBestDistance - match.distance >= settings.margin;
}

export interface LiveTemplates {
  /** A punch was saved from this recognition: remember its descriptor if the recognition was confident. */
  candidate(eventId: string, match: FaceMatch): void;
  /**
   * The punch's sync state changed: `synced` adopts the descriptor (when still safe), `needs_review`
   * forgets it, a punch still on its way keeps waiting. Returns whether a template was adopted.
   */
  settled(eventId: string, outcome: SyncState): boolean;
  /** Candidates waiting (tests, diagnostics). */
  pending(): number;
}

export function createLiveTemplates(deps: { store: Pick<TemplateStore, 'match' | 'adoptLive'>; settings: () => Recognition; logger: Logger }): LiveTemplates {
  const log = deps.logger.child('live-templates');
  const waiting = new Map<string, { staffId: number; distance: number; descriptor: Float32Array }>();

  return {
    candidate(eventId, match) {
      if (!isConfidentRecognition(match, deps.settings())) return;
      waiting.set(eventId, { staffId: match.staffId, distance: match.distance, descriptor: new Float32Array(match.liveDescriptor) });
      // Oldest first out (a Map keeps insertion order).
      while (waiting.size > MAX_PENDING_CANDIDATES) waiting.delete(waiting.keys().next().value as string);
    },
    settled(eventId, outcome) {
      const candidate = waiting.get(eventId);
      if (!candidate || outcome === 'pending' || outcome === 'sending') return false;
      waiting.delete(eventId);
      if (outcome !== 'synced') {
        log.info(outcome === 'cancelled' ? 'live template not adopted: the punch was undone' : 'live template not adopted: the punch went to review', { staffId: candidate.staffId });
        return false;
      }
      // The gallery may have changed since the punch (new people enrolled, templates adopted).
      const others = deps.store.match(candidate.descriptor, { exclude: new Set([candidate.staffId]) }).best;
      if (others && others.distance - candidate.distance < deps.settings().margin) {
        log.info('live template not adopted: too close to another person', { staffId: candidate.staffId });
        return false;
      }
      return deps.store.adoptLive(candidate.staffId, candidate.descriptor);
    },
    pending: () => waiting.size,
  };
}
