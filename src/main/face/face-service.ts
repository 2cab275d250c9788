/** The FaceService: feeds camera frames to the analyser (dropping, never queueing, when it is busy), follows the main face as a track, turns analyses into on-screen observations and open-set decisions bound to that track (a name only once the track's frames show a live face, or after a head-turn challenge), and owns the template store and enrolment. */
import { createLiveTemplates, type LiveTemplates } from './live-templates';
import type { FaceBox, FaceObservation } from '../../shared/domain/types';
import type { KioskConfig } from '../../shared/config/schema';
import type { CameraFrame } from '../camera/camera-service';
import type { Clock } from '../lib/clock';
import { assertNever } from '../lib/assert-never';
import { createEmitter, type Subscribe } from '../lib/emitter';
import type { FaceDecision, FaceInView, FaceStats, FaceVerdict, InViewLiveness, TrackEndReason } from './face-types';
import type { WritableDB } from '../db/database';
import type { Logger } from '../logging/logger';
import { toLogFormat } from '../logging/logger';
import type { SecretStore } from '../secrets/secret-store';
import { isSpoofSuspected } from './anti-spoof';
import { createDecisionEngine, voteFor, type DecisionEngine, type FrameEvidence } from './decision';
import { createFaceTracker, DEFAULT_TRACKER_CONFIG, type FaceTrackerConfig } from './face-track';
import { createEnrolment, type EnrolmentService, type OnEnrolled } from './enrolment';
import { cropAroundFace, type RgbImage } from './jpeg';
import {
  chooseAction,
  createTurnChallenge,
  DEFAULT_CHALLENGE_LIMITS,
  faceAspect,
  type ChallengeFrame,
  type ChallengeLimits,
  type ChallengeState,
  type TurnChallenge,
} from './liveness-challenge';
import {
  createTrackLiveness,
  flaggedAfterChallenge,
  livenessCheck,
  livenessStep,
  median,
  type LivenessCheck,
  type LivenessSample,
  type PassiveVerdict,
  type TrackLiveness,
} from './liveness-decision';
import type { FaceAnalysis, NormalisedBox, RgbFrame } from './pipeline/types';
import { assessFrame } from './quality-guidance';
import { createTemplateStore, type TemplateStore } from './template-store';

/** Anything that analyses a frame: the worker client in production, the in-process pipeline in tests. */
export interface FaceAnalyser {
  /**
   * Resolves the analysis, or null when the analyser is busy and dropped the frame. May take
   * ownership of (detach) frame.rgb, as the worker client does when it transfers frames.
   */
  analyse(frame: RgbFrame): Promise<FaceAnalysis | null>;
  /** The worker client's counters (restarts feed FaceStats.workerRestarts), when it has them. */
  stats?(): { restarts: number };
}

export type RecognitionConfig = KioskConfig['recognition'];

export interface FaceServiceOptions {
  analyser: FaceAnalyser;
  db: WritableDB;
  secrets: SecretStore;
  /** The kiosk config, or a getter for the live one (threshold changes apply to the next frame). */
  config: Pick<KioskConfig, 'recognition'> | (() => Pick<KioskConfig, 'recognition'>);
  logger: Logger;
  clock: Clock;
  /** Registers an enrolled face with HotelMate (the HotelMate client and its offline queue). */
  onEnrolled?: OnEnrolled;
  /** Display names for the admin's enrolled list. */
  nameOf?: (staffId: number) => string | null;
  /** Chooses the challenge's direction (Math.random unless a test needs a known one). */
  random?: () => number;
  /** Head-turn challenge tuning (DEFAULT_CHALLENGE_LIMITS unless a test changes it). */
  challenge?: Partial<ChallengeLimits>;
  /** Enrolment tuning (captures needed, timeout...), mostly for tests. */
  enrolment?: { needed?: number; timeoutMs?: number; minIntervalMs?: number };
  /** Face tracking tuning (DEFAULT_TRACKER_CONFIG unless a test or bench changes it). */
  tracker?: Partial<FaceTrackerConfig>;
}

