/**
 * The head pose the quality gates and enrolment rely on: a 3D mean face fitted to the 68 landmarks.
 * Synthetic landmarks (the model projected at known angles, with noise) must come back within 5
 * degrees; on the shared photos, frontal portraits read within 15 degrees, turned ones read turned
 * the right way, a rotated photo reads its roll, and the issue's head-and-shoulders portrait with a
 * mild turn (read as ~60 degrees by the old nose-to-jaw ratio) reads a mild turn.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateHeadPose, UNFITTABLE_POSE, type HeadPose } from '../../../../src/main/face/pipeline/face-geometry';
import { MEAN_FACE_68 } from '../../../../src/main/face/pipeline/mean-face-68';
import type { FaceAnalysis, Point } from '../../../../src/main/face/pipeline/types';
import { guidanceFor } from '../../../../src/main/face/quality-guidance';
import { composeFrame } from '../../../support/media/photos';
import { analysePhotos, realPipeline, type AnalysedPhoto } from '../face-test-support';

const WIDTH = 640;
const HEIGHT = 480;
const RAD = Math.PI / 180;

type Vec = [number, number, number];
type Mat = [Vec, Vec, Vec];

const mul = (a: Mat, b: Mat): Mat => a.map((row) => [0, 1, 2].map((c) => row[0] * b[0][c] + row[1] * b[1][c] + row[2] * b[2][c])) as Mat;
const apply = (m: Mat, v: Vec): Vec => m.map((row) => row[0] * v[0] + row[1] * v[1] + row[2] * v[2]) as Vec;

/** Rotation about the camera's vertical axis that moves the nose (which points at -z) towards +x (the image's right) for yaw > 0. */
const yawMatrix = (deg: number): Mat => {
  const a = deg * RAD;
  return [
    [Math.cos(a), 0, -Math.sin(a)],
    [0, 1, 0],
    [Math.sin(a), 0, Math.cos(a)],
  ];
};
/** Rotation about the horizontal axis that moves the nose down (+y) for pitch > 0. */
const pitchMatrix = (deg: number): Mat => {
  const a = deg * RAD;
  return [
    [1, 0, 0],
    [0, Math.cos(a), -Math.sin(a)],
    [0, Math.sin(a), Math.cos(a)],
  ];
};
/** Rotation in the image plane that turns the top of the head (-y) towards +x for roll > 0. */
const rollMatrix = (deg: number): Mat => {
  const a = deg * RAD;
  return [
    [Math.cos(a), -Math.sin(a), 0],
    [Math.sin(a), Math.cos(a), 0],
    [0, 0, 1],
  ];
};
/** The rotation that turns the optical axis (0,0,1) towards the head at position t (Rodrigues). */
function lineOfSight(t: Vec): Mat {
  const n = Math.hypot(...t);
  const d: Vec = [t[0] / n, t[1] / n, t[2] / n];
  const axis: Vec = [-d[1], d[0], 0];
  const s = Math.hypot(axis[0], axis[1]);
  if (s < 1e-12) return [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  const k: Vec = [axis[0] / s, axis[1] / s, 0];
  const angle = Math.atan2(s, d[2]);
  const K: Mat = [
    [0, -k[2], k[1]],
    [k[2], 0, -k[0]],
    [-k[1], k[0], 0],
  ];
  const K2 = mul(K, K);
  return [0, 1, 2].map((r) => [0, 1, 2].map((c) => (r === c ? 1 : 0) + Math.sin(angle) * K[r][c] + (1 - Math.cos(angle)) * K2[r][c])) as Mat;
}

/** Deterministic standard-normal noise. */
function gaussian(seed: number): () => number {
  let s = seed;
  const uniform = (): number => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  return () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
}

/**
 * The mean face turned by yaw, then pitch, then roll (relative to the line of sight), placed at
 * `position` (cm, camera coordinates) and projected by a pinhole camera with focal length =
 * image width; `noise` is the landmark noise as a fraction of the face's width in pixels.
 */
function project(pose: { yaw: number; pitch: number; roll: number }, position: Vec, noise: number, next: () => number): Point[] {
  const rotation = mul(lineOfSight(position), mul(yawMatrix(pose.yaw), mul(pitchMatrix(pose.pitch), rollMatrix(pose.roll))));
  const faceWidthPx = (WIDTH * 15) / position[2];
  return MEAN_FACE_68.map((p) => {
    const [x, y, z] = apply(rotation, [p[0], p[1], p[2]]);
    const X = x + position[0];
    const Y = y + position[1];
    const Z = z + position[2];
    return { x: (WIDTH * X) / Z + WIDTH / 2 + next() * noise * faceWidthPx, y: (WIDTH * Y) / Z + HEIGHT / 2 + next() * noise * faceWidthPx };
  });
}

describe('estimateHeadPose on synthetic landmarks', () => {
  it('the synthetic angles mean what FaceQuality documents (nose right, nose down, top of the head right)', () => {
    const none = (): number => 0;
    const frontal = project({ yaw: 0, pitch: 0, roll: 0 }, [0, 0, 60], 0, none);
    const turned = project({ yaw: 20, pitch: 0, roll: 0 }, [0, 0, 60], 0, none);
    const down = project({ yaw: 0, pitch: 20, roll: 0 }, [0, 0, 60], 0, none);
    const tilted = project({ yaw: 0, pitch: 0, roll: 20 }, [0, 0, 60], 0, none);
    const noseOffset = (points: Point[]): Point => ({ x: points[30].x - (points[36].x + points[45].x) / 2, y: points[30].y - (points[36].y + points[45].y) / 2 });
    expect(noseOffset(turned).x).toBeGreaterThan(noseOffset(frontal).x + 5);
    expect(noseOffset(down).y).toBeGreaterThan(noseOffset(frontal).y + 5);
    // Top of the head leaning right: the brow centre moves right of the chin.
    expect(tilted[27].x - tilted[8].x).toBeGreaterThan(20);
  });

  it('recovers yaw +-40, pitch +-25 and roll +-30 within 5 degrees, anywhere in the frame, with noisy landmarks', () => {
    const next = gaussian(42);
    const errors: string[] = [];
    let worst = 0;
    let cases = 0;
    for (const yaw of [-40, -25, -10, 0, 10, 25, 40]) {
      for (const pitch of [-25, -12, 0, 12, 25]) {
        for (const roll of [-30, 0, 30]) {
          for (const position of [
            [0, 0, 60],
            [-18, 6, 75],
            [12, -9, 45],
          ] as Vec[]) {
            // Landmark noise of 1.5% of the face width (about 3 px on a face 200 px wide).
            const pose = estimateHeadPose(project({ yaw, pitch, roll }, position, 0.015, next), { width: WIDTH, height: HEIGHT });
            const error = Math.max(Math.abs(pose.yawDeg - yaw), Math.abs(pose.pitchDeg - pitch), Math.abs(pose.rollDeg - roll));
            worst = Math.max(worst, error);
            cases += 1;
            if (error > 5) errors.push(`${yaw}/${pitch}/${roll} at ${position.join(',')}: ${fmt(pose)}`);
          }
        }
      }
    }
    console.log(`[head pose] synthetic: ${cases} poses, worst error ${worst.toFixed(2)} degrees`);
    expect(errors).toEqual([]);
  });

  it('is exact without noise', () => {
    const points = project({ yaw: -33, pitch: 17, roll: -21 }, [8, 4, 55], 0, () => 0);
    const pose = estimateHeadPose(points, { width: WIDTH, height: HEIGHT });
    expect(pose.yawDeg).toBeCloseTo(-33, 3);
    expect(pose.pitchDeg).toBeCloseTo(17, 3);
    expect(pose.rollDeg).toBeCloseTo(-21, 3);
    expect(pose.fitErrorCm).toBeLessThan(1e-4);
  });

  it('answers a pose no gate accepts for landmarks it cannot fit', () => {
    expect(estimateHeadPose([], { width: WIDTH, height: HEIGHT })).toEqual(UNFITTABLE_POSE);
    expect(estimateHeadPose(Array.from({ length: 68 }, () => ({ x: 100, y: 100 })), { width: WIDTH, height: HEIGHT })).toEqual(UNFITTABLE_POSE);
    const broken = project({ yaw: 0, pitch: 0, roll: 0 }, [0, 0, 60], 0, () => 0);
    broken[30] = { x: Number.NaN, y: 0 };
    expect(estimateHeadPose(broken, { width: WIDTH, height: HEIGHT })).toEqual(UNFITTABLE_POSE);
  });
});

/**
 * Eye-corner symmetry, a pose cue that needs no 3D model: where the nose bridge (27-30) sits
 * between the outer eye corners, -1..1, 0 when centred. Positive when the nose bridge is nearer
 * the image's left eye corner, i.e. the face is turned towards the image's left.
 */
function eyeCornerSymmetry(points: Point[]): number {
  const bridge = { x: (points[27].x + points[28].x + points[29].x + points[30].x) / 4, y: (points[27].y + points[28].y + points[29].y + points[30].y) / 4 };
  // Measured along the line between the outer eye corners, so a tilted head is judged fairly.
  const ex = points[45].x - points[36].x;
  const ey = points[45].y - points[36].y;
  const along = ((bridge.x - points[36].x) * ex + (bridge.y - points[36].y) * ey) / (ex * ex + ey * ey);
  return 1 - 2 * along;
}

/**
 * The photos treated as frontal: the nose bridge within 5% of the middle of the outer eye corners
 * (on the mean face that is a yaw under about 4 degrees). This judges the turn, not the nod: a-6
 * and b-2 are chin-down portraits.
 */
const FRONTAL = [
  'person-a-5.jpg', 'person-a-6.jpg', 'person-a-7.jpg', 'person-b-1.jpg', 'person-b-2.jpg', 'person-b-3.jpg', 'person-b-6.jpg',
  'person-b-7.jpg', 'person-c-1.jpg', 'person-c-3.jpg', 'person-c-6.jpg', 'person-d-4.jpg', 'person-f-1.jpg', 'person-f-2.jpg',
];

describe('estimateHeadPose on the shared photos (real ONNX landmarks)', () => {
  let photos: AnalysedPhoto[];
  const poseOf = (a: Pick<FaceAnalysis, 'landmarks' | 'width' | 'height'>): HeadPose => {
    if (!a.landmarks) throw new Error('no landmarks');
    return estimateHeadPose(a.landmarks, a);
  };

  beforeAll(async () => {
    photos = (await analysePhotos()).filter((p) => p.identity !== 'multi-face');
  }, 180_000);
  afterAll(async () => {
    await (await realPipeline()).close();
  });

  it('frontal portraits (by eye-corner symmetry) read within 15 degrees on every axis', () => {
    const frontal = photos.filter((p) => Math.abs(eyeCornerSymmetry(p.analysis.landmarks ?? [])) <= 0.05).map((p) => p.file);
    expect(frontal).toEqual(FRONTAL);
    const readings = photos.filter((p) => FRONTAL.includes(p.file)).map((p) => ({ file: p.file, pose: poseOf(p.analysis) }));
    console.log(`[head pose] frontal portraits: ${readings.map((r) => `${r.file.replace('person-', '').replace('.jpg', '')} ${fmt(r.pose)}`).join('; ')}`);
    for (const { file, pose } of readings) {
      expect(Math.abs(pose.yawDeg), file).toBeLessThanOrEqual(15);
      expect(Math.abs(pose.pitchDeg), file).toBeLessThanOrEqual(15);
      expect(Math.abs(pose.rollDeg), file).toBeLessThanOrEqual(15);
    }
  });

  it('turned portraits read turned, the way the eye corners say, and more than every frontal one', () => {
    const turned = photos.filter((p) => Math.abs(eyeCornerSymmetry(p.analysis.landmarks ?? [])) >= 0.09);
    expect(turned.length).toBeGreaterThanOrEqual(5);
    const frontalMax = Math.max(...photos.filter((p) => FRONTAL.includes(p.file)).map((p) => Math.abs(poseOf(p.analysis).yawDeg)));
    for (const photo of turned) {
      const yaw = poseOf(photo.analysis).yawDeg;
      // Nose bridge nearer the image's left eye corner (symmetry > 0) = nose towards the image's left = yaw < 0.
      expect(Math.sign(yaw), photo.file).toBe(-Math.sign(eyeCornerSymmetry(photo.analysis.landmarks ?? [])));
      expect(Math.abs(yaw), photo.file).toBeGreaterThan(frontalMax);
    }
  });

  it('a mirrored photo reads the opposite yaw and roll; a photo rotated 15 degrees clockwise reads 15 degrees more roll', async () => {
    const pipeline = await realPipeline();
    const frame = (extra: string): Promise<FaceAnalysis> =>
      pipeline.analyse(composeFrame(['person-c-2.jpg'], `color=black:s=640x480[bg];[0:v]scale=-1:300${extra}[f];[bg][f]overlay=(W-w)/2:(H-h)/2[out]`));
    const upright = poseOf(await frame(''));
    const mirrored = poseOf(await frame(',hflip'));
    const rotated = poseOf(await frame(',rotate=15*PI/180:ow=rotw(15*PI/180):oh=roth(15*PI/180)'));
    expect(Math.abs(mirrored.yawDeg + upright.yawDeg)).toBeLessThan(3);
    expect(Math.abs(mirrored.rollDeg + upright.rollDeg)).toBeLessThan(3);
    expect(rotated.rollDeg - upright.rollDeg).toBeGreaterThan(11);
    expect(rotated.rollDeg - upright.rollDeg).toBeLessThan(19);
  }, 60_000);

  it("the issue's head-and-shoulders portrait with a mild turn reads a mild turn, not ~35-60 degrees, and passes the pose gate", async () => {
    // The right half of couple.jpg: a man in suit and tie, turned slightly to the image's right.
    // The old nose-to-jaw ratio read 62 degrees here (and 35 on the issue's own photo).
    const pipeline = await realPipeline();
    const analysis = await pipeline.analyse(composeFrame(['couple.jpg'], 'color=black:s=640x480[bg];[0:v]crop=iw*0.46:ih:iw*0.54:0,scale=-1:480[f];[bg][f]overlay=(W-w)/2:0[out]'));
    expect(analysis.faces).toHaveLength(1);
    const pose = poseOf(analysis);
    console.log(`[head pose] head-and-shoulders portrait, mild turn: ${fmt(pose)}, eye-corner symmetry ${eyeCornerSymmetry(analysis.landmarks ?? []).toFixed(2)}`);
    expect(pose.yawDeg).toBeGreaterThan(10);
    expect(pose.yawDeg).toBeLessThan(25);
    expect(analysis.quality?.yawDeg).toBeCloseTo(pose.yawDeg, 6);
    expect(guidanceFor(analysis)).toBe('ok');
  }, 60_000);
});

function fmt(pose: HeadPose): string {
  return `yaw ${pose.yawDeg.toFixed(1)}, pitch ${pose.pitchDeg.toFixed(1)}, roll ${pose.rollDeg.toFixed(1)}`;
}
