/** The admin's enrolment flow: gathers good, distinct frames of one face while guiding the person to turn slightly, keeps templates that cover the poses it saw, refuses faces that already belong to someone else, records consent, stores the templates and hands one over for HotelMate registration. */
import type { EnrolmentStep } from '../../shared/domain/enrolment';
import type { Clock } from '../lib/clock';
import { createEmitter, type Subscribe } from '../lib/emitter';
import type { Logger } from '../logging/logger';
import { toLogFormat } from '../logging/logger';
import { euclidean } from './matcher';
import type { FaceAnalysis } from './pipeline/types';
import { ENROLMENT_LIMITS, guidanceFor, qualityScore, type QualityLimits } from './quality-guidance';
import type { TemplateStore } from './template-store';
import { cropAroundFace, encodeJpeg, toJpegDataUrl, type RgbImage } from './jpeg';

/** Registration with HotelMate, done by the caller (online: register-face; offline: queued). */
export type OnEnrolled = (staffId: number, descriptor: Float32Array, jpegDataUrl: string) => Promise<{ registered: boolean; queued: boolean }>;

export interface EnrolmentOptions {
  store: TemplateStore;
  logger: Logger;
  clock: Clock;
  /** Current local accept threshold: a capture this close to another person refuses the enrolment. */
  threshold: () => number;
  onEnrolled?: OnEnrolled;
  /** Templates to keep (default 5). */
  needed?: number;
  /** Give up after this long without a single good frame (default 45 s). */
  timeoutMs?: number;
  /** Minimum time between two captures (default 250 ms), so captures are not the same instant. */
  minIntervalMs?: number;
  /** A new capture must differ from every earlier one by this much head pose (degrees, |yaw|+|pitch| change, default 2)... */
  minPoseChangeDeg?: number;
  /** ...or by this much descriptor distance (default 0.05). */
  minDescriptorChange?: number;
  /** Enrolment completes as soon as `needed` captures span this much yaw (degrees, default 6: a slight turn each way). */
  minYawSpanDeg?: number;
  /**
   * How long to keep asking for a slight head turn when no new pose comes, or when there are enough
   * captures but not the yaw span, before completing with the captures there are (default 3 s). A
   * person who stays still is enrolled, never turned away.
   */
  settleMs?: number;
  /** Two captures further apart than this are not the same person (default 0.6, HotelMate's threshold). */
  samePersonDistance?: number;
  limits?: QualityLimits;
  /** JPEG encoder; defaults to ffmpeg (tests may pass their own). */
  encodeJpeg?: (image: RgbImage) => Promise<Buffer>;
}

/** Enrolment of one person at a time, and the frame hook the FaceService feeds while capturing. */
export interface EnrolmentService {
  start(staffId: number, consentText: string, recordedBy: string): EnrolmentStep;
  cancel(): EnrolmentStep;
  current(): EnrolmentStep;
  onProgress: Subscribe<EnrolmentStep>;
  /** True while frames should go to enrolment instead of recognition. */
  active(): boolean;
  /** Offers one analysed frame (the frame's pixels are used only for the registration photo). */
  offer(analysis: FaceAnalysis, frame: RgbImage): void;
  /** Resolves when the current completion (storage + registration callback) has finished. */
  settled(): Promise<void>;
}

interface Capture {
  descriptor: Float32Array;
  yaw: number;
  pitch: number;
  quality: number;
  at: number;
}

interface Session {
  staffId: number;
  consentText: string;
  recordedBy: string;
  startedAt: number;
  /** Distinct good frames seen so far (at most {@link MAX_CANDIDATES}); the templates are chosen from them. */
  captures: Capture[];
  /** The registration photo: the best-quality capture's face crop. */
  photo: { image: RgbImage; quality: number; captureIndex: number } | null;
  /** When the captures first reached the number needed (null before). */
  enoughAt: number | null;
  /** Set once the templates are being stored: no more frames are taken. */
  completing: boolean;
}

/** Distinct captures kept as candidates while waiting for a wider pose range. */
const MAX_CANDIDATES = 24;

/**
 * Hints in the EnrolmentStep are keys the screen translates: a Guidance value, 'turn_head_slightly'
 * (captures so far are too alike) or 'no_face'.
 */
