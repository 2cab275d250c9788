/**
 * Enrolment through the FaceService with the real pipeline and real photos: five good, varied
 * captures with consent; refusal of poor quality, of a face that already belongs to someone, and of
 * a second face mid-capture; the HotelMate registration callback gets a real JPEG and the descriptor
 * it registered is the one kept for syncing.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFfmpegPath } from '../../../src/main/face/jpeg';
import type { EnrolmentStep } from '../../../src/shared/domain/enrolment';
import { createFaceService, type FaceService } from '../../../src/main/face/face-service';
import { chooseTemplates, type OnEnrolled } from '../../../src/main/face/enrolment';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { createMemorySecretStore } from '../../../src/main/secrets/secret-store';
import type { FaceDecision } from '../../../src/main/face/face-types';
import { analysePhotos, manualClock, realPipeline, replayingAnalyser, stillPhotoConfig, tempDatabase, type AnalysedPhoto, type ManualClock } from './face-test-support';

const ffmpegPath = defaultFfmpegPath();
let photos: AnalysedPhoto[];
const byFile = (file: string): AnalysedPhoto => {
  const photo = photos.find((p) => p.file === file);
  if (!photo) throw new Error(`missing photo ${file}`);
  return photo;
};

beforeAll(async () => {
  photos = await analysePhotos();
}, 180_000);

afterAll(async () => {
  await (await realPipeline()).close();
});

async function setup(onEnrolled?: OnEnrolled, enrolment: { needed?: number } = {}) {
  const { db } = tempDatabase();
  const clock = manualClock();
  const logger = createMemoryLogger();
  const face = createFaceService({
    analyser: replayingAnalyser(photos, await realPipeline()),
    db,
    secrets: createMemorySecretStore(),
    config: stillPhotoConfig(),
    logger,
    clock,
    onEnrolled,
    enrolment: { timeoutMs: 20_000, ...enrolment },
  });
  const steps: EnrolmentStep[] = [];
  face.enrolment.onProgress((s) => steps.push(s));
  await face.start();
  return { face, clock, logger, steps };
}

async function feed(face: FaceService, clock: ManualClock, files: string[]): Promise<void> {
  for (const [seq, file] of files.entries()) {
    clock.advance(300);
    face.submit({ seq, ...byFile(file).frame, capturedAt: clock.now().getTime() });
    await face.idle();
  }
}

const personA = ['person-a-1.jpg', 'person-a-2.jpg', 'person-a-3.jpg', 'person-a-4.jpg', 'person-a-5.jpg', 'person-a-6.jpg'];

describe('enrolment', () => {
  it('captures five varied frames, records consent, registers one with a real JPEG, then recognises the person', async () => {
    const calls: { staffId: number; descriptor: Float32Array; url: string }[] = [];
    const { face, clock, logger, steps } = await setup(async (staffId, descriptor, url) => {
      calls.push({ staffId, descriptor, url });
      return { registered: true, queued: false };
    });
    expect(face.enrolment.start(100, 'I consent to my face template being stored on this kiosk.', 'manager:ciara')).toMatchObject({ state: 'capturing', captured: 0, needed: 5 });
    await feed(face, clock, personA);
    expect(face.enrolment.current()).toEqual({ state: 'done', staffId: 100, templates: 5, registeredWithServer: true, queued: false });
    expect(steps.filter((s) => s.state === 'capturing').map((s) => (s.state === 'capturing' ? s.captured : -1))).toEqual([0, 1, 2, 3, 4, 5]);

    expect(calls).toHaveLength(1);
    expect(calls[0].staffId).toBe(100);
    expect(calls[0].url.startsWith('data:image/jpeg;base64,')).toBe(true);
    const jpeg = Buffer.from(calls[0].url.slice('data:image/jpeg;base64,'.length), 'base64');
    expect([jpeg[0], jpeg[1], jpeg[jpeg.length - 2], jpeg[jpeg.length - 1]]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
    expect(Array.from(face.templates.registeredTemplate(100) ?? [])).toEqual(Array.from(calls[0].descriptor));
    expect(face.templates.list()).toMatchObject([{ staffId: 100, templates: 5, registeredWithServer: true }]);
    expect(face.templates.consent(100)).toMatchObject({ recordedBy: 'manager:ciara', consentText: expect.stringContaining('I consent') });
    // Never an image or a descriptor in the log.
    expect(JSON.stringify(logger.records)).not.toMatch(/base64|data:image/);

    const decisions: FaceDecision[] = [];
    face.onDecision((d) => decisions.push(d));
    await feed(face, clock, ['person-a-7.jpg', 'person-a-7.jpg', 'person-a-7.jpg']);
    expect(decisions).toMatchObject([{ kind: 'recognised', match: { staffId: 100 } }]);
  }, 120_000);

  it('refuses a face that already matches another enrolled person', async () => {
    const { face, clock } = await setup();
    face.enrolment.start(100, 'consent', 'manager');
    await feed(face, clock, personA);
    expect(face.enrolment.current()).toMatchObject({ state: 'done', registeredWithServer: false, queued: false });
    face.enrolment.start(200, 'consent', 'manager');
    await feed(face, clock, ['person-a-7.jpg', 'person-a-8.jpg']);
    expect(face.enrolment.current()).toEqual({ state: 'failed', staffId: 200, reason: 'already_enrolled:100' });
    expect(face.templates.list().map((p) => p.staffId)).toEqual([100]);
  }, 120_000);

  it('refuses poor quality: a group photo is never captured, and the session times out', async () => {
    const { face, clock, steps } = await setup();
    face.enrolment.start(300, 'consent', 'manager');
    await feed(face, clock, ['couple.jpg', 'selfie-many-people.jpg', 'couple.jpg']);
    expect(face.enrolment.current()).toMatchObject({ state: 'capturing', captured: 0, hint: 'one_at_a_time' });
    clock.advance(21_000);
    await feed(face, clock, ['couple.jpg']);
    expect(face.enrolment.current()).toEqual({ state: 'failed', staffId: 300, reason: 'no_good_frames' });
    expect(face.templates.count()).toBe(0);
    expect(steps.some((s) => s.state === 'capturing' && s.captured > 0)).toBe(false);
  }, 120_000);

  it('a face that does not move gives one capture, is asked to turn the head, then is enrolled with what was seen', async () => {
    const { face, clock, logger } = await setup();
    face.enrolment.start(500, 'consent', 'manager');
    await feed(face, clock, Array.from({ length: 8 }, () => 'person-a-1.jpg'));
    expect(face.enrolment.current()).toEqual({ state: 'capturing', staffId: 500, captured: 1, needed: 5, hint: 'turn_head_slightly' });
    expect(face.templates.count()).toBe(0);
    // With no new pose for 3 s the kiosk stops asking and keeps the one distinct capture.
    await feed(face, clock, Array.from({ length: 8 }, () => 'person-a-1.jpg'));
    expect(face.enrolment.current()).toEqual({ state: 'done', staffId: 500, templates: 1, registeredWithServer: false, queued: false });
    expect(face.templates.list()).toMatchObject([{ staffId: 500, templates: 1 }]);
    expect(logger.records.some((r) => r.message === 'enrolment captured')).toBe(true);
  }, 120_000);

  it('with one capture needed, the first good frame completes the enrolment (no head-turn spread over a single capture)', async () => {
    const { face, clock } = await setup(undefined, { needed: 1 });
    expect(face.enrolment.start(600, 'consent', 'manager')).toMatchObject({ state: 'capturing', needed: 1 });
    await feed(face, clock, ['person-b-3.jpg']);
    expect(face.enrolment.current()).toEqual({ state: 'done', staffId: 600, templates: 1, registeredWithServer: false, queued: false });
    const decisions: FaceDecision[] = [];
    face.onDecision((d) => decisions.push(d));
    await feed(face, clock, ['person-b-5.jpg', 'person-b-5.jpg', 'person-b-5.jpg']);
    expect(decisions).toMatchObject([{ kind: 'recognised', match: { staffId: 600 } }]);
  }, 120_000);

  it('keeps the templates that cover the head turns it saw when it saw more frames than it needs', async () => {
    const { face, clock, logger } = await setup(undefined, { needed: 3 });
    face.enrolment.start(700, 'consent', 'manager');
    // a-5, a-6 and a-7 face the camera (yaws within about 2 degrees: too alike to complete), then a-4
    // turns: of the four captures, the three kept include both ends of the yaw range seen.
    const files = ['person-a-5.jpg', 'person-a-6.jpg', 'person-a-7.jpg', 'person-a-4.jpg'];
    await feed(face, clock, files);
    expect(face.enrolment.current()).toMatchObject({ state: 'done', staffId: 700, templates: 3 });
    const yaws = files.map((file) => byFile(file).analysis.quality?.yawDeg ?? Number.NaN);
    const summary = logger.records.find((r) => r.message === 'enrolment captured');
    expect(summary?.fields).toMatchObject({ candidates: 4, templates: 3, yawFrom: Math.round(Math.min(...yaws) * 10) / 10, yawTo: Math.round(Math.max(...yaws) * 10) / 10 });
  }, 120_000);

  it('stops when a different face replaces the first mid-capture', async () => {
    const { face, clock } = await setup();
    face.enrolment.start(400, 'consent', 'manager');
    await feed(face, clock, ['person-b-1.jpg', 'person-b-2.jpg', 'person-c-1.jpg']);
    expect(face.enrolment.current()).toEqual({ state: 'failed', staffId: 400, reason: 'different_faces' });
    expect(face.templates.count()).toBe(0);
  }, 120_000);

  it('keeps the templates and reports queued when HotelMate is offline, or nothing when registration fails', async () => {
    const offline = await setup(async () => ({ registered: false, queued: true }));
    offline.face.enrolment.start(100, 'consent', 'manager');
    await feed(offline.face, offline.clock, personA);
    expect(offline.face.enrolment.current()).toEqual({ state: 'done', staffId: 100, templates: 5, registeredWithServer: false, queued: true });
    expect(offline.face.templates.registeredTemplate(100)).not.toBeNull();

    const failing = await setup(async () => {
      throw new Error('HTTP 500');
    });
    failing.face.enrolment.start(100, 'consent', 'manager');
    await feed(failing.face, failing.clock, personA);
    expect(failing.face.enrolment.current()).toEqual({ state: 'done', staffId: 100, templates: 5, registeredWithServer: false, queued: false });
    expect(failing.face.templates.registeredTemplate(100)).toBeNull();
    expect(failing.logger.records.some((r) => r.level === 'error' && /registering the enrolled face/.test(r.message))).toBe(true);
  }, 120_000);

  it('refuses to start without consent text, and cancel returns to idle', async () => {
    const { face } = await setup();
    expect(face.enrolment.start(5, '   ', 'manager')).toEqual({ state: 'failed', staffId: 5, reason: 'consent_missing' });
    face.enrolment.start(5, 'consent', 'manager');
    expect(face.enrolment.cancel()).toEqual({ state: 'idle' });
  }, 60_000);
});

describe('chooseTemplates', () => {
  const capture = (yaw: number, pitch: number, quality: number) => ({ yaw, pitch, quality });
  it('keeps the registration capture, both ends of the yaw range, then the poses furthest from those kept', () => {
    const captures = [capture(-1, 0, 0.5), capture(0, 0, 0.9), capture(1, 0, 0.5), capture(8, 0, 0.4), capture(-7, 0, 0.4), capture(2, 9, 0.3), capture(3, 1, 0.6)];
    expect(chooseTemplates(captures, 3, 1)).toEqual([captures[1], captures[3], captures[4]]);
    expect(chooseTemplates(captures, 4, 1)).toEqual([captures[1], captures[3], captures[4], captures[5]]);
    expect(chooseTemplates(captures, 10, 1)).toEqual(captures);
    expect(chooseTemplates([captures[0]], 5, 0)).toEqual([captures[0]]);
  });
});

describe('enrolment with the real worker client', () => {
  it('still gets the registration photo when the worker takes ownership of (transfers) the frame pixels', async () => {
    const { createFaceWorkerClient } = await import('../../../src/main/face/worker/face-worker-client');
    const { MODELS_DIR } = await import('./face-test-support');
    const worker = await createFaceWorkerClient({ modelsDir: MODELS_DIR, logger: createMemoryLogger(), threads: 1 });
    try {
      const { db } = tempDatabase();
      const clock = manualClock();
      const urls: string[] = [];
      const face = createFaceService({
        analyser: worker,
        db,
        secrets: createMemorySecretStore(),
        config: stillPhotoConfig(),
        logger: createMemoryLogger(),
        clock,
        onEnrolled: async (_staffId, _descriptor, url) => {
          urls.push(url);
          return { registered: true, queued: false };
        },
      });
      await face.start();
      face.enrolment.start(100, 'consent', 'manager');
      for (const [seq, file] of personA.entries()) {
        clock.advance(300);
        const frame = byFile(file).frame;
        const copy = frame.rgb.slice();
        face.submit({ seq, width: frame.width, height: frame.height, rgb: copy, capturedAt: 0 });
        await face.idle();
        expect(copy.length, 'the worker client transfers the pixels').toBe(0);
      }
      expect(face.enrolment.current()).toMatchObject({ state: 'done', templates: 5, registeredWithServer: true });
      expect(urls).toHaveLength(1);
      const jpeg = Buffer.from(urls[0].split(',')[1], 'base64');
      expect(jpeg.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
      // A real picture, not the black square a detached buffer would give.
      const grey = execFileSync(ffmpegPath, ['-v', 'error', '-i', 'pipe:0', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'], { input: jpeg });
      const mean = grey.reduce((sum, v) => sum + v, 0) / grey.length;
      const std = Math.sqrt(grey.reduce((sum, v) => sum + (v - mean) ** 2, 0) / grey.length);
      expect(std).toBeGreaterThan(20);
      expect(face.stats().workerRestarts).toBe(0);
    } finally {
      await worker.close();
    }
  }, 180_000);
});
