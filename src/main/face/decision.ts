/**
 * The open-set decision rule for one face track: a name only after several consecutive agreeing
 * frames under a strict threshold with a margin over the next person; unknown faces are rejected;
 * "Not you?" is honoured for the rest of the track; and a name is withdrawn when the face on the
 * track stops matching (another known person, or nobody enrolled, for several frames). The face
 * service keeps one engine per track (face-track.ts), so nothing decided here outlives the face.
 */
import type { FaceVerdict, FaceMatch } from './face-types';
import { NOT_CHECKED } from './liveness-decision';
import type { MatchResult } from './matcher';

export interface DecisionConfig {
  /** Accept threshold (euclidean), stricter than HotelMate's 0.6. */
  threshold: number;
  /** Required gap between the best person and the second-best person. */
  margin: number;
  /** Consecutive agreeing good frames before a name is shown. */
  agreeFrames: number;
  /** Consecutive agreeing good frames before an unknown face is reported (default 2 x agreeFrames). */
  unknownFrames?: number;
  /** Consecutive poor-quality frames with a face before 'unknown: poor_quality' (default 30, about 3 s). */
  poorQualityFrames?: number;
  model?: string;
}

/** What one analysed frame of the track contributes. */
export type FrameEvidence =
  | { kind: 'poor_quality' }
  | { kind: 'face'; descriptor: Float32Array; match: MatchResult };

/** A vote of one good frame. */
export type Vote = { kind: 'person'; staffId: number } | { kind: 'unknown'; reason: 'not_enrolled' | 'ambiguous' };

export interface DecisionEngine {
  /**
   * Feeds one frame of the track; returns the verdict it completes, if any. After a name, a
   * verdict for another person or 'unknown: not_enrolled' means the face is no longer the person
   * named (the face service then ends the name's track).
   */
  step(evidence: FrameEvidence, at: number): FaceVerdict | null;
  /** "Not you?": withdraw the name; that person is not proposed again on this track. */
  rejectCurrent(): void;
  /** "Start again": forget what was decided on this track (a "Not you?" included) and decide afresh. */
  restart(): void;
  /** True while good frames are being gathered towards a new verdict. */
  checking(): boolean;
  /** True when the track has its verdict and nothing more will happen until the face leaves or the person starts again. */
  settled(): boolean;
}

/** Classifies one good frame against the threshold and margin. Pure. */
export function voteFor(match: MatchResult, config: Pick<DecisionConfig, 'threshold' | 'margin'>, rejected?: ReadonlySet<number>): Vote {
  const best = match.best;
  if (!best || best.distance > config.threshold) return { kind: 'unknown', reason: 'not_enrolled' };
  if (rejected?.has(best.staffId)) return { kind: 'unknown', reason: 'ambiguous' };
  if (match.second && match.second.distance - best.distance < config.margin) return { kind: 'unknown', reason: 'ambiguous' };
  return { kind: 'person', staffId: best.staffId };
}

/** Creates the decision state machine of one face track. */
export function createDecisionEngine(config: DecisionConfig): DecisionEngine {
  const unknownFrames = config.unknownFrames ?? config.agreeFrames * 2;
  const poorQualityFrames = config.poorQualityFrames ?? 30;
  const model = config.model ?? 'faceapi-128';

  let streakVote: Vote | null = null;
  let streakCount = 0;
  /** The frame of the streak closest to its template: its descriptor goes with the decision. */
  let streakBest: { descriptor: Float32Array; match: MatchResult } | null = null;
  let poor = 0;
  /** Key of the last verdict on this track ('person:12', 'unknown:ambiguous'...). */
  let decided: string | null = null;
  const rejected = new Set<number>();

  const clearStreak = (): void => {
    streakVote = null;
    streakCount = 0;
    streakBest = null;
  };

  return {
    step(evidence, at) {
      if (evidence.kind === 'poor_quality') {
        // Neither breaks nor extends the streak: a blink or a turn of the head costs nothing.
        poor += 1;
        if (poor === poorQualityFrames && decided === null) {
          decided = 'unknown:poor_quality';
          return { kind: 'unknown', reason: 'poor_quality', liveDescriptor: null, at };
        }
        return null;
      }
      poor = 0;
      const vote = voteFor(evidence.match, config, rejected);
      if (streakVote && sameVote(streakVote, vote)) streakCount += 1;
      else {
        clearStreak();
        streakVote = vote;
        streakCount = 1;
      }
      if (!streakBest || (evidence.match.best?.distance ?? Infinity) < (streakBest.match.best?.distance ?? Infinity)) {
        streakBest = { descriptor: evidence.descriptor, match: evidence.match };
      }
      const key = voteKey(vote);
      if (key === decided) return null;
      if (vote.kind === 'person') {
        if (streakCount < config.agreeFrames || !streakBest?.match.best) return null;
        decided = key;
        const best = streakBest.match.best;
        const match: FaceMatch = {
          staffId: vote.staffId,
          distance: best.distance,
          secondBestDistance: streakBest.match.second?.distance ?? null,
          model,
          liveDescriptor: Float32Array.from(streakBest.descriptor),
          // Liveness is judged over the track's frames by the face service (liveness-decision.ts).
          liveness: null,
          spoofSuspected: false,
          livenessCheck: NOT_CHECKED,
        };
        return { kind: 'recognised', match, at };
      }
      // After a name, "ambiguous" is a wobble (a lookalike came close): the name stays. A face
      // that matches nobody at all for unknownFrames frames is no longer the person named.
      if (decided?.startsWith('person:') && vote.reason === 'ambiguous') return null;
      if (streakCount < unknownFrames) return null;
      decided = key;
      return { kind: 'unknown', reason: vote.reason, liveDescriptor: Float32Array.from(evidence.descriptor), at };
    },
    rejectCurrent() {
      if (decided?.startsWith('person:')) rejected.add(Number(decided.slice('person:'.length)));
      decided = null;
      poor = 0;
      clearStreak();
    },
    restart() {
      rejected.clear();
      decided = null;
      poor = 0;
      clearStreak();
    },
    checking: () => {
      if (!streakVote || streakCount === 0) return false;
      const key = voteKey(streakVote);
      if (key === decided) return false;
      // After a name, "ambiguous" frames are not gathered towards anything (the name stays).
      return !(decided?.startsWith('person:') && streakVote.kind === 'unknown' && streakVote.reason === 'ambiguous');
    },
    settled: () => decided !== null,
  };
}

function sameVote(a: Vote, b: Vote): boolean {
  return voteKey(a) === voteKey(b);
}

function voteKey(vote: Vote): string {
  return vote.kind === 'person' ? `person:${vote.staffId}` : `unknown:${vote.reason}`;
}