export function createEnrolment(options: EnrolmentOptions): EnrolmentService {
  const log = options.logger.child('enrolment');
  const needed = options.needed ?? 5;
  const timeoutMs = options.timeoutMs ?? 45000;
  const minIntervalMs = options.minIntervalMs ?? 250;
  const minPose = options.minPoseChangeDeg ?? 2;
  const minDescriptor = options.minDescriptorChange ?? 0.05;
  const minYawSpan = options.minYawSpanDeg ?? 6;
  const settleMs = options.settleMs ?? 3000;
  const samePerson = options.samePersonDistance ?? 0.6;
  const limits = options.limits ?? ENROLMENT_LIMITS;
  const encode = options.encodeJpeg ?? ((image: RgbImage) => encodeJpeg(image));
  const progress = createEmitter<EnrolmentStep>('enrolment progress', log);

  let step: EnrolmentStep = { state: 'idle' };
  let session: Session | null = null;
  let finishing: Promise<void> = Promise.resolve();
  let generation = 0;

  const publish = (next: EnrolmentStep): EnrolmentStep => {
    step = next;
    progress.emit(next);
    return next;
  };

  const fail = (staffId: number, reason: string): void => {
    log.warn('enrolment refused', { staffId, reason });
    session = null;
    publish({ state: 'failed', staffId, reason });
  };

  const complete = async (current: Session, myGeneration: number): Promise<void> => {
    const { staffId } = current;
    const chosen = chooseTemplates(current.captures, needed, current.photo?.captureIndex ?? indexOfBest(current.captures));
    const yaws = chosen.map((c) => c.yaw);
    log.info('enrolment captured', { staffId, candidates: current.captures.length, templates: chosen.length, yawFrom: round1(Math.min(...yaws)), yawTo: round1(Math.max(...yaws)) });
    const templates = chosen.map((c) => ({ descriptor: c.descriptor, source: 'enrolment', quality: c.quality }));
    let ids: number[];
    try {
      ids = options.store.saveEnrolment({
        consent: { staffId, consentText: current.consentText, givenAt: options.clock.now().toISOString(), recordedBy: current.recordedBy },
        templates,
      });
    } catch (error) {
      log.error('enrolment could not be stored', { staffId, error: toLogFormat(error) });
      publish({ state: 'failed', staffId, reason: 'storage_failed' });
      return;
    }
    const registeredCapture = current.photo ? current.captures[current.photo.captureIndex] : chosen[indexOfBest(chosen)];
    const bestIndex = Math.max(0, chosen.indexOf(registeredCapture));
    let registered = false;
    let queued = false;
    if (options.onEnrolled && current.photo) {
      try {
        const jpeg = await encode(current.photo.image);
        const result = await options.onEnrolled(staffId, chosen[bestIndex].descriptor, toJpegDataUrl(jpeg));
        registered = result.registered;
        queued = !result.registered && result.queued;
        if (registered || queued) options.store.setRegistration(ids[bestIndex], registered ? 1 : 2);
      } catch (error) {
        log.error('registering the enrolled face with HotelMate failed; the local templates are kept', { staffId, error: toLogFormat(error) });
      }
    }
    if (myGeneration !== generation) return;
    session = null;
    publish({ state: 'done', staffId, templates: ids.length, registeredWithServer: registered, queued });
  };

  return {
    start(staffId, consentText, recordedBy) {
      generation += 1;
      if (!consentText.trim()) return publish({ state: 'failed', staffId, reason: 'consent_missing' });
      session = { staffId, consentText, recordedBy, startedAt: options.clock.monotonicMs(), captures: [], photo: null, enoughAt: null, completing: false };
      log.info('enrolment started', { staffId, recordedBy });
      return publish({ state: 'capturing', staffId, captured: 0, needed, hint: null });
    },
    cancel() {
      generation += 1;
      if (session) log.info('enrolment cancelled', { staffId: session.staffId });
      session = null;
      return publish({ state: 'idle' });
    },
    current: () => step,
    onProgress: progress.subscribe,
    active: () => session !== null && !session.completing,
    settled: () => finishing,
    offer(analysis, frame) {
      const current = session;
      if (!current || current.completing) return;
      const now = options.clock.monotonicMs();
      const finish = (): void => {
        current.completing = true;
        finishing = complete(current, generation);
      };
      const first = current.captures[0];
      if (!first && now - current.startedAt > timeoutMs) {
        fail(current.staffId, 'no_good_frames');
        return;
      }
      // Asked to turn for long enough: keep what was seen rather than turn the person away.
      const newest = current.captures[current.captures.length - 1];
      if (newest && (now - newest.at >= settleMs || (current.enoughAt !== null && now - current.enoughAt >= settleMs))) return finish();
      const progress = (hint: string | null): void => {
        const captured = Math.min(current.captures.length, needed);
        if (step.state === 'capturing' && step.hint === hint && step.captured === captured) return;
        publish({ state: 'capturing', staffId: current.staffId, captured, needed, hint });
      };
      if (analysis.mainIndex < 0 || !analysis.quality || !analysis.descriptor) return progress('no_face');
      const guidance = guidanceFor(analysis, limits);
      if (guidance !== 'ok') return progress(guidance);
      if (newest && now - newest.at < minIntervalMs) return;
      const descriptor = Float32Array.from(analysis.descriptor);
      const { yawDeg, pitchDeg } = analysis.quality;

      if (first && euclidean(first.descriptor, descriptor) > samePerson) {
        fail(current.staffId, 'different_faces');
        return;
      }
      const other = options.store.match(descriptor, { exclude: new Set([current.staffId]) }).best;
      if (other && other.distance <= options.threshold()) {
        fail(current.staffId, `already_enrolled:${other.staffId}`);
        return;
      }
      const distinct = current.captures.every(
        (c) => Math.abs(c.yaw - yawDeg) + Math.abs(c.pitch - pitchDeg) >= minPose || euclidean(c.descriptor, descriptor) >= minDescriptor,
      );
      if (!distinct || current.captures.length >= MAX_CANDIDATES) return progress('turn_head_slightly');

      const quality = qualityScore(analysis.quality);
      current.captures.push({ descriptor, yaw: yawDeg, pitch: pitchDeg, quality, at: now });
      const face = analysis.faces[analysis.mainIndex];
      if (face && (!current.photo || quality > current.photo.quality)) {
        try {
          current.photo = { image: cropAroundFace(frame, face.box), quality, captureIndex: current.captures.length - 1 };
        } catch (error) {
          log.warn('no registration photo from this frame', { error: toLogFormat(error) });
        }
      }
      const enough = current.captures.length >= needed;
      if (enough) current.enoughAt ??= now;
      const covered = enough && (needed === 1 || yawSpan(current.captures) >= minYawSpan);
      progress(enough && !covered ? 'turn_head_slightly' : null);
      if (covered) finish();
    },
  };
}

