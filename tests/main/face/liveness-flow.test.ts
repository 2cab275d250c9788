/**
 * Liveness through the face service (real photo analysis of an enrolled person, its passive score
 * and head pose scripted frame by frame, real SQLite): a doubtful face is asked to turn its head
 * and named once it does; a photo-like score that turns is named but flagged with a review note;
 * a face that does not turn is never named, and its second failure counts as the second; the
 * passive mode refuses a photo-like face outright and names a live one at once. The face in view
 * offered to "Clock without face" carries its liveness verdict.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaceDecision } from '../../../src/main/face/face-types';
import { createFaceService } from '../../../src/main/face/face-service';
import { reviewNote } from '../../../src/main/face/liveness-decision';
import type { FaceAnalysis } from '../../../src/main/face/pipeline/types';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { createMemorySecretStore } from '../../../src/main/secrets/secret-store';
import { defaultConfig, type KioskConfig, type LivenessMode } from '../../../src/shared/config/schema';
import { analysePhotos, manualClock, realPipeline, tempDatabase, type AnalysedPhoto } from './face-test-support';

const STAFF = 5;
/** What the camera shows in one frame: the enrolled face with this passive score, turned this far. */
interface Shot {
  /** The passive p(real); null: the worker has no anti-spoof models. */
  real: number | null;
  yawDeg: number;
}

let person: AnalysedPhoto;

beforeAll(async () => {
  const photos = await analysePhotos();
  person = photos.find((p) => p.file === 'person-a-1.jpg') as AnalysedPhoto;
}, 180_000);

afterAll(async () => {
  await (await realPipeline()).close();
});

async function kiosk(mode: LivenessMode = 'challenge_when_doubtful') {
  const clock = manualClock();
  const config: KioskConfig = { ...defaultConfig(), recognition: { ...defaultConfig().recognition, liveness: mode } };
  let shot: Shot = { real: 0.99, yawDeg: 0 };
  const base = person.analysis;
  if (!base.quality || !base.descriptor) throw new Error('person-a-1.jpg has no usable face');
  const analyser = {
    analyse: async (): Promise<FaceAnalysis> => ({
      ...base,
      quality: { ...base.quality!, yawDeg: shot.yawDeg },
      liveness: shot.real === null ? null : { real: shot.real, v2: shot.real, v1se: shot.real },
    }),
  };
  // Math.random replaced: the challenge asks for a turn to the person's left (a positive yaw).
  const face = createFaceService({ analyser, db: tempDatabase().db, secrets: createMemorySecretStore(), config, logger: createMemoryLogger(), clock, random: () => 0.1 });
  face.templates.addTemplate(STAFF, base.descriptor, 'test', 1);
  const decisions: FaceDecision[] = [];
  face.onDecision((d) => decisions.push(d));
  await face.start();
  let seq = 0;
  /** Shows `count` frames of `next`, 100 ms apart (10 analysed frames a second). */
  const show = async (next: Shot, count: number): Promise<void> => {
    shot = next;
    for (let i = 0; i < count; i += 1) {
      face.submit({ seq: seq++, rgb: person.frame.rgb, width: person.frame.width, height: person.frame.height, capturedAt: 0 });
      await face.idle();
      clock.advance(100);
    }
  };
  return { face, decisions, show };
}

const kinds = (decisions: FaceDecision[]): string[] => decisions.map((d) => d.kind);

