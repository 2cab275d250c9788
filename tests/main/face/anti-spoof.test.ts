/**
 * The passive liveness score through the face service in each mode (real pipeline, real SQLite, a
 * person enrolled from a webcam capture): the same person live is named unflagged with a high
 * median score; a hand-held print of them is asked to come closer and never named: the default
 * mode asks it for a head turn, the passive mode refuses it; with liveness off nothing is scored
 * and the print is named.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaceDecision } from '../../../src/main/face/face-types';
import { isSpoofSuspected, SPOOF_THRESHOLD } from '../../../src/main/face/anti-spoof';
import { createFaceService } from '../../../src/main/face/face-service';
import type { RgbFrame } from '../../../src/main/face/pipeline/types';
import { qualityScore } from '../../../src/main/face/quality-guidance';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { createMemorySecretStore } from '../../../src/main/secrets/secret-store';
import { defaultConfig, type KioskConfig } from '../../../src/shared/config/schema';
import type { FaceObservation } from '../../../src/shared/domain/types';
import { decodeImageFile } from '../../support/media/photos';
import { emptyFrame, manualClock, realPipeline, tempDatabase } from './face-test-support';
import { SPOOF_DATA_MISSING, spoofDir } from './pipeline/spoof-data';

const dir = spoofDir();
const STAFF = 42;

describe('the single-frame operating point', () => {
  it('flags only scores below it; an unknown score is not flagged', () => {
    expect(isSpoofSuspected(0.3)).toBe(true);
    expect(isSpoofSuspected(SPOOF_THRESHOLD)).toBe(false);
    expect(isSpoofSuspected(null)).toBe(false);
  });
});

describe.skipIf(!dir)(`liveness in the face service${dir ? '' : ` (${SPOOF_DATA_MISSING})`}`, () => {
  const frame = (file: string): RgbFrame => decodeImageFile(join(dir ?? '', 'nuaa_imironica', file));
  let live: RgbFrame[];
  let print: RgbFrame[];

  beforeAll(() => {
    live = ['real_0002_01_00_01_85.jpg', 'real_0002_01_00_01_150.jpg', 'real_0002_01_00_01_319.jpg'].map(frame);
    print = ['spoof_0002_01_00_01_166.jpg', 'spoof_0002_01_00_01_495.jpg', 'spoof_0002_01_01_02_0.jpg'].map(frame);
  });
  afterAll(async () => {
    await (await realPipeline()).close();
  });

  function withLiveness(liveness: KioskConfig['recognition']['liveness']): KioskConfig {
    const config = defaultConfig();
    return { ...config, recognition: { ...config.recognition, liveness } };
  }

  async function kiosk(config: KioskConfig = defaultConfig()) {
    const pipeline = await realPipeline();
    const clock = manualClock();
    const face = createFaceService({ analyser: pipeline, db: tempDatabase().db, secrets: createMemorySecretStore(), config, logger: createMemoryLogger(), clock });
    const enrolment = await pipeline.analyse(frame('real_0002_01_00_01_14.jpg'));
    if (!enrolment.descriptor || !enrolment.quality) throw new Error('no descriptor for the enrolment frame');
    face.templates.addTemplate(STAFF, enrolment.descriptor, 'test-enrolment', qualityScore(enrolment.quality));
    const decisions: FaceDecision[] = [];
    const observations: FaceObservation[] = [];
    face.onDecision((d) => decisions.push(d));
    face.onObservation((o) => observations.push(o));
    await face.start();
    let seq = 0;
    const show = async (frames: RgbFrame[]): Promise<void> => {
      for (const f of [...frames, emptyFrame(), emptyFrame(), emptyFrame()]) {
        face.submit({ seq: seq++, rgb: f.rgb.slice(), width: f.width, height: f.height, capturedAt: Date.now() });
        await face.idle();
        // Frames a camera would deliver ~0.2 s apart: the empty ones end the face's track.
        clock.advance(200);
      }
    };
    return { face, decisions, observations, show };
  }

  it('default mode: the live person is named unflagged; their print is asked to come closer and to turn its head, never named', async () => {
    const { face, decisions, observations, show } = await kiosk();
    await show(live);
    const first = decisions.find((d) => d.kind === 'recognised');
    expect(first).toMatchObject({ kind: 'recognised', match: { staffId: STAFF, spoofSuspected: false, livenessCheck: { mode: 'challenge_when_doubtful', verdict: 'live' } } });
    expect(first?.kind === 'recognised' && first.match.liveness).toBeGreaterThan(0.9);
    expect(observations.filter((o) => o.hasMainFace).every((o) => o.guidance === 'ok')).toBe(true);
    expect(face.stats().stageMs.liveness).toBeGreaterThan(0);

    const before = decisions.length;
    const seen = observations.length;
    await show(print);
    const after = decisions.slice(before);
    expect(after.some((d) => d.kind === 'recognised')).toBe(false);
    expect(after.map((d) => d.kind)).toContain('challenge');
    expect(observations.slice(seen).filter((o) => o.hasMainFace).map((o) => o.guidance)).toContain('move_closer');
    await face.stop();
  }, 120_000);

  it('passive mode: the print is refused as a photo (no name), the live person named', async () => {
    const { face, decisions, show } = await kiosk(withLiveness('passive'));
    await show(print);
    expect(decisions.some((d) => d.kind === 'recognised')).toBe(false);
    expect(decisions.find((d) => d.kind === 'liveness_failed')).toMatchObject({ reason: 'spoof', failures: 1 });
    await show(live);
    expect(decisions.find((d) => d.kind === 'recognised')).toMatchObject({ match: { staffId: STAFF, spoofSuspected: false } });
    await face.stop();
  }, 120_000);

  it('with liveness off in the config the print is not scored, and named', async () => {
    const { face, decisions, show } = await kiosk(withLiveness('off'));
    await show(print);
    expect(decisions.find((d) => d.kind === 'recognised')).toMatchObject({ match: { staffId: STAFF, liveness: null, spoofSuspected: false } });
    await face.stop();
  }, 120_000);
});
