/**
 * Templates that follow the person, with real descriptors of the shared photos (the kiosk's own
 * ONNX pipeline): a confident recognition whose punch synced is adopted and matched from then on;
 * a punch in review, a doubtful recognition or a descriptor closer to another person than the
 * margin never is; at most five per person, the oldest replaced; erased with the person.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FaceMatch } from '../../../src/main/face/face-types';
import { CONFIDENT_SHARE_OF_THRESHOLD, createLiveTemplates, isConfidentRecognition } from '../../../src/main/face/live-templates';
import { createTemplateStore, LIVE_SOURCE, MAX_LIVE_TEMPLATES, type TemplateStore } from '../../../src/main/face/template-store';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { createMemorySecretStore } from '../../../src/main/secrets/secret-store';
import { photoDescriptor } from '../../support/demo-world';
import { facePhotos } from '../../support/media/face-video';
import { manualClock, tempDatabase } from './face-test-support';

const SETTINGS = { threshold: 0.48, margin: 0.08 };
const A = 1;
const B = 2;

async function descriptorsOf(identity: string): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (const file of facePhotos({ identity })) {
    try {
      out.push(await photoDescriptor(path.basename(file)));
    } catch {
      // A photo the pipeline finds no face in is not a descriptor.
    }
  }
  return out;
}

/** A store with person A enrolled from their first photo and person B from theirs. */
async function gallery(): Promise<{ store: TemplateStore; a: Float32Array[]; b: Float32Array[] }> {
  const { db } = tempDatabase();
  const store = createTemplateStore({ db, secrets: createMemorySecretStore(), logger: createMemoryLogger(), clock: manualClock() });
  const [a, b] = [await descriptorsOf('person-a'), await descriptorsOf('person-b')];
  store.addTemplate(A, a[0] as Float32Array, 'enrolment', 1);
  store.addTemplate(B, b[0] as Float32Array, 'enrolment', 1);
  return { store, a, b };
}

/** The FaceMatch a recognition of `probe` would carry with this gallery. */
function matchOf(store: TemplateStore, probe: Float32Array, extra: Partial<FaceMatch> = {}): FaceMatch {
  const result = store.match(probe);
  if (!result.best) throw new Error('no match');
  return { staffId: result.best.staffId, distance: result.best.distance, secondBestDistance: result.second?.distance ?? null, model: 'faceapi-128', liveDescriptor: probe, liveness: 0.9, spoofSuspected: false, ...extra };
}

const liveCount = (store: TemplateStore, staffId: number): number => (store.list().find((p) => p.staffId === staffId)?.templates ?? 0) - 1;

/** A's photos (after the enrolment one) that a recognition would be confident about. */
function confidentProbes(store: TemplateStore, a: Float32Array[]): Float32Array[] {
  return a.slice(1).filter((probe) => {
    const match = matchOf(store, probe);
    return match.staffId === A && isConfidentRecognition(match, SETTINGS);
  });
}

describe('live templates', () => {
  it('adopts a confident recognition once its punch synced; the matcher then uses it alongside the enrolment template', async () => {
    const { store, a } = await gallery();
    const live = createLiveTemplates({ store, settings: () => SETTINGS, logger: createMemoryLogger() });
    const [probe] = confidentProbes(store, a);
    if (!probe) throw new Error('no confident probe of person-a among the shared photos');
    expect(matchOf(store, probe).distance).toBeGreaterThan(0.05);

    live.candidate('event-1', matchOf(store, probe));
    expect(liveCount(store, A)).toBe(0); // nothing before HotelMate has taken the punch
    expect(live.settled('event-1', 'synced')).toBe(true);
    expect(liveCount(store, A)).toBe(1);
    expect(store.match(probe).best).toMatchObject({ staffId: A });
    expect(store.match(probe).best?.distance).toBeLessThan(1e-6);
    expect(live.pending()).toBe(0);
  });

  it('never adopts from a punch that went to review, a doubtful liveness, or a recognition not well inside the threshold', async () => {
    const { store, a } = await gallery();
    const live = createLiveTemplates({ store, settings: () => SETTINGS, logger: createMemoryLogger() });
    const [probe] = confidentProbes(store, a);
    if (!probe) throw new Error('no confident probe');
    live.candidate('review', matchOf(store, probe));
    expect(live.settled('review', 'needs_review')).toBe(false);
    live.candidate('spoof', matchOf(store, probe, { spoofSuspected: true, liveness: 0.1 }));
    expect(live.settled('spoof', 'synced')).toBe(false);
    const edge = SETTINGS.threshold * CONFIDENT_SHARE_OF_THRESHOLD + 0.01;
    live.candidate('edge', matchOf(store, probe, { distance: edge }));
    expect(live.settled('edge', 'synced')).toBe(false);
    live.candidate('no-margin', matchOf(store, probe, { secondBestDistance: matchOf(store, probe).distance + SETTINGS.margin / 2 }));
    expect(live.settled('no-margin', 'synced')).toBe(false);
    expect(liveCount(store, A)).toBe(0);
  });

  it('never adopts a descriptor that is closer to another person than the margin when the punch synced', async () => {
    const { store, a } = await gallery();
    const live = createLiveTemplates({ store, settings: () => SETTINGS, logger: createMemoryLogger() });
    const [probe] = confidentProbes(store, a);
    if (!probe) throw new Error('no confident probe');
    live.candidate('event', matchOf(store, probe));
    // Meanwhile someone else was enrolled with a face very like this one (here: the same photo).
    store.addTemplate(B, probe, 'enrolment', 1);
    expect(live.settled('event', 'synced')).toBe(false);
    expect(liveCount(store, A)).toBe(0);
  });

  it('keeps at most five per person, the oldest replaced, and erases them with the person', async () => {
    const { store, a, b } = await gallery();
    const probes = [...a.slice(1), ...b.slice(1)].slice(0, MAX_LIVE_TEMPLATES + 1);
    expect(probes).toHaveLength(MAX_LIVE_TEMPLATES + 1);
    for (const probe of probes) expect(store.adoptLive(A, probe)).toBe(true);
    expect(liveCount(store, A)).toBe(MAX_LIVE_TEMPLATES);
    // The first one adopted is gone, the newest is there.
    expect(store.match(probes[0] as Float32Array, { exclude: new Set([B]) }).best?.distance).toBeGreaterThan(1e-6);
    expect(store.match(probes[MAX_LIVE_TEMPLATES] as Float32Array).best?.distance).toBeLessThan(1e-6);
    expect(LIVE_SOURCE).toBe('live');

    store.remove(A);
    expect(store.list().map((p) => p.staffId)).toEqual([B]);
    expect(store.match(probes[MAX_LIVE_TEMPLATES] as Float32Array, { exclude: new Set([B]) }).best).toBeNull();
    // A person removed meanwhile gets nothing adopted.
    expect(store.adoptLive(A, probes[1] as Float32Array)).toBe(false);
    expect(store.list().map((p) => p.staffId)).toEqual([B]);
  });
});
