/**
 * Templates that follow the person, with real descriptors of the shared photos (the kiosk's own
 * ONNX pipeline): a confident recognition whose punch synced is adopted and matched from then on;
 * a punch in review, a doubtful recognition or a descriptor closer to another person than the
 * margin never is; at most five per person, the oldest replaced; erased with the person. The
 * face of a manager-approved manual punch follows the person only under its own guards (enrolled,
 * live, within HotelMate's rule, the margin held). Candidates wait in a real SQLite file and
 * survive a restart.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FaceMatch } from '../../../src/main/face/face-types';
import { openDatabase } from '../../../src/main/db/database';
import {
  CONFIDENT_SHARE_OF_THRESHOLD,
  createLiveTemplates,
  HOTELMATE_MATCH_DISTANCE,
  isConfidentRecognition,
  MAX_PENDING_CANDIDATES,
  type LiveTemplates,
} from '../../../src/main/face/live-templates';
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
async function gallery(): Promise<{ store: TemplateStore; a: Float32Array[]; b: Float32Array[]; file: string }> {
  const { db, file } = tempDatabase();
  const store = createTemplateStore({ db, secrets: createMemorySecretStore(), logger: createMemoryLogger(), clock: manualClock() });
  const [a, b] = [await descriptorsOf('person-a'), await descriptorsOf('person-b')];
  store.addTemplate(A, a[0] as Float32Array, 'enrolment', 1);
  store.addTemplate(B, b[0] as Float32Array, 'enrolment', 1);
  return { store, a, b, file };
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
    expect(live.pending()).toBe(1);
    expect(live.settled('event-1', 'sending')).toEqual({ adopted: false, reason: 'still_on_its_way' });
    expect(live.settled('event-1', 'synced')).toEqual({ adopted: true });
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
    expect(live.settled('review', 'needs_review')).toEqual({ adopted: false, reason: 'review' });
    live.candidate('undone', matchOf(store, probe));
    expect(live.settled('undone', 'cancelled')).toEqual({ adopted: false, reason: 'undone' });
    live.candidate('spoof', matchOf(store, probe, { spoofSuspected: true, liveness: 0.1 }));
    expect(live.settled('spoof', 'synced')).toEqual({ adopted: false, reason: 'no_candidate' });
    const edge = SETTINGS.threshold * CONFIDENT_SHARE_OF_THRESHOLD + 0.01;
    live.candidate('edge', matchOf(store, probe, { distance: edge }));
    expect(live.settled('edge', 'synced')).toEqual({ adopted: false, reason: 'no_candidate' });
    live.candidate('no-margin', matchOf(store, probe, { secondBestDistance: matchOf(store, probe).distance + SETTINGS.margin / 2 }));
    expect(live.settled('no-margin', 'synced')).toEqual({ adopted: false, reason: 'no_candidate' });
    expect(liveCount(store, A)).toBe(0);
    expect(live.pending()).toBe(0);
  });

  it('never adopts a descriptor that is closer to another person than the margin when the punch synced', async () => {
    const { store, a } = await gallery();
    const live = createLiveTemplates({ store, settings: () => SETTINGS, logger: createMemoryLogger() });
    const [probe] = confidentProbes(store, a);
    if (!probe) throw new Error('no confident probe');
    live.candidate('event', matchOf(store, probe));
    // Meanwhile someone else was enrolled with a face very like this one (here: the same photo).
    store.addTemplate(B, probe, 'enrolment', 1);
    expect(live.settled('event', 'synced')).toEqual({ adopted: false, reason: 'too_close_to_another_person' });
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

    // A candidate waiting for a punch goes with the person too.
    const live = createLiveTemplates({ store, settings: () => SETTINGS, logger: createMemoryLogger() });
    live.candidate('waiting', matchOf(store, probes[1] as Float32Array, { staffId: A, distance: 0.1, secondBestDistance: null }));
    expect(live.pending()).toBe(1);
    store.remove(A);
    expect(live.pending()).toBe(0);
    expect(store.list().map((p) => p.staffId)).toEqual([B]);
    expect(store.match(probes[MAX_LIVE_TEMPLATES] as Float32Array, { exclude: new Set([B]) }).best).toBeNull();
    // A person removed meanwhile gets nothing adopted.
    expect(store.adoptLive(A, probes[1] as Float32Array)).toBe(false);
    expect(store.list().map((p) => p.staffId)).toEqual([B]);
  });
});

/** A live template service over a store, with the kiosk's settings. */
const liveOver = (store: TemplateStore): LiveTemplates => createLiveTemplates({ store, settings: () => SETTINGS, logger: createMemoryLogger() });