describe('liveness in the face service', () => {
  it('default mode: a live score is named at once, without a challenge', async () => {
    const { decisions, show } = await kiosk();
    await show({ real: 0.97, yawDeg: 1 }, 4);
    expect(kinds(decisions)).toEqual(['recognised']);
    expect(decisions[0]).toMatchObject({ match: { staffId: STAFF, spoofSuspected: false, livenessCheck: { verdict: 'live', challenge: null } } });
  });

  it('default mode: a doubtful face is asked to turn left, and named unflagged once it does', async () => {
    const { decisions, show } = await kiosk();
    await show({ real: 0.5, yawDeg: 1 }, 4);
    expect(decisions).toEqual([expect.objectContaining({ kind: 'challenge', action: 'turn_left', attempt: 1, timeoutMs: 3000 })]);
    await show({ real: 0.5, yawDeg: 17 }, 2);
    const named = decisions.at(-1);
    expect(named).toMatchObject({ kind: 'recognised', match: { staffId: STAFF, spoofSuspected: false, livenessCheck: { verdict: 'doubtful', challenge: { action: 'turn_left', attempt: 1 } } } });
  });

  it('default mode: a photo-like score that turns on cue is named, and its punch flagged with the scores', async () => {
    const { decisions, show } = await kiosk();
    await show({ real: 0.1, yawDeg: 0 }, 4);
    await show({ real: 0.1, yawDeg: 16 }, 2);
    const named = decisions.find((d) => d.kind === 'recognised');
    if (named?.kind !== 'recognised' || !named.match.livenessCheck) throw new Error(`not named: ${kinds(decisions).join(', ')}`);
    expect(named.match).toMatchObject({ spoofSuspected: true, liveness: 0.1 });
    expect(reviewNote(named.match.livenessCheck)).toMatch(/^looked like a photo or a screen: p\(real\) 0\.10 .* turned the head to the left on cue \(\d+ degrees, attempt 1\)$/);
  });

  it('default mode: a face that does not turn (a photo) is never named; Start again asks again, and the second failure is counted', async () => {
    const { face, decisions, show } = await kiosk();
    await show({ real: 0.1, yawDeg: 0 }, 4 + 31);
    expect(kinds(decisions)).toEqual(['challenge', 'liveness_failed']);
    expect(decisions[1]).toMatchObject({ reason: 'timeout', failures: 1 });
    // Nothing more for this face until the person asks for a fresh decision.
    await show({ real: 0.1, yawDeg: 0 }, 10);
    expect(kinds(decisions)).toEqual(['challenge', 'liveness_failed']);
    face.startAgain();
    await show({ real: 0.1, yawDeg: 0 }, 3 + 31);
    expect(kinds(decisions)).toEqual(['challenge', 'liveness_failed', 'challenge', 'liveness_failed']);
    expect(decisions[2]).toMatchObject({ attempt: 2 });
    expect(decisions[3]).toMatchObject({ reason: 'timeout', failures: 2 });
  });

  it('default mode: turning the wrong way does not pass', async () => {
    const { decisions, show } = await kiosk();
    await show({ real: 0.5, yawDeg: 0 }, 4);
    await show({ real: 0.5, yawDeg: -18 }, 31);
    expect(kinds(decisions)).toEqual(['challenge', 'liveness_failed']);
  });

  it('passive mode: a photo-like face is refused without a challenge, a doubtful one named and flagged', async () => {
    const refused = await kiosk('passive');
    await refused.show({ real: 0.1, yawDeg: 0 }, 4);
    expect(refused.decisions).toEqual([expect.objectContaining({ kind: 'liveness_failed', reason: 'spoof', failures: 1 })]);
    const flagged = await kiosk('passive');
    await flagged.show({ real: 0.5, yawDeg: 0 }, 4);
    expect(flagged.decisions).toEqual([expect.objectContaining({ kind: 'recognised', match: expect.objectContaining({ spoofSuspected: true }) })]);
  });

  it('always mode: even a live score must turn its head', async () => {
    const { decisions, show } = await kiosk('always_challenge');
    await show({ real: 0.99, yawDeg: 0 }, 4);
    expect(kinds(decisions)).toEqual(['challenge']);
    await show({ real: 0.99, yawDeg: 15 }, 2);
    expect(decisions.at(-1)).toMatchObject({ kind: 'recognised', match: { spoofSuspected: false } });
  });

  it('the face in view for Clock without face carries its liveness: live, in doubt after a failed check, not checked when off or unscored', async () => {
    const live = await kiosk();
    await live.show({ real: 0.99, yawDeg: 0 }, 4);
    expect(live.face.liveDescriptorInView()?.liveness).toBe('live');

    const failed = await kiosk();
    await failed.show({ real: 0.5, yawDeg: 0 }, 4);
    await failed.show({ real: 0.5, yawDeg: -18 }, 31);
    expect(kinds(failed.decisions)).toEqual(['challenge', 'liveness_failed']);
    expect(failed.face.liveDescriptorInView()?.liveness).toBe('in_doubt');

    const doubtful = await kiosk('passive');
    await doubtful.show({ real: 0.5, yawDeg: 0 }, 4);
    expect(doubtful.face.liveDescriptorInView()?.liveness).toBe('in_doubt');

    // A photo-like face is not offered at all.
    const photo = await kiosk('passive');
    await photo.show({ real: 0.1, yawDeg: 0 }, 4);
    expect(photo.face.liveDescriptorInView()).toBeNull();

    const off = await kiosk('off');
    await off.show({ real: 0.99, yawDeg: 0 }, 4);
    expect(off.face.liveDescriptorInView()?.liveness).toBe('not_checked');

    const unscored = await kiosk();
    await unscored.show({ real: null, yawDeg: 0 }, 4);
    expect(unscored.face.liveDescriptorInView()?.liveness).toBe('not_checked');
  });
});
