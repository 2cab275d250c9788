/** Quality gates -> guidance: each failing signal gives the guidance a person can act on, only a rival face or an extreme pose keeps a frame from matching; the real photos pass, group photos ask for one at a time. */
import { describe, expect, it } from 'vitest';
import { assessFrame, ENROLMENT_LIMITS, guidanceFor, guidanceForQuality, qualityScore } from '../../../src/main/face/quality-guidance';
import type { FaceQuality } from '../../../src/main/face/pipeline/types';
import { analysePhotos } from './face-test-support';

const good: FaceQuality = { sizeFraction: 0.4, centreOffset: 0.1, centreOffsetX: 0.05, centreOffsetY: -0.08, yawDeg: 3, pitchDeg: -2, rollDeg: 1, blur: 300, brightness: 130, clipped: false };

describe('guidanceForQuality', () => {
  it.each([
    [{ sizeFraction: 0.1 }, 'move_closer'],
    [{ sizeFraction: 0.9 }, 'step_back'],
    [{ centreOffset: 0.7 }, 'center_face'],
    [{ clipped: true }, 'center_face'],
    [{ yawDeg: -40 }, 'face_camera'],
    [{ pitchDeg: 35 }, 'face_camera'],
    [{ brightness: 20 }, 'too_dark'],
    [{ brightness: 240 }, 'too_bright'],
    [{ blur: 5 }, 'hold_still'],
    [{}, 'ok'],
  ] as [Partial<FaceQuality>, string][])('%o -> %s', (change, expected) => {
    expect(guidanceForQuality({ ...good, ...change })).toBe(expected);
  });

  it('enrolment waits for sharper, straighter frames than recognition guides towards; recognition asks to centre, enrolment does not', () => {
    for (const change of [{ blur: 20 }, { rollDeg: 17 }, { clipped: true }]) {
      expect(guidanceForQuality({ ...good, ...change }, ENROLMENT_LIMITS), JSON.stringify(change)).not.toBe('ok');
    }
    expect(guidanceForQuality({ ...good, blur: 20 })).toBe('ok');
    expect(guidanceForQuality({ ...good, rollDeg: 17 })).toBe('ok');
    expect(guidanceForQuality({ ...good, centreOffset: 0.7 })).toBe('center_face');
    expect(guidanceForQuality({ ...good, centreOffset: 0.7 }, ENROLMENT_LIMITS)).toBe('ok');
  });

  it('only a rival face or an extreme head pose keeps a frame from being matched; other gates guide', () => {
    const main = { box: { x: 0.3, y: 0.2, width: 0.3, height: 0.4 }, score: 0.9 };
    const frame = (quality: Partial<FaceQuality>, faces = [main]) => ({ faces, mainIndex: 0, quality: { ...good, ...quality }, descriptor: new Float32Array(128) });
    expect(assessFrame(frame({}))).toEqual({ guidance: 'ok', matchable: true });
    for (const [change, guidance] of [
      [{ sizeFraction: 0.1 }, 'move_closer'],
      [{ centreOffset: 0.8 }, 'center_face'],
      [{ brightness: 15 }, 'too_dark'],
      [{ blur: 3 }, 'hold_still'],
      [{ yawDeg: 35 }, 'face_camera'],
    ] as [Partial<FaceQuality>, string][]) {
      expect(assessFrame(frame(change)), JSON.stringify(change)).toEqual({ guidance, matchable: true });
    }
    expect(assessFrame(frame({ yawDeg: -50 }))).toEqual({ guidance: 'face_camera', matchable: false });
    expect(assessFrame(frame({ pitchDeg: 45 }))).toEqual({ guidance: 'face_camera', matchable: false });
    const rival = { box: { x: 0.65, y: 0.2, width: 0.28, height: 0.36 }, score: 0.8 };
    expect(assessFrame(frame({}, [main, rival]))).toEqual({ guidance: 'one_at_a_time', matchable: false });
    expect(assessFrame({ faces: [], mainIndex: -1, quality: null, descriptor: null })).toEqual({ guidance: 'ok', matchable: false });
  });

  it('scores a frontal sharp face above a turned blurred one', () => {
    expect(qualityScore(good)).toBeGreaterThan(qualityScore({ ...good, yawDeg: 25, blur: 20 }));
  });
});

describe('guidanceFor on the real photos (real ONNX pipeline)', () => {
  it('passes every single-person photo and asks group photos for one person at a time', async () => {
    const photos = await analysePhotos();
    for (const photo of photos) {
      const guidance = guidanceFor(photo.analysis);
      if (photo.identity === 'multi-face') expect(guidance, photo.file).toBe('one_at_a_time');
      else expect(guidance, photo.file).toBe('ok');
    }
    expect(guidanceFor({ faces: [], mainIndex: -1, quality: null })).toBe('ok');
    expect(guidanceFor({ faces: [{ box: { x: 0.1, y: 0.1, width: 0.03, height: 0.04 }, score: 0.9 }], mainIndex: -1, quality: null })).toBe('move_closer');
  }, 120_000);
});
