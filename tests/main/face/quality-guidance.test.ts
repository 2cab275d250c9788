/** Quality gates -> guidance: each failing signal gives the guidance a person can act on; the real photos pass, group photos ask for one at a time. */
import { describe, expect, it } from 'vitest';
import { ENROLMENT_LIMITS, guidanceFor, guidanceForQuality, qualityScore } from '../../../src/main/face/quality-guidance';
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

  it('enrolment is stricter than recognition', () => {
    const borderline = { ...good, yawDeg: 28 };
    expect(guidanceForQuality(borderline)).toBe('ok');
    expect(guidanceForQuality(borderline, ENROLMENT_LIMITS)).toBe('face_camera');
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