/** The face capability: analyses camera frames, decides who is in view, owns templates and enrolment. */
export interface FaceService {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Offer a frame; dropped (not queued) when the worker is busy. */
  submit(frame: CameraFrame): void;
  /**
   * "Not you?" for the recognition made on `trackId`: the person named is not proposed again for
   * as long as this face stays in view (a new face, or the same person coming back, starts afresh).
   * Returns false when that track is no longer the face in view (nothing to do).
   */
  rejectTrack(trackId: number): boolean;
  /** "Start again": the face in view is decided afresh (a "Not you?" on it included). */
  startAgain(): void;
  /**
   * True when the track is the face in view now (seen within the tracker's `presentMs`) and is
   * still recognised as this person: what a punch made with the track's recognition requires.
   */
  isInView(trackId: number, staffId: number): boolean;
  /**
   * Waits until isInView can be answered from a fresh frame, for a machine whose face analysis lags
   * behind the camera (a busy CPU analyses a frame a second or less, so a person standing still can
   * go unseen for longer than `presentMs`). Resolves at once when the track was seen within
   * `presentMs`, when a frame analysed since it was last seen did not show it (it left or was
   * replaced), or when it is not the current track; otherwise after the next analysed frame, or after
   * `maxWaitMs` without one (a stalled camera: isInView then says no).
   */
  awaitFreshView(trackId: number, maxWaitMs: number): Promise<void>;
  /**
   * The live descriptor of the face in view now (its latest matchable frame, seen within the
   * tracker's `presentMs`), recognised or not, with its liveness verdict (see InViewLiveness: the
   * passive median over the face's own frames, `in_doubt` once a liveness check failed on it,
   * `not_checked` with liveness off or no anti-spoof models); null when no face is in view. For a
   * punch a manager approves without recognition: HotelMate can still check that face. Stays in main.
   */
  liveDescriptorInView(): FaceInView | null;
  /**
   * The face of the track's latest frame, cropped (for a punch's audit snapshot), while the track
   * is named and `recognition.auditSnapshots` is on; null otherwise.
   */
  snapshotOf(trackId: number): RgbImage | null;
  onObservation: Subscribe<FaceObservation>;
  onDecision: Subscribe<FaceDecision>;
  stats(): FaceStats;
  templates: TemplateStore;
  /** Live templates of confident recognitions, adopted once their punch synced (live-templates.ts). */
  liveTemplates: LiveTemplates;
  enrolment: EnrolmentService;
  /** Resolves when the frame in flight (if any) has been fully handled. */
  idle(): Promise<void>;
}

const STATS_WINDOW = 60;
const FPS_WINDOW_MS = 5000;
/** Poses of the track's latest frames kept for a challenge that starts (its cue needs a steady face). */
const RECENT_POSES = DEFAULT_CHALLENGE_LIMITS.steadyFrames;
/**
 * After a head-turn challenge, a frame turned this far from the pose at the cue that does not match
 * the person is a turned head, not somebody else: it neither keeps nor withdraws the name.
 */
const TURNED_AWAY_DEG = 10;
/** The audit snapshot: the face and a little around it. */
const SNAPSHOT_CROP_SCALE = 1.6;

/** One analysed frame of the main face, as its track uses it. */
interface TrackFrame {
  /** What it contributes to the track's decision. */
  evidence: FrameEvidence;
  /** Its passive score, quality and match, for the track's liveness verdict; null without a usable face. */
  sample: LivenessSample | null;
  /** What a head-turn challenge reads from it. */
  pose: ChallengeFrame;
}

type Recognised = Extract<FaceVerdict, { kind: 'recognised' }>;

/** A head-turn challenge running on a track: the recognition it holds back and what the passive model said. */
interface RunningChallenge {
  check: TurnChallenge;
  recognition: Recognised;
  verdict: PassiveVerdict;
  attempt: number;
  /** Set once the cue was sent (the yaw it is measured from). */
  baselineYawDeg: number | null;
}

/** The face in view: its track, the track's own decision engine, who it is named for, and its liveness state. */
interface CurrentTrack {
  trackId: number;
  engine: DecisionEngine;
  named: number | null;
  liveness: TrackLiveness;
  /** Poses of the latest frames. */
  recent: ChallengeFrame[];
  /** A recognition held back until the passive verdict has enough frames. */
  waiting: Recognised | null;
  challenge: RunningChallenge | null;
  /** Challenges asked on this track so far. */
  attempts: number;
  /** Liveness failures of this track so far (the screen offers the manager from the second). */
  failures: number;
  /** After a passed challenge: the yaw at its cue (see TURNED_AWAY_DEG). */
  turnBaselineDeg: number | null;
  /** The face of the latest frame while named, for the punch's audit snapshot. */
  snapshot: RgbImage | null;
}

