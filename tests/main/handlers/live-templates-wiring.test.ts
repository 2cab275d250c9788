/**
 * Templates that follow the person, wired as the kiosk wires them: a punch through clock:punch from
 * a confident recognition leaves a live template once HotelMate took it; a punch HotelMate sent to
 * review (it named someone else), a punch undone and a punch made without a face leave none; the
 * face of a manual punch HotelMate matched follows the person. Real SQLite, the real face and clock
 * services, the HotelMate double on 127.0.0.1.
 */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/shared/config/schema';
import type { StaffListEntry } from '../../../src/shared/domain/enrolment';
import type { ManualAttempt, ManualPunchResult } from '../../../src/shared/domain/manual-punch';
import type { PunchResult } from '../../../src/shared/domain/punch';
import { HOTELMATE_MATCH_DISTANCE } from '../../../src/main/face/live-templates';
import { euclidean } from '../../../src/main/face/matcher';
import type { FaceAnalysis } from '../../../src/main/face/pipeline/types';
import { assessFrame } from '../../../src/main/face/quality-guidance';
import { systemClock } from '../../../src/main/lib/clock';
import { decodePhotoAsFrame, listPhotos } from '../../support/media/photos';
import { realPipeline } from '../face/face-photos';
import { createHandlerKit, settledState, type HandlerKit } from './handler-kit';

async function hotelKit(): Promise<{ k: HandlerKit } & NonNullable<HandlerKit['hotel']>> {
  const k = await createHandlerKit({ clock: systemClock, hotel: true, adminPin: '246810' });
  if (!k.hotel) throw new Error('no HotelMate double');
  return { k, ...k.hotel };
}

const templatesOf = (k: HandlerKit, staffId: number): number => k.face.templates.list().find((p) => p.staffId === staffId)?.templates ?? 0;

describe('live templates through clock:punch', () => {
  it('a confident recognition whose punch HotelMate took leaves one more template for the person', async () => {
    const { k, world } = await hotelKit();
    const recognitionId = await k.recognise(world.aoife.id, world.probes.aoife);
    expect(templatesOf(k, world.aoife.id)).toBe(1);
    const result = (await k.handlers['clock:punch']({ recognitionId, action: 'clock_in' })) as PunchResult;
    expect(result).toMatchObject({ ok: true, savedOffline: false });
    expect(await settledState(k, result)).toBe('synced');
    expect(templatesOf(k, world.aoife.id)).toBe(2);
    expect(k.face.liveTemplates.pending()).toBe(0);
  });

  it('a punch HotelMate sent to review (it matched the face to someone else) leaves none', async () => {
    const { k, world } = await hotelKit();
    // The kiosk has Aoife's face enrolled as Conor's: HotelMate names Aoife.
    const recognitionId = await k.recognise(world.conor.id, world.probes.aoife);
    const result = (await k.handlers['clock:punch']({ recognitionId, action: 'clock_in', reason: 'Covering a shift' })) as PunchResult;
    expect(result).toMatchObject({ ok: true });
    expect(await settledState(k, result)).toBe('needs_review');
    expect(templatesOf(k, world.conor.id)).toBe(1);
    expect(k.face.liveTemplates.pending()).toBe(0);
  });

  it('a punch undone within its window leaves none, and its waiting face is deleted at once', async () => {
    const k = await createHandlerKit({ clock: systemClock, hotel: true, adminPin: '246810', undoWindowMs: 60_000 });
    if (!k.hotel) throw new Error('no HotelMate double');
    const { world } = k.hotel;
    const recognitionId = await k.recognise(world.aoife.id, world.probes.aoife);
    const result = (await k.handlers['clock:punch']({ recognitionId, action: 'clock_in' })) as PunchResult;
    if (!result.ok) throw new Error(result.error.message);
    expect(k.face.liveTemplates.pending()).toBe(1);
    expect(await k.handlers['clock:undo'](result.eventId)).toMatchObject({ ok: true });
    expect(k.face.liveTemplates.pending()).toBe(0);
    expect(templatesOf(k, world.aoife.id)).toBe(1);
  });
});

