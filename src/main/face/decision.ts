/** The open-set decision rule: a name only after several consecutive agreeing frames under a strict threshold with a margin over the next person; unknown faces are rejected, and "Not you?" is honoured. */
import type { FaceDecision, FaceMatch } from './face-types';
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
  /** Consecutive frames without a main face before 'gone' (default 3). */
  goneFrames?: number;
  /** Consecutive poor-quality frames with a face before 'unknown: poor_quality' (default 30, about 3 s). */
  poorQualityFrames?: number;
  model?: string;
}

/** What one analysed frame contributes. */
export type FrameEvidence =
  | { kind: 'no_face' }
  | { kind: 'poor_quality' }
  | { kind: 'face'; descriptor: Float32Array; match: MatchResult; liveness: number | null; spoofSuspected: boolean };

/** A vote of one good frame. */
export type Vote = { kind: 'person'; staffId: number } | { kind: 'unknown'; reason: 'not_enrolled' | 'ambiguous' };

export interface DecisionEngine {
  /** Feeds one frame; returns the decision it completes, if any. */
  step(evidence: FrameEvidence, at: number): FaceDecision | null;
  /** "Not you?": withdraw the current recognition; that person is not proposed again until the face leaves. */
  rejectCurrent(): void;
  /** True while good frames are being gathered towards a new decision for the face in view. */
  checking(): boolean;
  reset(): void;
}

/** Classifies one good frame against the threshold and margin. Pure. */
export function voteFor(match: MatchResult, config: Pick<DecisionConfig, 'threshold' | 'margin'>, rejected?: ReadonlySet<number>): Vote {
  const best = match.best;
  if (!best || best.distance > config.threshold) return { kind: 'unknown', reason: 'not_enrolled' };
  if (rejected?.has(best.staffId)) return { kind: 'unknown', reason: 'ambiguous' };
  if (match.second && match.second.distance - best.distance < config.margin) return { kind: 'unknown', reason: 'ambiguous' };
  return { kind: 'person', staffId: best.staffId };
}

/** Creates the per-kiosk decision state machine (one face in view at a time). */
export function createDecisionEngine(config: DecisionConfig): DecisionEngine {
  const unknownFrames = config.unknownFrames ?? config.agreeFrames * 2;
  const goneFrames = config.goneFrames ?? 3;
  const poorQualityFrames = config.poorQualityFrames ?? 30;
  const model = config.model ?? 'faceapi-128';

  let streakVote: Vote | null = null;
  let streakCount = 0;
  /** The frame of the streak closest to its template: its descriptor goes with the decision. */
  let streakBest: { descriptor: Float32Array; match: MatchResult; liveness: number | null; spoofSuspected: boolean } | null = null;
  let spoofVotes = 0;
  let absent = 0;
  let poor = 0;
  let present = false;
  /** Key of the last decision emitted for the face in view ('person:12', 'unknown:ambiguous'...). */
  let decided: string | null = null;
  const rejected = new Set<number>();

  const clearStreak = (): void => {
    streakVote = null;
    streakCount = 0;
    streakBest = null;
    spoofVotes = 0;
  };

  const reset = (): void => {
    clearStreak();
    absent = 0;
    poor = 0;
    present = false;
    decided = null;
    rejected.clear();
  };

  return {
    step(evidence, at) {
      if (evidence.kind === 'no_face') {
        absent += 1;
        poor = 0;
        if (absent >= goneFrames) {
          clearStreak();
          rejected.clear();
          if (present) {
            present = false;
            decided = null;
            return { kind: 'gone', at };
          }
        }
        return null;
      }
      absent = 0;
      present = true;
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
      if (evidence.spoofSuspected) spoofVotes += 1;
      if (!streakBest || (evidence.match.best?.distance ?? Infinity) < (streakBest.match.best?.distance ?? Infinity)) {
        streakBest = { descriptor: evidence.descriptor, match: evidence.match, liveness: evidence.liveness, spoofSuspected: evidence.spoofSuspected };
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
          liveness: streakBest.liveness,
          // Soft signal: a majority of the agreeing frames looked like a presentation attack.
          spoofSuspected: spoofVotes * 2 > streakCount,
        };
        return { kind: 'recognised', match, at };
      }
      // Once someone is recognised, a wobble towards "unknown" does not withdraw the name.
      if (decided?.startsWith('person:')) return null;
      if (streakCount < unknownFrames) return null;
      decided = key;
      return { kind: 'unknown', reason: vote.reason, liveDescriptor: Float32Array.from(evidence.descriptor), at };
    },
    rejectCurrent() {
      if (decided?.startsWith('person:')) rejected.add(Number(decided.slice('person:'.length)));
      decided = null;
      clearStreak();
    },
    checking: () => {
      if (!present || !streakVote || streakCount === 0) return false;
      const key = voteKey(streakVote);
      if (key === decided) return false;
      // After a name, "unknown" frames are not gathered towards anything (the name stays).
      return !(decided?.startsWith('person:') && streakVote.kind === 'unknown');
    },
    reset,
  };
}

function sameVote(a: Vote, b: Vote): boolean {
  return voteKey(a) === voteKey(b);
}

function voteKey(vote: Vote): string {
  return vote.kind === 'person' ? `person:${vote.staffId}` : `unknown:${vote.reason}`;
}