/**
 * Creates the face service. Opening it loads and decrypts every template (see createTemplateStore:
 * throws when templates exist but their key is missing). Analyser failures are logged and the frame
 * is skipped; they never reject out of submit().
 */
export function createFaceService(options: FaceServiceOptions): FaceService {
  const { analyser, clock } = options;
  const log = options.logger.child('face');
  const recognition = (): RecognitionConfig => (typeof options.config === 'function' ? options.config() : options.config).recognition;
  const random = options.random ?? Math.random;
  const challengeLimits: ChallengeLimits = { ...DEFAULT_CHALLENGE_LIMITS, ...options.challenge };

  const templates = createTemplateStore({ db: options.db, secrets: options.secrets, logger: options.logger, clock, nameOf: options.nameOf });
  const enrolment = createEnrolment({
    store: templates,
    logger: options.logger,
    clock,
    threshold: () => recognition().threshold,
    onEnrolled: options.onEnrolled,
    ...options.enrolment,
  });

  const liveTemplates = createLiveTemplates({ store: templates, settings: () => recognition(), logger: options.logger });

  const observations = createEmitter<FaceObservation>('face observation', log);
  const decisionEvents = createEmitter<FaceDecision>('face decision', log);

  const trackerConfig: FaceTrackerConfig = { ...DEFAULT_TRACKER_CONFIG, ...options.tracker };
  const tracker = createFaceTracker(trackerConfig);
  /** The face in view; everything decided about it (a name, a challenge) ends with its track. */
  let current: CurrentTrack | null = null;
  /** The frames the tracker reported as pending: they belong to the next track if it starts. */
  let pendingFrames: TrackFrame[] = [];
  /** The latest matchable descriptor of the main face, with when it was seen (monotonic). */
  let lastLive: { descriptor: Float32Array; at: number } | null = null;
  let engineKey = settingsKey(recognition());
  let started = false;
  let inFlight: Promise<void> | null = null;
  let dropped = 0;
  let decisions = 0;
  const recentTimings: Record<string, number>[] = [];
  const analysedAt: number[] = [];

  function makeEngine(): DecisionEngine {
    const r = recognition();
    return createDecisionEngine({ threshold: r.threshold, margin: r.margin, agreeFrames: r.agreeFrames });
  }

  function newTrack(trackId: number): CurrentTrack {
    return { trackId, engine: makeEngine(), named: null, liveness: createTrackLiveness(), recent: [], waiting: null, challenge: null, attempts: 0, failures: 0, turnBaselineDeg: null, snapshot: null };
  }

  /** True while the track's recognition is held back (waiting for frames, or in a challenge). */
  const livenessBusy = (track: CurrentTrack | null): boolean => track !== null && (track.waiting !== null || track.challenge !== null);

  const handle = async (frame: CameraFrame, analysis: FaceAnalysis): Promise<void> => {
    const now = clock.monotonicMs();
    analysedAt.push(now);
    while (analysedAt.length > 0 && now - analysedAt[0] > FPS_WINDOW_MS) analysedAt.shift();
    const timings: Record<string, number> = { ...analysis.timings };

    const image = { rgb: frame.rgb, width: frame.width, height: frame.height };
    const assessment = assessFrame(analysis);
    let guidance = assessment.guidance;
    const hasMain = analysis.mainIndex >= 0 && analysis.faces[analysis.mainIndex] !== undefined;

    if (enrolment.active()) {
      enrolment.offer(analysis, image);
      record(timings);
      observations.emit(observation(frame.seq, analysis, guidance, false));
      return;
    }

    const settings = recognition();
    const key = settingsKey(settings);
    if (key !== engineKey) {
      log.info('recognition settings changed; decisions start afresh', { threshold: settings.threshold, margin: settings.margin, agreeFrames: settings.agreeFrames });
      engineKey = key;
      if (current) current.engine = makeEngine();
    }

    // What the main face contributes to its track (null: no main face in this frame).
    let trackFrame: TrackFrame | null = null;
    if (hasMain) {
      const score = settings.liveness === 'off' ? null : analysis.liveness;
      let evidence: FrameEvidence = { kind: 'poor_quality' };
      let staffId: number | null = null;
      if (assessment.matchable && analysis.descriptor) {
        const t0 = performance.now();
        const match = templates.match(analysis.descriptor);
        timings.match = performance.now() - t0;
        const vote = voteFor(match, settings);
        staffId = vote.kind === 'person' ? vote.staffId : null;
        // A frame still being guided counts when it names someone; a miss there means "keep trying", not "unknown".
        if (guidance === 'ok' || vote.kind === 'person') evidence = { kind: 'face', descriptor: analysis.descriptor, match };
        // A low liveness score first asks the person to come closer, which defeats most small recaptures.
        if (isSpoofSuspected(score?.real ?? null)) guidance = 'move_closer';
      }
      // The face in view for a punch a manager approves without recognition (never a suspected photo).
      if (assessment.matchable && analysis.descriptor && !isSpoofSuspected(score?.real ?? null)) lastLive = { descriptor: analysis.descriptor, at: clock.monotonicMs() };
      const pose = analysis.quality && analysis.landmarks ? { yawDeg: analysis.quality.yawDeg, aspect: faceAspect(analysis.landmarks) } : null;
      trackFrame = {
        evidence,
        sample: analysis.quality ? { staffId, quality: analysis.quality, score } : null,
        pose: { at: clock.monotonicMs(), pose, staffId },
      };
    }
    record(timings);
    const main = hasMain ? analysis.faces[analysis.mainIndex] : undefined;
    const out = track(main && trackFrame ? { box: main.box, descriptor: analysis.descriptor, frame: trackFrame } : null, clock.monotonicMs(), clock.now().getTime());
    if (main && current && current.named !== null) keepSnapshot(current, image, main.box, settings.auditSnapshots);
    // While a challenge waits for a steady face, the person is asked to hold still.
    if (current?.challenge?.check.state().phase === 'settling') guidance = 'hold_still';
    const busy = livenessBusy(current);
    observations.emit(observation(frame.seq, analysis, guidance, (current?.engine.checking() ?? false) || busy, (current?.engine.settled() ?? false) && !busy));
    for (const decision of out) {
      decisions += 1;
      logDecision(decision);
      decisionEvents.emit(decision);
    }
  };

  const logDecision = (decision: FaceDecision): void => {
    switch (decision.kind) {
      case 'recognised': {
        const { match } = decision;
        return log.info('face recognised', {
          trackId: decision.trackId,
          staffId: match.staffId,
          distance: round(match.distance),
          second: match.secondBestDistance === null ? null : round(match.secondBestDistance),
          liveness: { mode: match.livenessCheck?.mode ?? 'off', verdict: match.livenessCheck?.verdict ?? 'not_checked', real: match.liveness === null ? null : round(match.liveness), challenge: match.livenessCheck?.challenge?.action ?? null },
          spoofSuspected: match.spoofSuspected,
        });
      }
      case 'unknown':
        return log.info('face not recognised', { trackId: decision.trackId, reason: decision.reason });
      case 'gone':
        return log.info('face track ended', { trackId: decision.trackId, reason: decision.reason });
      case 'challenge':
        return log.info('liveness challenge asked', { trackId: decision.trackId, action: decision.action, attempt: decision.attempt });
      case 'liveness_failed':
        return log.warn('liveness not confirmed: no name, no punch', { trackId: decision.trackId, reason: decision.reason, failures: decision.failures });
      default:
        return assertNever(decision, 'face decision');
    }
  };

  /** Keeps the named face of this frame for a punch's audit snapshot (when they are on and the pixels are still here). */
  const keepSnapshot = (track: CurrentTrack, image: RgbImage, box: NormalisedBox, enabled: boolean): void => {
    if (!enabled) {
      track.snapshot = null;
      return;
    }
    if (image.rgb.length === image.width * image.height * 3) track.snapshot = cropAroundFace(image, box, SNAPSHOT_CROP_SCALE);
  };

  /**
   * Moves the tracker on by one frame (the main face and its evidence, or null) and feeds the
   * evidence to the engine of the track it belongs to. Returns the decisions, in order: a track
   * that ended comes before anything decided about the next one.
   */
  const track = (face: { box: NormalisedBox; descriptor: Float32Array | null; frame: TrackFrame } | null, at: number, wallAt: number): FaceDecision[] => {
    const out: FaceDecision[] = [];
    const step = tracker.observe(face, at);
    if (step.ended) {
      out.push(gone(step.ended.track.id, step.ended.reason, wallAt));
      if (current?.trackId === step.ended.track.id) current = null;
    }
    if (!face) {
      pendingFrames = [];
      return out;
    }
    switch (step.face) {
      case 'pending':
        pendingFrames.push(face.frame);
        if (pendingFrames.length > trackerConfig.confirmFrames) pendingFrames.shift();
        return out;
      case 'started': {
        if (!step.track) return out;
        current = newTrack(step.track.id);
        const frames = [...pendingFrames.slice(pendingFrames.length - step.carried), face.frame];
        pendingFrames = [];
        for (const frame of frames) out.push(...feed(frame, at, wallAt));
        return out;
      }
      case 'continued':
        pendingFrames = [];
        return feed(face.frame, at, wallAt);
      case 'none':
        return out;
      default:
        return assertNever(step.face, 'track step');
    }
  };

  /**
   * One frame to the current track: its liveness sample, then the running challenge (which holds
   * the decision engine back) or the engine. Ends the track's name when the face stopped matching it.
   */
  const feed = (frame: TrackFrame, at: number, wallAt: number): FaceDecision[] => {
    const track = current;
    if (!track) return [];
    if (frame.sample) track.liveness.add(frame.sample);
    track.recent.push(frame.pose);
    if (track.recent.length > RECENT_POSES) track.recent.shift();
    if (track.challenge) return advanceChallenge(track, track.challenge.check.step(frame.pose), wallAt);
    const verdict: FaceVerdict | null = track.engine.step(afterChallenge(track, frame), wallAt);
    if (!verdict) return track.waiting ? gate(track, track.waiting, at, wallAt) : [];
    track.waiting = null;
    const out: FaceDecision[] = [];
    if (track.named !== null && !(verdict.kind === 'recognised' && verdict.match.staffId === track.named)) {
      // The face on this track is not the person it was named for (a lookalike stepped in without
      // the tracker noticing): end that name's track and go on with the face under a new one.
      const renewed = tracker.renew(at);
      if (renewed) {
        out.push(gone(renewed.ended.id, 'replaced', wallAt));
        Object.assign(track, { ...newTrack(renewed.track.id), engine: track.engine, liveness: track.liveness, recent: track.recent });
      }
    }
    track.named = null;
    if (verdict.kind === 'recognised') out.push(...gate(track, verdict, at, wallAt));
    else out.push({ ...verdict, trackId: track.trackId });
    return out;
  };

  /** After a passed challenge, a miss on a head still turned away is not someone else (see TURNED_AWAY_DEG). */
  const afterChallenge = (track: CurrentTrack, frame: TrackFrame): FrameEvidence => {
    const yaw = frame.pose.pose?.yawDeg;
    if (track.turnBaselineDeg === null || yaw === undefined || frame.pose.staffId === track.named) return frame.evidence;
    return Math.abs(yaw - track.turnBaselineDeg) >= TURNED_AWAY_DEG ? { kind: 'poor_quality' } : frame.evidence;
  };

  /** A recognition through the liveness policy of the configured mode: named, held back, challenged or refused. */
  const gate = (track: CurrentTrack, verdict: Recognised, at: number, wallAt: number): FaceDecision[] => {
    const mode = recognition().liveness;
    const passive = track.liveness.verdictFor(verdict.match.staffId);
    const step = livenessStep(mode, passive);
    track.waiting = step.kind === 'wait' ? verdict : null;
    switch (step.kind) {
      case 'wait':
        return [];
      case 'accept':
        return [name(track, verdict, passive, livenessCheck(mode, passive, step.flagged), wallAt)];
      case 'refuse':
        track.failures += 1;
        return [{ kind: 'liveness_failed', trackId: track.trackId, reason: 'spoof', failures: track.failures, at: wallAt }];
      case 'challenge': {
        track.attempts += 1;
        const check = createTurnChallenge({ action: chooseAction(random), staffId: verdict.match.staffId, startedAt: at, recent: track.recent, limits: challengeLimits });
        track.challenge = { check, recognition: verdict, verdict: passive, attempt: track.attempts, baselineYawDeg: null };
        return advanceChallenge(track, check.state(), wallAt);
      }
      default:
        return assertNever(step, 'liveness step');
    }
  };

  /** What the running challenge's state means for the screen: the cue once, then the name or the failure. */
  const advanceChallenge = (track: CurrentTrack, state: ChallengeState, wallAt: number): FaceDecision[] => {
    const running = track.challenge;
    if (!running) return [];
    switch (state.phase) {
      case 'settling':
        return [];
      case 'asked':
        if (running.baselineYawDeg !== null) return [];
        running.baselineYawDeg = state.baselineYawDeg;
        return [{ kind: 'challenge', trackId: track.trackId, action: running.check.action, attempt: running.attempt, timeoutMs: challengeLimits.windowMs, at: wallAt }];
      case 'passed': {
        track.challenge = null;
        track.turnBaselineDeg = running.baselineYawDeg;
        const challenge = { action: running.check.action, attempt: running.attempt, turnDeg: state.turnDeg };
        const check = livenessCheck(recognition().liveness, running.verdict, flaggedAfterChallenge(running.verdict), challenge);
        return [name(track, running.recognition, running.verdict, check, wallAt)];
      }
      case 'failed':
        track.challenge = null;
        track.failures += 1;
        return [{ kind: 'liveness_failed', trackId: track.trackId, reason: state.reason, failures: track.failures, at: wallAt }];
      default:
        return assertNever(state, 'challenge state');
    }
  };

  /** Names the track's person: the recognition with its liveness evidence. */
  const name = (track: CurrentTrack, verdict: Recognised, passive: PassiveVerdict, check: LivenessCheck, wallAt: number): FaceDecision => {
    track.named = verdict.match.staffId;
    const liveness = 'evidence' in passive && check.mode !== 'off' ? passive.evidence.real : null;
    return { ...verdict, match: { ...verdict.match, liveness, spoofSuspected: check.flagged, livenessCheck: check }, at: wallAt, trackId: track.trackId };
  };

  /** The liveness verdict of the face in view (liveDescriptorInView). */
  const inViewLiveness = (): InViewLiveness => {
    if (recognition().liveness === 'off') return 'not_checked';
    if (!current || tracker.current()?.id !== current.trackId || current.failures > 0) return 'in_doubt';
    const passive = current.liveness.verdictOfFace();
    return passive.kind === 'live' ? 'live' : passive.kind === 'unscored' ? 'not_checked' : 'in_doubt';
  };

  const record = (timings: Record<string, number>): void => {
    recentTimings.push(timings);
    if (recentTimings.length > STATS_WINDOW) recentTimings.shift();
  };

  return {
    templates,
    liveTemplates,
    enrolment,
    async start() {
      started = true;
      log.info('face service started', { templates: templates.count(), liveness: recognition().liveness });
    },
    async stop() {
      started = false;
      if (inFlight) await inFlight;
      tracker.reset();
      current = null;
      lastLive = null;
      pendingFrames = [];
      log.info('face service stopped');
    },
    submit(frame) {
      if (!started) return;
      if (inFlight) {
        dropped += 1;
        return;
      }
      inFlight = (async () => {
        try {
          // The worker client may transfer (detach) the pixels; keep a copy when this frame's pixels
          // are needed afterwards (the enrolment photo, the audit snapshot of a named face).
          const keepPixels = enrolment.active() || (recognition().auditSnapshots && current !== null && current.named !== null);
          const pixels = keepPixels ? frame.rgb.slice() : frame.rgb;
          const analysis = await analyser.analyse({ rgb: frame.rgb, width: frame.width, height: frame.height });
          if (!analysis) {
            dropped += 1;
            return;
          }
          if (started) await handle({ ...frame, rgb: pixels }, analysis);
        } catch (error) {
          log.warn('face analysis failed; frame skipped', { frameSeq: frame.seq, error: toLogFormat(error) });
        } finally {
          inFlight = null;
        }
      })();
    },
    rejectTrack(trackId) {
      if (current?.trackId !== trackId) return false;
      current.engine.rejectCurrent();
      current.named = null;
      current.waiting = null;
      current.challenge = null;
      log.info('recognition rejected on the face in view ("Not you?")', { trackId });
      return true;
    },
    startAgain() {
      if (!current) return;
      current.engine.restart();
      // A new decision, and a new challenge if one is needed; the failures so far stay with the face.
      current.named = null;
      current.waiting = null;
      current.challenge = null;
      log.info('the face in view is decided afresh ("Start again")', { trackId: current.trackId });
    },
    isInView(trackId, staffId) {
      const track = tracker.current();
      if (!current || !track || current.trackId !== trackId || track.id !== trackId || current.named !== staffId) return false;
      return clock.monotonicMs() - track.lastSeenAt <= trackerConfig.presentMs;
    },
    awaitFreshView(trackId, maxWaitMs) {
      const track = tracker.current();
      if (!track || track.id !== trackId) return Promise.resolve();
      if (clock.monotonicMs() - track.lastSeenAt <= trackerConfig.presentMs) return Promise.resolve();
      // A frame analysed after the face was last seen answers the question already (it did not show it).
      if ((analysedAt.at(-1) ?? Number.NEGATIVE_INFINITY) > track.lastSeenAt) return Promise.resolve();
      return new Promise((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          unsubscribe();
          resolve();
        };
        const timer = setTimeout(done, maxWaitMs);
        const unsubscribe = observations.subscribe(done);
      });
    },
    liveDescriptorInView() {
      if (!lastLive || !tracker.current() || clock.monotonicMs() - lastLive.at > trackerConfig.presentMs) return null;
      return { descriptor: new Float32Array(lastLive.descriptor), liveness: inViewLiveness() };
    },
    snapshotOf(trackId) {
      return current?.trackId === trackId && current.named !== null ? current.snapshot : null;
    },
    onObservation: observations.subscribe,
    onDecision: decisionEvents.subscribe,
    stats(): FaceStats {
      const span = analysedAt.length > 1 ? analysedAt[analysedAt.length - 1] - analysedAt[0] : 0;
      const stageMs: Record<string, number> = {};
      const stages = new Set(recentTimings.flatMap((t) => Object.keys(t)));
      for (const stage of stages) {
        const values = recentTimings.map((t) => t[stage]).filter((v): v is number => typeof v === 'number');
        stageMs[stage] = values.length > 0 ? round(median(values)) : 0;
      }
      return {
        analysedFps: span > 0 ? round(((analysedAt.length - 1) * 1000) / span) : 0,
        stageMs,
        decisions,
        workerRestarts: analyser.stats?.().restarts ?? 0,
        droppedFrames: dropped,
      };
    },
    idle: async () => {
      if (inFlight) await inFlight;
      await enrolment.settled();
    },
  };
}

/** The observation the screen gets: normalised boxes, the main face first. Pure. */
export function observation(frameSeq: number, analysis: FaceAnalysis, guidance: FaceObservation['guidance'], checking: boolean, settled = false): FaceObservation {
  const boxes: FaceBox[] = [];
  const main = analysis.mainIndex >= 0 ? analysis.faces[analysis.mainIndex] : undefined;
  if (main) boxes.push(toBox(main.box));
  analysis.faces.forEach((face, index) => {
    if (index !== analysis.mainIndex) boxes.push(toBox(face.box));
  });
  return { frameSeq, faces: boxes, hasMainFace: main !== undefined, guidance, checking, settled };
}

function toBox(box: FaceBox): FaceBox {
  const clamp = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);
  const x = clamp(box.x);
  const y = clamp(box.y);
  return { x, y, width: clamp(box.x + box.width) - x, height: clamp(box.y + box.height) - y };
}

function gone(trackId: number, reason: TrackEndReason, at: number): FaceDecision {
  return { kind: 'gone', trackId, reason, at };
}

/** Decisions start afresh when one of these settings changes. */
function settingsKey(r: RecognitionConfig): string {
  return `${r.threshold}|${r.margin}|${r.agreeFrames}`;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
