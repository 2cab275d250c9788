/** The face tracker: one track per face in front of the camera, ended when the face leaves or another face takes its place, never by a single odd frame. */
import { describe, expect, it } from 'vitest';
import { createFaceTracker, DEFAULT_TRACKER_CONFIG, iou, type SeenFace } from '../../../src/main/face/face-track';

const FRAME_MS = 66; // 15 analysed frames a second

/** A descriptor pointing along one axis, scaled: two people are `sqrt(2) * scale` apart. */
function person(axis: number, scale = 0.6): Float32Array {
  const d = new Float32Array(128);
  d[axis] = scale;
  return d;
}

/** The same person's descriptor moved a little (a blink, a turn, sensor noise). */
function jitter(base: Float32Array, amount: number, axis = 100): Float32Array {
  const d = Float32Array.from(base);
  d[axis] += amount;
  return d;
}

const centre = { x: 0.35, y: 0.25, width: 0.3, height: 0.4 };
const face = (descriptor: Float32Array | null, box = centre): SeenFace => ({ box, descriptor });

function run(frames: (SeenFace | null)[], start = 0) {
  const tracker = createFaceTracker();
  const steps = frames.map((f, i) => tracker.observe(f, start + i * FRAME_MS));
  return { tracker, steps };
}

describe('iou', () => {
  it('is 1 for the same box, 0 for boxes apart, and in between for overlaps', () => {
    expect(iou(centre, centre)).toBeCloseTo(1, 9);
    expect(iou(centre, { ...centre, x: 0.7 })).toBe(0);
    expect(iou(centre, { ...centre, x: 0.5 })).toBeCloseTo(0.15 * 0.4 / (2 * 0.12 - 0.15 * 0.4), 6);
  });
});

describe('face tracker', () => {
  it('follows one person moving and blinking as one track', () => {
    const a = person(0);
    const frames = Array.from({ length: 30 }, (_, i) => face(jitter(a, (i % 3) * 0.1), { ...centre, x: 0.3 + i * 0.004 }));
    const { steps } = run(frames);
    expect(steps[0]).toMatchObject({ face: 'started', ended: null });
    expect(steps.slice(1).every((s) => s.face === 'continued' && s.ended === null)).toBe(true);
    expect(new Set(steps.map((s) => s.track?.id))).toEqual(new Set([1]));
    expect(steps.at(-1)?.track?.frames).toBe(30);
  });

  it('ends the track as "left" once the face has been away for lostAfterMs and lostFrames, not at the first empty frame', () => {
    const a = person(0);
    const { steps } = run([face(a), face(a), null, null, null, null, null, null, null, null, null]);
    const endedAt = steps.findIndex((s) => s.ended !== null);
    // 500 ms at 66 ms a frame: the eighth empty frame (frame index 1 was the last sighting).
    expect(endedAt).toBe(1 + Math.ceil(DEFAULT_TRACKER_CONFIG.lostAfterMs / FRAME_MS));
    expect(steps[endedAt]).toMatchObject({ ended: { reason: 'left', track: { id: 1 } }, track: null });
    expect(steps.slice(endedAt + 1).every((s) => s.ended === null && s.track === null)).toBe(true);
  });

  it('a face missing for a few frames (a turn, a missed detection) keeps its track', () => {
    const a = person(0);
    const { steps } = run([face(a), face(a), null, null, null, face(jitter(a, 0.1)), face(a)]);
    expect(steps.map((s) => s.face)).toEqual(['started', 'continued', 'none', 'none', 'none', 'continued', 'continued']);
    expect(steps.every((s) => s.ended === null)).toBe(true);
  });

  it('a slow analyser (one frame every 600 ms) needs lostFrames empty frames before a face has left', () => {
    const tracker = createFaceTracker();
    const a = person(0);
    tracker.observe(face(a), 0);
    expect(tracker.observe(null, 600).ended).toBeNull();
    expect(tracker.observe(face(a), 1200).face).toBe('continued');
    expect(tracker.observe(null, 1800).ended).toBeNull();
    expect(tracker.observe(null, 2400).ended).toBeNull();
    expect(tracker.observe(null, 3000).ended).toMatchObject({ reason: 'left' });
  });

  it('a stranger stepping into the same spot replaces the track after confirmFrames frames, carrying the frames before', () => {
    const a = person(0);
    const stranger = person(1);
    const { steps } = run([face(a), face(a), face(a), face(stranger), face(jitter(stranger, 0.05)), face(stranger)]);
    expect(steps.map((s) => s.face)).toEqual(['started', 'continued', 'continued', 'pending', 'started', 'continued']);
    expect(steps[3]).toMatchObject({ ended: null, track: { id: 1 } });
    expect(steps[4]).toMatchObject({ ended: { reason: 'replaced', track: { id: 1 } }, track: { id: 2, frames: 2 }, carried: 1 });
    expect(steps[5].track?.id).toBe(2);
  });

  it('one odd frame (a wobble) does not replace the track', () => {
    const a = person(0);
    const { steps } = run([face(a), face(a), face(person(1)), face(a), face(a), face(person(2)), face(a)]);
    expect(steps.map((s) => s.face)).toEqual(['started', 'continued', 'pending', 'continued', 'continued', 'pending', 'continued']);
    expect(steps.every((s) => s.ended === null && s.track?.id === 1)).toBe(true);
  });

  it('two different faces taking turns for a frame each never confirm a replacement', () => {
    const a = person(0);
    const { steps } = run([face(a), face(person(1)), face(person(2)), face(person(3)), face(a)]);
    expect(steps.map((s) => s.face)).toEqual(['started', 'pending', 'pending', 'pending', 'continued']);
    expect(steps.every((s) => s.ended === null)).toBe(true);
  });

  it('the same person jumping to another part of the frame is a new face (box overlap is required)', () => {
    const a = person(0);
    const far = { ...centre, x: 0.0, y: 0.55 };
    const { steps } = run([face(a), face(a), face(a, far), face(a, far)]);
    expect(steps.map((s) => s.face)).toEqual(['started', 'continued', 'pending', 'started']);
    expect(steps[3].ended).toMatchObject({ reason: 'replaced' });
  });

  it('without descriptors the box alone decides', () => {
    const { steps } = run([face(null), face(null, { ...centre, x: 0.36 }), face(null, { ...centre, x: 0.8 }), face(null, { ...centre, x: 0.8 })]);
    expect(steps.map((s) => s.face)).toEqual(['started', 'continued', 'pending', 'started']);
  });

  it('a new face after the old one left starts at once, and the old track ends as "left"', () => {
    const a = person(0);
    const b = person(1);
    const frames = [face(a), ...Array.from({ length: 9 }, () => null), face(b)];
    const { steps } = run(frames);
    const left = steps.findIndex((s) => s.ended !== null);
    expect(steps[left].ended?.reason).toBe('left');
    expect(steps.at(-1)).toMatchObject({ face: 'started', ended: null, track: { id: 2 }, carried: 0 });
  });

  it('renew gives the same face a new track id and reports the old one as ended', () => {
    const tracker = createFaceTracker();
    const a = person(0);
    tracker.observe(face(a), 0);
    const renewed = tracker.renew(66);
    expect(renewed).toMatchObject({ ended: { id: 1 }, track: { id: 2 } });
    expect(tracker.observe(face(a), 132)).toMatchObject({ face: 'continued', track: { id: 2 } });
    tracker.reset();
    expect(tracker.current()).toBeNull();
    expect(tracker.renew(200)).toBeNull();
  });
});