/**
 * A person whose appearance changed: enrolled from one photo, a later photo of them is not
 * recognised, they clock with "Clock without face" while that face is in view, HotelMate's face
 * check names them, and from then on the same face is recognised. Real photos through the real
 * ONNX pipeline (person-c: the largest same-person distances of the shared photos); only the
 * passive liveness score is set to a live person's, since still photos are what liveness exists
 * to refuse (liveness itself: tests/main/face/liveness-*.test.ts).
 */
describe('the face of a manual punch through HotelMate', () => {
  const PIN = '246810';

  interface Shot {
    file: string;
    analysis: FaceAnalysis;
    descriptor: Float32Array;
  }

  async function personC(): Promise<Shot[]> {
    const pipeline = await realPipeline();
    const shots: Shot[] = [];
    for (const photo of listPhotos().filter((p) => p.identity === 'person-c')) {
      const analysis = await pipeline.analyse(decodePhotoAsFrame(photo.file));
      if (analysis.descriptor && assessFrame(analysis).matchable) shots.push({ file: photo.file, analysis: { ...analysis, liveness: { v2: 0.95, v1se: 0.95, real: 0.95 } }, descriptor: analysis.descriptor });
    }
    return shots;
  }

  it('a later photo not recognised at first is recognised after a manual punch with that face synced', async () => {
    const shots = await personC();
    const threshold = defaultConfig().recognition.threshold;
    // An enrolment photo and a later one the kiosk cannot name from it, though HotelMate's rule (0.6) would.
    const pair = shots.flatMap((enrolled) => shots.map((later) => ({ enrolled, later, d: euclidean(enrolled.descriptor, later.descriptor) }))).find((p) => p.d > threshold && p.d < HOTELMATE_MATCH_DISTANCE);
    if (!pair) throw new Error('no pair of person-c photos between the threshold and 0.6');

    let inView: FaceAnalysis | null = null;
    const nobody: FaceAnalysis = { width: 640, height: 480, faces: [], mainIndex: -1, quality: null, landmarks: null, descriptor: null, liveness: null, timings: { detect: 0, landmarks: 0, crop: 0, descriptor: 0, liveness: 0, total: 0 } };
    const k = await createHandlerKit({ clock: systemClock, hotel: true, adminPin: PIN, analyser: { analyse: async () => inView ?? nobody } });
    if (!k.hotel) throw new Error('no HotelMate double');
    const { double, world } = k.hotel;
    // Aoife is person-c: enrolled from one photo here and registered with it on HotelMate.
    k.face.templates.addTemplate(world.aoife.id, pair.enrolled.descriptor, 'enrolment', 1);
    double.seed.face({ staffId: world.aoife.id, encoding: Array.from(pair.enrolled.descriptor), registeredBy: world.manager.id });
    const named: number[] = [];
    k.face.onDecision((decision) => {
      if (decision.kind === 'recognised') named.push(decision.match.staffId);
    });
    const show = async (shot: Shot | null, frames: number): Promise<void> => {
      inView = shot?.analysis ?? null;
      await k.frames(frames);
    };

    await show(pair.later, 12);
    expect(named).toEqual([]);
    const deadline = Date.now() + 5000;
    while (((await k.router.dispatch('manual:staff', [])) as StaffListEntry[]).length === 0) {
      if (Date.now() > deadline) throw new Error('the staff list never arrived');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const attempt = (await k.router.dispatch('manual:begin', [])) as ManualAttempt;
    expect(attempt.faceSeen).toBe(true);
    const result = (await k.router.dispatch('manual:punch', [{ attemptId: attempt.attemptId, staffId: world.aoife.id, action: 'clock_in', pin: PIN }])) as ManualPunchResult;
    expect(result).toMatchObject({ ok: true, offerEnrol: false });
    expect(k.face.liveTemplates.pending()).toBe(1);
    expect(await settledState(k, result as { ok: true; eventId: string })).toBe('synced');
    expect(k.face.liveTemplates.pending()).toBe(0);
    expect(templatesOf(k, world.aoife.id)).toBe(2);

    // She walks away and comes back the next day with the same look: recognised.
    await show(null, 3);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await show(pair.later, 12);
    expect(named).toEqual([world.aoife.id]);
  });
});