describe('live template candidates on disk', () => {
  it('survive a restart: kept before it, the punch syncs after it and the face is adopted', async () => {
    const { db, file } = tempDatabase();
    const secrets = createMemorySecretStore();
    const clock = manualClock();
    const first = createTemplateStore({ db, secrets, logger: createMemoryLogger(), clock });
    const a = await descriptorsOf('person-a');
    first.addTemplate(A, a[0] as Float32Array, 'enrolment', 1);
    const [probe] = confidentProbes(first, a);
    if (!probe) throw new Error('no confident probe');
    liveOver(first).candidate('before-restart', matchOf(first, probe));
    // The descriptor is on disk sealed, never in the clear.
    const stored = db.prepare('SELECT descriptor FROM live_template_candidates').get() as { descriptor: Buffer };
    expect(stored.descriptor.includes(Buffer.from(probe.buffer, probe.byteOffset, probe.byteLength))).toBe(false);
    db.close();

    const reopened = openDatabase({ file });
    const store = createTemplateStore({ db: reopened, secrets, logger: createMemoryLogger(), clock });
    const live = liveOver(store);
    expect(live.pending()).toBe(1);
    expect(live.settled('before-restart', 'synced')).toEqual({ adopted: true });
    expect(live.pending()).toBe(0);
    expect(store.match(probe).best?.distance).toBeLessThan(1e-6);
    reopened.close();
  });

  it('go with a re-enrolment of their person (the earlier look), not with anyone else\'s', async () => {
    const { store, a, b } = await gallery();
    const live = liveOver(store);
    live.candidate('a-punch', matchOf(store, a[0] as Float32Array));
    live.candidate('b-punch', matchOf(store, b[0] as Float32Array));
    expect(live.pending()).toBe(2);
    store.saveEnrolment({ consent: { staffId: A, consentText: 'consent', givenAt: '2026-12-01T09:00:00Z', recordedBy: 'admin' }, templates: [{ descriptor: a[1] as Float32Array, source: 'enrolment', quality: 1 }] });
    expect(live.pending()).toBe(1);
    expect(live.settled('a-punch', 'synced')).toEqual({ adopted: false, reason: 'no_candidate' });
    expect(live.settled('b-punch', 'synced')).toEqual({ adopted: true });
  });

  it('are bounded: beyond the cap the oldest go first', async () => {
    const { store, a } = await gallery();
    const live = liveOver(store);
    const match = matchOf(store, a[0] as Float32Array);
    for (let i = 0; i <= MAX_PENDING_CANDIDATES; i += 1) live.candidate(`event-${i}`, match);
    expect(live.pending()).toBe(MAX_PENDING_CANDIDATES);
    expect(live.settled('event-0', 'synced')).toEqual({ adopted: false, reason: 'no_candidate' });
    expect(live.settled(`event-${MAX_PENDING_CANDIDATES}`, 'synced')).toEqual({ adopted: true });
  });
});

