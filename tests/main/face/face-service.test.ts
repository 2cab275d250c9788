/** FaceService plumbing with the real pipeline: frames are dropped (not queued) while busy, analyser failures are logged and survived, "Not you?" and live threshold changes apply. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaceDecision } from '../../../src/main/face/face-types';
import { createFaceService, type FaceAnalyser } from '../../../src/main/face/face-service';
import { defaultConfig, type KioskConfig } from '../../../src/shared/config/schema';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { createMemorySecretStore } from '../../../src/main/secrets/secret-store';
import type { FaceObservation } from '../../../src/shared/domain/types';
import { analysePhotos, emptyFrame, manualClock, realPipeline, replayingAnalyser, tempDatabase, type AnalysedPhoto } from './face-test-support';

let photos: AnalysedPhoto[];
const photo = (file: string): AnalysedPhoto => photos.find((p) => p.file === file) as AnalysedPhoto;

beforeAll(async () => {
  photos = (await analysePhotos()).filter((p) => ['person-a-1.jpg', 'person-a-2.jpg', 'person-b-1.jpg', 'couple.jpg'].includes(p.file));
}, 180_000);

afterAll(async () => {
  await (await realPipeline()).close();
});

async function make(analyser: FaceAnalyser, config: () => KioskConfig = defaultConfig) {
  const logger = createMemoryLogger();
  const clock = manualClock();
  const face = createFaceService({ analyser, db: tempDatabase().db, secrets: createMemorySecretStore(), config, logger, clock });
  const decisions: FaceDecision[] = [];
  const observations: FaceObservation[] = [];
  face.onDecision((d) => decisions.push(d));
  face.onObservation((o) => observations.push(o));
  await face.start();
  return { face, logger, decisions, observations, clock };
}

describe('FaceService', () => {
  it('drops frames while the real pipeline is busy instead of queueing them', async () => {
    const pipeline = await realPipeline();
    const { face, observations } = await make(pipeline);
    const frame = photo('person-a-1.jpg').frame;
    for (let seq = 0; seq < 5; seq += 1) face.submit({ seq, ...frame, capturedAt: Date.now() });
    await face.idle();
    expect(observations.map((o) => o.frameSeq)).toEqual([0]);
    expect(face.stats().droppedFrames).toBe(4);
    face.submit({ seq: 5, ...frame, capturedAt: Date.now() });
    await face.idle();
    expect(observations.map((o) => o.frameSeq)).toEqual([0, 5]);
    expect(face.stats().stageMs.total).toBeGreaterThan(0);
  }, 60_000);

  it('counts a busy analyser\'s null as a drop and survives an analyser that throws', async () => {
    const real = replayingAnalyser(photos, await realPipeline());
    let mode: 'null' | 'throw' | 'real' = 'null';
    const { face, logger, observations } = await make({
      analyse: async (frame) => {
        if (mode === 'null') return null;
        if (mode === 'throw') throw new Error('worker crashed');
        return real.analyse(frame);
      },
    });
    const frame = photo('person-a-1.jpg').frame;
    face.submit({ seq: 1, ...frame, capturedAt: 0 });
    await face.idle();
    mode = 'throw';
    face.submit({ seq: 2, ...frame, capturedAt: 0 });
    await face.idle();
    mode = 'real';
    face.submit({ seq: 3, ...frame, capturedAt: 0 });
    await face.idle();
    expect(face.stats().droppedFrames).toBe(1);
    expect(logger.records.some((r) => r.level === 'warn' && /face analysis failed/.test(r.message))).toBe(true);
    expect(observations.map((o) => o.frameSeq)).toEqual([3]);
    expect(observations[0]).toMatchObject({ hasMainFace: true, guidance: 'ok' });
  }, 60_000);

  it('puts the main face first in observations and gives group guidance', async () => {
    const { face, observations } = await make(replayingAnalyser(photos));
    const couple = photo('couple.jpg');
    face.submit({ seq: 1, ...couple.frame, capturedAt: 0 });
    await face.idle();
    const main = couple.analysis.faces[couple.analysis.mainIndex].box;
    expect(observations[0].faces).toHaveLength(couple.analysis.faces.length);
    expect(observations[0].faces[0].x).toBeCloseTo(Math.max(0, main.x), 6);
    expect(observations[0].guidance).toBe('one_at_a_time');
  }, 60_000);

  it('honours "Not you?" and threshold changes made while running', async () => {
    let config = defaultConfig();
    const { face, decisions, clock } = await make(replayingAnalyser(photos, await realPipeline()), () => config);
    const a1 = photo('person-a-1.jpg');
    face.templates.addTemplate(1, a1.analysis.descriptor as Float32Array, 'test', 1);
    face.templates.addTemplate(2, photo('person-b-1.jpg').analysis.descriptor as Float32Array, 'test', 1);
    const show = async (file: string, times: number) => {
      for (let i = 0; i < times; i += 1) {
        face.submit({ seq: i, ...photo(file).frame, capturedAt: 0 });
        await face.idle();
        clock.advance(66);
      }
    };
    await show('person-a-2.jpg', 3);
    expect(decisions).toMatchObject([{ kind: 'recognised', match: { staffId: 1 }, trackId: 1 }]);
    expect(face.rejectTrack(1)).toBe(true);
    await show('person-a-2.jpg', 6);
    expect(decisions.filter((d) => d.kind === 'recognised')).toHaveLength(1);
    // The face leaves; with a much stricter threshold the same photo is no longer accepted.
    const blank = emptyFrame();
    for (let i = 0; i < 10; i += 1) {
      face.submit({ seq: 100 + i, ...blank, capturedAt: 0 });
      await face.idle();
      clock.advance(66);
    }
    expect(decisions.at(-1)).toMatchObject({ kind: 'gone', reason: 'left', trackId: 1 });
    config = { ...config, recognition: { ...config.recognition, threshold: 0.2 } };
    await show('person-a-2.jpg', 6);
    expect(decisions.filter((d) => d.kind === 'recognised')).toHaveLength(1);
    expect(decisions[decisions.length - 1]).toMatchObject({ kind: 'unknown', reason: 'not_enrolled' });
  }, 60_000);
});
