/** The FaceService: feeds camera frames to the analyser (dropping, never queueing, when it is busy), follows the main face as a track, turns analyses into on-screen observations and open-set decisions bound to that track, and owns the template store and enrolment. */
import { createLiveTemplates, type LiveTemplates } from './live-templates';
import type { FaceBox, FaceObservation } from '../../shared/domain/types';
import type { KioskConfig } from '../../shared/config/schema';
import type { CameraFrame } from '../camera/camera-service';
import type { Clock } from '../lib/clock';
import { assertNever } from '../lib/assert-never';
import { createEmitter, type Subscribe } from '../lib/emitter';
import type { FaceDecision, FaceStats, FaceVerdict, TrackEndReason } from './face-types';
import type { WritableDB } from '../db/database';
import type { Logger } from '../logging/logger';
import { toLogFormat } from '../logging/logger';
import type { SecretStore } from '../secrets/secret-store';
import { isSpoofSuspected, passiveAntiSpoof, type AntiSpoof } from './anti-spoof';
import { createDecisionEngine, voteFor, type DecisionEngine, type FrameEvidence } from './decision';
import { createFaceTracker, DEFAULT_TRACKER_CONFIG, type FaceTrackerConfig } from './face-track';
import { createEnrolment, type EnrolmentService, type OnEnrolled } from './enrolment';
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
  antiSpoof?: AntiSpoof;
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
   * The live descriptor of the face in view now (its latest matchable frame, seen within the
   * tracker's `presentMs`), recognised or not; null when no face is in view. For a punch a manager
   * approves without recognition: HotelMate can still check that face. Stays in main.
   */
  liveDescriptorInView(): Float32Array | null;
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

/**
 * Creates the face service. Opening it loads and decrypts every template (see createTemplateStore:
 * throws when templates exist but their key is missing). Analyser failures are logged and the frame
 * is skipped; they never reject out of submit().
 */
export function createFaceService(options: FaceServiceOptions): FaceService {
  const { analyser, clock } = options;
  const log = options.logger.child('face');
  const recognition = (): RecognitionConfig => (typeof options.config === 'function' ? options.config() : options.config).recognition;
  const antiSpoof = options.antiSpoof ?? passiveAntiSpoof;

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
  /**
   * The face in view: its track, the track's own decision engine and who the track is named for.
   * A later multi-frame check (liveness over the track's frames, a blink or turn challenge) keeps
   * its state here too, and ends with the track.
   */
  let current: { trackId: number; engine: DecisionEngine; named: number | null } | null = null;
  /** The latest matchable descriptor of the main face, with when it was seen (monotonic). */
  let lastLive: { descriptor: Float32Array; at: number } | null = null;
  /** Evidence of the frames the tracker reported as pending: they belong to the next track if it starts. */
  let held: FrameEvidence[] = [];
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

    // What the main face contributes to its track's decision (null: no main face in this frame).
    let evidence: FrameEvidence | null = null;
    if (hasMain && (!assessment.matchable || !analysis.descriptor)) evidence = { kind: 'poor_quality' };
    else if (hasMain && analysis.descriptor) {
      const t0 = performance.now();
      const match = templates.match(analysis.descriptor);
      timings.match = performance.now() - t0;
      let liveness: number | null = null;
      if (settings.antiSpoof) {
        try {
          const t1 = performance.now();
          liveness = await antiSpoof.score(image, analysis);
          if (antiSpoof.name !== 'none') timings.antiSpoof = performance.now() - t1;
        } catch (error) {
          log.warn('anti-spoof scoring failed; liveness unknown for this frame', { error: toLogFormat(error) });
        }
      }
      const spoofSuspected = isSpoofSuspected(liveness);
      // A frame still being guided counts when it names someone; a miss there means "keep trying", not "unknown".
      const guidedMiss = guidance !== 'ok' && voteFor(match, settings).kind !== 'person';
      // A low liveness score first asks the person to come closer, which defeats most small recaptures.
      if (spoofSuspected) guidance = 'move_closer';
      evidence = guidedMiss ? { kind: 'poor_quality' } : { kind: 'face', descriptor: analysis.descriptor, match, liveness, spoofSuspected };
      if (assessment.matchable && !spoofSuspected) lastLive = { descriptor: analysis.descriptor, at: clock.monotonicMs() };
    }
    record(timings);
    const main = hasMain ? analysis.faces[analysis.mainIndex] : undefined;
    const out = track(main && evidence ? { box: main.box, descriptor: analysis.descriptor, evidence } : null, clock.monotonicMs(), clock.now().getTime());
    observations.emit(observation(frame.seq, analysis, guidance, current?.engine.checking() ?? false, current?.engine.settled() ?? false));
    for (const decision of out) {
      decisions += 1;
      if (decision.kind === 'recognised') {
        log.info('face recognised', { trackId: decision.trackId, staffId: decision.match.staffId, distance: round(decision.match.distance), second: decision.match.secondBestDistance === null ? null : round(decision.match.secondBestDistance), spoofSuspected: decision.match.spoofSuspected });
      } else if (decision.kind === 'unknown') log.info('face not recognised', { trackId: decision.trackId, reason: decision.reason });
      else log.info('face track ended', { trackId: decision.trackId, reason: decision.reason });
      decisionEvents.emit(decision);
    }
  };

  /**
   * Moves the tracker on by one frame (the main face and its evidence, or null) and feeds the
   * evidence to the engine of the track it belongs to. Returns the decisions, in order: a track
   * that ended comes before anything decided about the next one.
   */
  const track = (face: { box: NormalisedBox; descriptor: Float32Array | null; evidence: FrameEvidence } | null, at: number, wallAt: number): FaceDecision[] => {
    const out: FaceDecision[] = [];
    const step = tracker.observe(face, at);
    if (step.ended) {
      out.push(gone(step.ended.track.id, step.ended.reason, wallAt));
      if (current?.trackId === step.ended.track.id) current = null;
    }
    if (!face) {
      held = [];
      return out;
    }
    switch (step.face) {
      case 'pending':
        held.push(face.evidence);
        if (held.length > trackerConfig.confirmFrames) held.shift();
        return out;
      case 'started': {
        if (!step.track) return out;
        current = { trackId: step.track.id, engine: makeEngine(), named: null };
        const frames = [...held.slice(held.length - step.carried), face.evidence];
        held = [];
        for (const evidence of frames) out.push(...feed(evidence, at, wallAt));
        return out;
      }
      case 'continued':
        held = [];
        return feed(face.evidence, at, wallAt);
      case 'none':
        return out;
      default:
        return assertNever(step.face, 'track step');
    }
  };

  /** One frame's evidence to the current track's engine; ends the track's name when the face stopped matching it. */
  const feed = (evidence: FrameEvidence, at: number, wallAt: number): FaceDecision[] => {
    if (!current) return [];
    const verdict: FaceVerdict | null = current.engine.step(evidence, wallAt);
    if (!verdict) return [];
    const out: FaceDecision[] = [];
    if (current.named !== null && !(verdict.kind === 'recognised' && verdict.match.staffId === current.named)) {
      // The face on this track is not the person it was named for (a lookalike stepped in without
      // the tracker noticing): end that name's track and go on with the face under a new one.
      const renewed = tracker.renew(at);
      if (renewed) {
        out.push(gone(renewed.ended.id, 'replaced', wallAt));
        current.trackId = renewed.track.id;
      }
    }
    current.named = verdict.kind === 'recognised' ? verdict.match.staffId : null;
    out.push({ ...verdict, trackId: current.trackId });
    return out;
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
      log.info('face service started', { templates: templates.count(), antiSpoof: antiSpoof.name });
    },
    async stop() {
      started = false;
      if (inFlight) await inFlight;
      tracker.reset();
      current = null;
      lastLive = null;
      held = [];
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
          // are needed afterwards (the enrolment photo, a liveness scorer).
          const keepPixels = enrolment.active() || (antiSpoof.needsPixels && recognition().antiSpoof);
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
      log.info('recognition rejected on the face in view ("Not you?")', { trackId });
      return true;
    },
    startAgain() {
      if (!current) return;
      current.engine.restart();
      current.named = null;
      log.info('the face in view is decided afresh ("Start again")', { trackId: current.trackId });
    },
    isInView(trackId, staffId) {
      const track = tracker.current();
      if (!current || !track || current.trackId !== trackId || track.id !== trackId || current.named !== staffId) return false;
      return clock.monotonicMs() - track.lastSeenAt <= trackerConfig.presentMs;
    },
    liveDescriptorInView() {
      if (!lastLive || !tracker.current() || clock.monotonicMs() - lastLive.at > trackerConfig.presentMs) return null;
      return new Float32Array(lastLive.descriptor);
    },
    onObservation: observations.subscribe,
    onDecision: decisionEvents.subscribe,
    stats(): FaceStats {
      const span = analysedAt.length > 1 ? analysedAt[analysedAt.length - 1] - analysedAt[0] : 0;
      const stageMs: Record<string, number> = {};
      const stages = new Set(recentTimings.flatMap((t) => Object.keys(t)));
      for (const stage of stages) stageMs[stage] = round(median(recentTimings.map((t) => t[stage]).filter((v): v is number => typeof v === 'number')));
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

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
