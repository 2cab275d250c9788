/** The admin's enrolment flow: gathers several good, differently posed frames of one face, refuses poor quality and faces that already belong to someone else, records consent, stores the templates and hands one over for HotelMate registration. */
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
  /** Frames to capture (default 5). */
  needed?: number;
  /** Give up after this long without completing (default 45 s). */
  timeoutMs?: number;
  /** Minimum time between two captures (default 250 ms), so captures are not the same instant. */
  minIntervalMs?: number;
  /** A new capture must differ from every earlier one by this much head pose (degrees, yaw+pitch)... */
  minPoseChangeDeg?: number;
  /** ...or by this much descriptor distance (default 0.05). */
  minDescriptorChange?: number;
  /** The captures together must span at least this much yaw (degrees, default 8): varied pose. */
  minYawSpanDeg?: number;
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

/**
 * Hints in the EnrolmentStep are keys the screen translates: a Guidance value, 'turn_head_slightly'
 * (captures so far are too alike) or 'no_face'.
 */
export function createEnrolment(options: EnrolmentOptions): EnrolmentService {
  const log = options.logger.child('enrolment');
  const needed = options.needed ?? 5;
  const timeoutMs = options.timeoutMs ?? 45000;
  const minIntervalMs = options.minIntervalMs ?? 250;
  const minPose = options.minPoseChangeDeg ?? 4;
  const minDescriptor = options.minDescriptorChange ?? 0.05;
  const minYawSpan = options.minYawSpanDeg ?? 8;
  const samePerson = options.samePersonDistance ?? 0.6;
  const limits = options.limits ?? ENROLMENT_LIMITS;
  const encode = options.encodeJpeg ?? ((image: RgbImage) => encodeJpeg(image));
  const progress = createEmitter<EnrolmentStep>('enrolment progress', log);

  let step: EnrolmentStep = { state: 'idle' };
  let session: { staffId: number; consentText: string; recordedBy: string; startedAt: number; captures: Capture[]; photo: { image: RgbImage; quality: number; captureIndex: number } | null } | null = null;
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

  const complete = async (current: NonNullable<typeof session>, myGeneration: number): Promise<void> => {
    const { staffId } = current;
    const templates = current.captures.map((c) => ({ descriptor: c.descriptor, source: 'enrolment', quality: c.quality }));
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
    const bestIndex = current.photo?.captureIndex ?? indexOfBest(current.captures);
    let registered = false;
    let queued = false;
    if (options.onEnrolled && current.photo) {
      try {
        const jpeg = await encode(current.photo.image);
        const result = await options.onEnrolled(staffId, current.captures[bestIndex].descriptor, toJpegDataUrl(jpeg));
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
      session = { staffId, consentText, recordedBy, startedAt: options.clock.monotonicMs(), captures: [], photo: null };
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
    active: () => session !== null && session.captures.length < needed,
    settled: () => finishing,
    offer(analysis, frame) {
      const current = session;
      if (!current || current.captures.length >= needed) return;
      const now = options.clock.monotonicMs();
      if (now - current.startedAt > timeoutMs) {
        fail(current.staffId, current.captures.length === 0 ? 'no_good_frames' : 'timeout');
        return;
      }
      const hint = (value: string | null): void => {
        if (step.state === 'capturing' && step.hint === value) return;
        publish({ state: 'capturing', staffId: current.staffId, captured: current.captures.length, needed, hint: value });
      };
      if (analysis.mainIndex < 0 || !analysis.quality || !analysis.descriptor) return hint('no_face');
      const guidance = guidanceFor(analysis, limits);
      if (guidance !== 'ok') return hint(guidance);
      const last = current.captures[current.captures.length - 1];
      if (last && now - last.at < minIntervalMs) return;
      const descriptor = Float32Array.from(analysis.descriptor);
      const { yawDeg, pitchDeg } = analysis.quality;

      const first = current.captures[0];
      if (first && euclidean(first.descriptor, descriptor) > samePerson) {
        fail(current.staffId, 'different_faces');
        return;
      }
      const other = options.store.match(descriptor, { exclude: new Set([current.staffId]) }).best;
      if (other && other.distance <= options.threshold()) {
        fail(current.staffId, `already_enrolled:${other.staffId}`);
        return;
      }
      const varied = current.captures.every(
        (c) => Math.abs(c.yaw - yawDeg) + Math.abs(c.pitch - pitchDeg) >= minPose || euclidean(c.descriptor, descriptor) >= minDescriptor,
      );
      if (!varied) return hint('turn_head_slightly');
      if (current.captures.length === needed - 1) {
        const yaws = [...current.captures.map((c) => c.yaw), yawDeg];
        if (Math.max(...yaws) - Math.min(...yaws) < minYawSpan) return hint('turn_head_slightly');
      }

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
      publish({ state: 'capturing', staffId: current.staffId, captured: current.captures.length, needed, hint: null });
      if (current.captures.length >= needed) finishing = complete(current, generation);
    },
  };
}

function indexOfBest(captures: Capture[]): number {
  let best = 0;
  captures.forEach((c, i) => {
    if (c.quality > captures[best].quality) best = i;
  });
  return best;
}