/**
 * Chooses up to `count` templates from the captures so that they cover the poses seen: the
 * registration capture, the two most turned ones (left and right), then repeatedly the capture
 * furthest in pose (|yaw| + |pitch| difference) from those already chosen, the better-quality one
 * on a tie. Returned in capture order. Pure.
 */
export function chooseTemplates<T extends { yaw: number; pitch: number; quality: number }>(captures: readonly T[], count: number, mustInclude: number): T[] {
  if (captures.length <= count) return [...captures];
  const chosen = new Set<number>([mustInclude]);
  const byYaw = captures.map((c, i) => ({ yaw: c.yaw, i })).sort((a, b) => a.yaw - b.yaw);
  for (const extreme of [byYaw[0].i, byYaw[byYaw.length - 1].i]) if (chosen.size < count) chosen.add(extreme);
  const poseDistance = (a: T, b: T): number => Math.abs(a.yaw - b.yaw) + Math.abs(a.pitch - b.pitch);
  while (chosen.size < count) {
    let best = -1;
    let bestDistance = -1;
    captures.forEach((capture, i) => {
      if (chosen.has(i)) return;
      const distance = Math.min(...[...chosen].map((j) => poseDistance(capture, captures[j])));
      if (distance > bestDistance || (distance === bestDistance && capture.quality > captures[best].quality)) {
        best = i;
        bestDistance = distance;
      }
    });
    chosen.add(best);
  }
  return [...chosen].sort((a, b) => a - b).map((i) => captures[i]);
}

function yawSpan(captures: readonly Capture[]): number {
  const yaws = captures.map((c) => c.yaw);
  return Math.max(...yaws) - Math.min(...yaws);
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function indexOfBest(captures: Capture[]): number {
  let best = 0;
  captures.forEach((c, i) => {
    if (c.quality > captures[best].quality) best = i;
  });
  return best;
}