describe('the face of a manual punch', () => {
  /** A's photos that A's enrolment photo does not recognise but HotelMate's rule would call A. */
  const unrecognisedButPlausible = (store: TemplateStore, a: Float32Array[]): Float32Array[] =>
    a.slice(1).filter((probe) => {
      const d = store.match(probe, { only: A }).best?.distance ?? Infinity;
      return d > SETTINGS.threshold && d < HOTELMATE_MATCH_DISTANCE;
    });

  async function manualGallery(): Promise<{ store: TemplateStore; live: LiveTemplates; probe: Float32Array; a: Float32Array[]; b: Float32Array[] }> {
    const { store, a, b } = await gallery();
    const probe = unrecognisedButPlausible(store, a)[0] ?? confidentProbes(store, a)[0];
    if (!probe) throw new Error('no plausible probe of person-a');
    return { store, live: liveOver(store), probe, a, b };
  }

  it('is adopted when it was live, HotelMate named the person, it is within HotelMate\'s rule and the margin holds', async () => {
    const { store, live, probe } = await manualGallery();
    expect(live.manualCandidate('manual', A, { descriptor: probe, liveness: 'live' })).toBe(true);
    expect(live.settled('manual', 'synced', 'clock_in_success')).toEqual({ adopted: true });
    expect(store.match(probe).best).toMatchObject({ staffId: A });
    expect(store.match(probe).best?.distance).toBeLessThan(1e-6);
  });

  it('is not kept for someone the kiosk has no face of, nor when liveness was in doubt, off or unavailable', async () => {
    const { live, probe } = await manualGallery();
    expect(live.manualCandidate('unknown', 99, { descriptor: probe, liveness: 'live' })).toBe(false);
    expect(live.manualCandidate('doubt', A, { descriptor: probe, liveness: 'in_doubt' })).toBe(false);
    expect(live.manualCandidate('off', A, { descriptor: probe, liveness: 'not_checked' })).toBe(false);
    expect(live.pending()).toBe(0);
  });

  it('is not adopted from a punch that went to review, was undone, or that HotelMate took without its face', async () => {
    const { store, live, probe } = await manualGallery();
    for (const id of ['review', 'undone', 'no-face', 'on-duty-no-face']) live.manualCandidate(id, A, { descriptor: probe, liveness: 'live' });
    expect(live.settled('review', 'needs_review')).toEqual({ adopted: false, reason: 'review' });
    expect(live.settled('undone', 'cancelled')).toEqual({ adopted: false, reason: 'undone' });
    expect(live.settled('no-face', 'synced', 'manual_clock_log')).toEqual({ adopted: false, reason: 'taken_without_face' });
    // The face kept could not be read back at sync time, and HotelMate already showed the person on duty.
    expect(live.settled('on-duty-no-face', 'synced', 'manual_already_on_duty')).toEqual({ adopted: false, reason: 'taken_without_face' });
    expect(liveCount(store, A)).toBe(0);
    expect(live.pending()).toBe(0);
  });

  it('is not adopted when it is not plausible as the person by HotelMate\'s own rule (0.6), and the log carries no face', async () => {
    const { store } = await gallery();
    const logger = createMemoryLogger();
    const live = createLiveTemplates({ store, settings: () => SETTINGS, logger });
    // A face of a person the kiosk does not know, at least 0.6 from A's template and farther than
    // the margin from B's: only HotelMate's rule stops it.
    const strangers = [...(await descriptorsOf('person-c')), ...(await descriptorsOf('person-d'))];
    const far = strangers.find((d) => {
      const own = store.match(d, { only: A }).best?.distance ?? 0;
      const other = store.match(d, { only: B }).best?.distance ?? 0;
      return own >= HOTELMATE_MATCH_DISTANCE && other - own >= SETTINGS.margin;
    });
    if (!far) throw new Error('no stranger photo far enough from person-a and farther still from person-b');
    live.manualCandidate('far', A, { descriptor: far, liveness: 'live' });
    expect(live.settled('far', 'synced', 'clock_in_success')).toEqual({ adopted: false, reason: 'implausible_for_person' });
    expect(liveCount(store, A)).toBe(0);
    const line = logger.records.find((r) => r.message.includes('too far from the person'));
    expect(line?.fields).toEqual({ staffId: A, source: 'manual' });
  });

  it('is not adopted when another person is closer than its distance plus the margin at the moment of adoption', async () => {
    const { store, live, probe } = await manualGallery();
    live.manualCandidate('drift', A, { descriptor: probe, liveness: 'live' });
    // Meanwhile B was given a template right beside this face.
    store.addTemplate(B, probe, 'enrolment', 1);
    expect(live.settled('drift', 'synced', 'clock_in_success')).toEqual({ adopted: false, reason: 'too_close_to_another_person' });
    expect(liveCount(store, A)).toBe(0);
  });
});
