/**
 * Measures recognition on the shared photos with the kiosk's own rules (quality assessment, 1:N
 * matcher, threshold and margin vote, the real enrolment flow): genuine and impostor distances,
 * recognition with one enrolment photo (every choice of photo), then with the kiosk in use (live
 * templates adopted from confident recognitions and from manual punches), with the enrolment flow
 * (leave one photo out), strangers, and what each quality gate flags under simulated camera conditions.
 * Shared by bench/face-recognition.bench.ts (which prints it) and recognition-rates.test.ts (which
 * holds the targets).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { voteFor } from '../../../src/main/face/decision';
import { openDatabase } from '../../../src/main/db/database';
import { createFaceService } from '../../../src/main/face/face-service';
import { distanceRefusal, HOTELMATE_MATCH_DISTANCE, isConfidentRecognition } from '../../../src/main/face/live-templates';
import { MAX_LIVE_TEMPLATES } from '../../../src/main/face/template-store';
import { createTemplateIndex, euclidean, type MatchResult } from '../../../src/main/face/matcher';
import type { FacePipeline } from '../../../src/main/face/pipeline/face-pipeline';
import type { FaceAnalysis, FaceQuality, RgbFrame } from '../../../src/main/face/pipeline/types';
import { assessFrame, ENROLMENT_LIMITS, RECOGNITION_LIMITS, type QualityLimits } from '../../../src/main/face/quality-guidance';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { createMemorySecretStore } from '../../../src/main/secrets/secret-store';
import { facesDir } from '../../support/media/shared-photos';
import { manualClock, replayingAnalyser, stillPhotoConfig, type AnalysedPhoto } from './face-photos';

/** The recognition rule being measured. */
export interface RecognitionRule {
  threshold: number;
  margin: number;
}

/** One analysed frame of a shared photo under a camera condition. */
export interface Probe extends AnalysedPhoto {
  condition: string;
}

/**
 * A camera condition: the photo fitted into a fraction of the 640x480 frame, placed, then filtered
 * (ffmpeg filters on the fitted photo).
 */
export interface CameraCondition {
  name: string;
  /** What it stands for at the kiosk. */
  means: string;
  /** Fraction of the frame the photo is fitted into (1 = the whole frame, as a camera would frame a portrait). */
  fit: number;
  /** Overlay position (ffmpeg expressions in W, H, w, h); centred when absent. */
  at?: string;
  filters?: string;
}

/** The simulated conditions the gates are judged on; 'as-is' is the shared photo itself. */
export const CAMERA_CONDITIONS: readonly CameraCondition[] = [
  { name: 'as-is', means: 'the photo as a 640x480 camera frame', fit: 1 },
  { name: 'far-70', means: 'a step further away', fit: 0.7 },
  { name: 'far-45', means: 'two steps further away', fit: 0.45 },
  { name: 'far-35', means: 'at the back of the lobby', fit: 0.35 },
  { name: 'near-140', means: 'leaning in (face cut by the frame)', fit: 1.4 },
  { name: 'left', means: 'standing to one side', fit: 0.7, at: '0:(H-h)/2' },
  { name: 'corner', means: 'in the top corner', fit: 0.6, at: 'W-w:0' },
  { name: 'edge', means: 'half out of the frame', fit: 0.8, at: '-w*0.25:(H-h)/2' },
  { name: 'dark-1', means: 'dim lobby', fit: 1, filters: 'eq=brightness=-0.2:contrast=0.8' },
  { name: 'dark-2', means: 'dark lobby, sensor noise', fit: 1, filters: 'eq=brightness=-0.3:contrast=0.6,noise=alls=6:allf=t' },
  { name: 'dark-3', means: 'night, sensor noise', fit: 1, filters: 'eq=brightness=-0.38:contrast=0.5,noise=alls=6:allf=t' },
  { name: 'bright-1', means: 'sunlit', fit: 1, filters: 'eq=brightness=0.2:contrast=0.9' },
  { name: 'bright-2', means: 'overexposed', fit: 1, filters: 'eq=brightness=0.32:contrast=0.8' },
  { name: 'blur-1', means: 'slightly out of focus', fit: 1, filters: 'gblur=sigma=1.5' },
  { name: 'blur-2', means: 'out of focus', fit: 1, filters: 'gblur=sigma=2.5' },
  { name: 'blur-3', means: 'badly out of focus', fit: 1, filters: 'gblur=sigma=4' },
  { name: 'motion', means: 'walking past', fit: 1, filters: 'avgblur=sizeX=6:sizeY=1' },
  { name: 'tilt', means: 'head tilted 20 degrees', fit: 0.85, filters: 'rotate=20*PI/180:c=black' },
  { name: 'far-dark', means: 'far away in a dark lobby', fit: 0.5, filters: 'eq=brightness=-0.25:contrast=0.7,noise=alls=6:allf=t' },
];

/**
 * Renders every condition of one photo with a single ffmpeg run (one 640x480 RGB frame per
 * condition, in order).
 */
export function renderConditions(file: string, conditions: readonly CameraCondition[]): RgbFrame[] {
  const size = 640 * 480 * 3;
  const chains: string[] = [`[0:v]split=${conditions.length}${conditions.map((_, i) => `[p${i}]`).join('')}`];
  conditions.forEach((c, i) => {
    const fit = `scale=640*${c.fit}:480*${c.fit}:force_original_aspect_ratio=decrease${c.filters ? `,${c.filters}` : ''}`;
    chains.push(`color=black:s=640x480:r=1:d=1[bg${i}]`, `[p${i}]${fit}[f${i}]`, `[bg${i}][f${i}]overlay=${c.at ?? '(W-w)/2:(H-h)/2'}:shortest=1,setsar=1[o${i}]`);
  });
  // Stacked into one tall image: frame i is rows 480*i.. of it, i.e. the i-th 640x480x3 bytes.
  chains.push(conditions.length === 1 ? '[o0]null[out]' : `${conditions.map((_, i) => `[o${i}]`).join('')}vstack=inputs=${conditions.length}[out]`);
  const rgb = execFileSync(ffmpegInstaller.path, ['-v', 'error', '-i', join(facesDir(), file), '-filter_complex', chains.join(';'), '-map', '[out]', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], {
    maxBuffer: size * conditions.length + 1024,
  });
  if (rgb.length !== size * conditions.length) throw new Error(`${file}: ffmpeg rendered ${rgb.length} bytes, expected ${conditions.length} frames of 640x480`);
  return conditions.map((_, i) => ({ rgb: new Uint8Array(rgb.buffer, rgb.byteOffset + i * size, size), width: 640, height: 480 }));
}

/** Analyses every photo under every condition with the real pipeline. */
export async function analyseUnderConditions(pipeline: FacePipeline, photos: readonly AnalysedPhoto[], conditions: readonly CameraCondition[]): Promise<Probe[]> {
  const probes: Probe[] = [];
  for (const photo of photos) {
    const frames = renderConditions(photo.file, conditions);
    for (const [i, frame] of frames.entries()) probes.push({ file: photo.file, identity: photo.identity, condition: conditions[i].name, frame, analysis: await pipeline.analyse(frame) });
  }
  return probes;
}

const isPerson = (p: AnalysedPhoto): boolean => p.identity !== 'multi-face';
const descriptorOf = (p: AnalysedPhoto): Float32Array => {
  if (!p.analysis.descriptor) throw new Error(`${p.file}: no face found in the shared photo`);
  return p.analysis.descriptor;
};

/** Distances between every pair of single-person photos: same person (genuine) and different people (impostor). */
export function distanceDistributions(photos: readonly AnalysedPhoto[]): { genuine: number[]; impostor: number[]; closestImpostor: { a: string; b: string; distance: number } } {
  const people = photos.filter(isPerson);
  const genuine: number[] = [];
  const impostor: number[] = [];
  let closestImpostor = { a: '', b: '', distance: Number.POSITIVE_INFINITY };
  for (let i = 0; i < people.length; i += 1) {
    for (let j = i + 1; j < people.length; j += 1) {
      const d = euclidean(descriptorOf(people[i]), descriptorOf(people[j]));
      if (people[i].identity === people[j].identity) genuine.push(d);
      else {
        impostor.push(d);
        if (d < closestImpostor.distance) closestImpostor = { a: people[i].file, b: people[j].file, distance: d };
      }
    }
  }
  return { genuine, impostor, closestImpostor };
}

/** What the kiosk does with one still frame shown to it: name the right person, a wrong one, or nobody. */
export type Outcome = 'right' | 'wrong' | 'nobody';

/**
 * The kiosk's verdict on a frame held still in front of it (every frame the same, so the
 * multi-frame agreement changes nothing): nobody unless the frame may be matched and the
 * threshold-and-margin vote names a person.
 */
export function outcomeOf(analysis: FaceAnalysis, match: MatchResult, identityOf: (staffId: number) => string, identity: string, rule: RecognitionRule): Outcome {
  if (!assessFrame(analysis).matchable) return 'nobody';
  const vote = voteFor(match, rule);
  if (vote.kind !== 'person') return 'nobody';
  return identityOf(vote.staffId) === identity ? 'right' : 'wrong';
}

/** Every assignment of one photo per person (the cartesian product of the people's photo lists). */
function* assignments<T>(lists: readonly (readonly T[])[]): Generator<T[]> {
  const index = lists.map(() => 0);
  for (;;) {
    yield index.map((i, k) => lists[k][i]);
    let k = lists.length - 1;
    while (k >= 0 && index[k] === lists[k].length - 1) index[k--] = 0;
    if (k < 0) return;
    index[k] += 1;
  }
}

export interface OnePhotoResult {
  /** Enrolment assignments tried: every choice of one enrolment photo per person. */
  assignments: number;
  /** Mean over assignments of the fraction of the other photos named right. */
  recognisedRate: number;
  /** Frames named as somebody else, over all assignments, and frames shown. */
  wrongNames: number;
  shown: number;
  /** Photos of a person left out of the enrolment that were named anyway (every person left out in turn). */
  strangersNamed: number;
  strangersShown: number;
  /** Photo -> how many of its assignments missed it (the photos that are hard to recognise). */
  missedBy: Map<string, number>;
}

/**
 * Recognition with one enrolment photo per person, for every choice of enrolment photos: each
 * assignment enrols one photo per person and shows every other photo (group photos included).
 * Strangers: each person in turn is left out of the enrolment and their photos shown. Uses the
 * matcher's rule (best and second-best person) on precomputed distances, since every assignment
 * matches the same descriptors. `templates` (same order as `photos`) gives the enrolment side its
 * own descriptors when they are made differently from the probes' (by default the same photos).
 */
export function onePhotoEnrolment(photos: readonly AnalysedPhoto[], rule: RecognitionRule, templates: readonly AnalysedPhoto[] = photos): OnePhotoResult {
  if (templates.length !== photos.length) throw new Error('onePhotoEnrolment: one template photo per photo, in the same order');
  const templateOf = new Map(photos.map((p, i) => [p, templates[i]]));
  const people = [...new Set(photos.filter(isPerson).map((p) => p.identity))].sort();
  const byPerson = people.map((id) => photos.filter((p) => p.identity === id));
  const column = new Map(photos.filter(isPerson).map((p, i) => [p, i]));
  const persons = [...column.keys()];
  // distance[probe][template], and whether the probe may be matched at all.
  const distance = photos.map((probe) => persons.map((t) => (probe.analysis.descriptor ? euclidean(probe.analysis.descriptor, descriptorOf(templateOf.get(t) ?? t)) : Number.POSITIVE_INFINITY)));
  const matchable = photos.map((probe) => assessFrame(probe.analysis).matchable);
  const result: OnePhotoResult = { assignments: 0, recognisedRate: 0, wrongNames: 0, shown: 0, strangersNamed: 0, strangersShown: 0, missedBy: new Map() };
  /** The person named for probe i with the templates of `enrolled` (one column per person, -1 = not enrolled), or -1. */
  const named = (i: number, enrolled: number[]): number => {
    if (!matchable[i]) return -1;
    let best = -1;
    let bestD = Number.POSITIVE_INFINITY;
    let secondD = Number.POSITIVE_INFINITY;
    enrolled.forEach((col, person) => {
      if (col < 0) return;
      const d = distance[i][col];
      if (d < bestD) {
        secondD = bestD;
        bestD = d;
        best = person;
      } else if (d < secondD) secondD = d;
    });
    return bestD <= rule.threshold && secondD - bestD >= rule.margin ? best : -1;
  };
  let rateSum = 0;
  for (const chosen of assignments(byPerson)) {
    const enrolled = chosen.map((photo) => column.get(photo) ?? -1);
    let right = 0;
    let genuine = 0;
    photos.forEach((probe, i) => {
      if (chosen.includes(probe)) return;
      const person = named(i, enrolled);
      result.shown += 1;
      if (person >= 0 && people[person] !== probe.identity) result.wrongNames += 1;
      if (!isPerson(probe)) return;
      genuine += 1;
      if (person >= 0 && people[person] === probe.identity) right += 1;
      else result.missedBy.set(probe.file, (result.missedBy.get(probe.file) ?? 0) + 1);
    });
    rateSum += right / genuine;
    result.assignments += 1;
    // The same enrolment without each person in turn: their photos are strangers.
    people.forEach((id, left) => {
      const without = enrolled.map((col, person) => (person === left ? -1 : col));
      photos.forEach((probe, i) => {
        if (probe.identity !== id) return;
        result.strangersShown += 1;
        if (named(i, without) >= 0) result.strangersNamed += 1;
      });
    });
  }
  result.recognisedRate = rateSum / result.assignments;
  return result;
}

/** Templates adopted from confident recognitions and from manual punches, and misses clocked without face whose face was not adopted (why). */
export interface Adoption {
  live: number;
  manual: number;
  /** HotelMate's rule did not name the person (another registered face nearer, or none under 0.6). */
  hotelmateRefused: number;
  implausible: number;
  tooClose: number;
  /** The frame may not be matched (quality): no face is kept with the punch. */
  notMatchable: number;
}

export interface InUseResult {
  /** Enrolment choices (as onePhotoEnrolment) times visit orders: the simulated kiosks. */
  runs: number;
  /** Visit orders per enrolment choice (every rotation of each person's other photos). */
  orders: number;
  /** Mean over runs of the fraction of genuine photos named right at their first visit (earlier visits may have adapted the gallery). */
  firstVisitRate: number;
  /** Mean over runs of the fraction named right at their second visit (after every photo was shown once). */
  secondVisitRate: number;
  /** Frames named as somebody else, over both visits of every run (group photos included), and frames shown. */
  wrongNames: number;
  shown: number;
  /** Photos of a person never enrolled (each left out in turn, through a whole run of both visits) that were named. */
  strangersNamed: number;
  strangersShown: number;
  /** What the runs (everyone enrolled) adopted and refused. */
  adoption: Adoption;
}

/**
 * One enrolment photo, then the kiosk in use. For every choice of enrolment photo (as
 * onePhotoEnrolment) and every rotation of each person's other photos (visits interleaved person by
 * person), each photo is shown twice, in that order. A recognition adopts the face as a live
 * template when it is confident and the real guards hold (isConfidentRecognition, distanceRefusal;
 * at most MAX_LIVE_TEMPLATES per person, the oldest replaced); a face punch always syncs, since it
 * sends the registered template. A miss is clocked without face by the person themself and the
 * photo's face is adopted under the manual guards: a matchable frame (else no face is kept),
 * HotelMate's check simulated by its documented rule (the nearest registered face, the enrolment
 * photos, is the person's and under 0.6), then distanceRefusal with source `manual`. The photos
 * stand for live people (liveness is measured elsewhere). Group photos are shown with each pass
 * (no manual punch). Strangers: each person in turn is never enrolled and goes through the same
 * runs (named or not, never adopted for themself: the kiosk has no face of them).
 */
export function kioskInUse(photos: readonly AnalysedPhoto[], rule: RecognitionRule): InUseResult {
  const people = [...new Set(photos.filter(isPerson).map((p) => p.identity))].sort();
  const byPerson = people.map((id) => photos.map((p, i) => (p.identity === id ? i : -1)).filter((i) => i >= 0));
  const groups = photos.map((p, i) => (isPerson(p) ? -1 : i)).filter((i) => i >= 0);
  const n = photos.length;
  const distance = new Float64Array(n * n);
  photos.forEach((a, i) =>
    photos.forEach((b, j) => {
      distance[i * n + j] = a.analysis.descriptor && b.analysis.descriptor ? euclidean(a.analysis.descriptor, b.analysis.descriptor) : Number.POSITIVE_INFINITY;
    }),
  );
  const matchable = photos.map((p) => p.analysis.descriptor !== null && assessFrame(p.analysis).matchable);
  const orders = Math.max(...byPerson.map((list) => list.length - 1));
  const result: InUseResult = {
    runs: 0,
    orders,
    firstVisitRate: 0,
    secondVisitRate: 0,
    wrongNames: 0,
    shown: 0,
    strangersNamed: 0,
    strangersShown: 0,
    adoption: { live: 0, manual: 0, hotelmateRefused: 0, implausible: 0, tooClose: 0, notMatchable: 0 },
  };

  /** Nearest template of one person (Infinity without templates). */
  const nearestOf = (probe: number, templates: readonly number[]): number => {
    let best = Number.POSITIVE_INFINITY;
    for (const t of templates) best = Math.min(best, distance[probe * n + t]);
    return best;
  };
  const ownerOf = photos.map((p) => people.indexOf(p.identity));
  /** The nearest distance of anyone but `person` among the per-person nearest distances, or null. */
  const nearestOther = (perPerson: Float64Array, person: number): number | null => {
    let best = Number.POSITIVE_INFINITY;
    perPerson.forEach((d, other) => {
      if (other !== person && d < best) best = d;
    });
    return Number.isFinite(best) ? best : null;
  };

  /** One simulated kiosk: `enrolment[person]` is their enrolment photo (-1: never enrolled); visits in `order`. */
  const run = (
    enrolment: readonly number[],
    visits: readonly number[],
  ): { right: [number, number]; genuine: number; wrong: number; shown: number; strangers: number; strangersShown: number; adoption: Adoption } => {
    const gallery: number[][] = enrolment.map((photo) => (photo >= 0 ? [photo] : []));
    const live: number[][] = enrolment.map(() => []);
    const registered = enrolment;
    const adopt = (person: number, photo: number): void => {
      live[person].push(photo);
      if (live[person].length > MAX_LIVE_TEMPLATES) live[person].shift();
      gallery[person] = [enrolment[person], ...live[person]];
    };
    const adoption: Adoption = { live: 0, manual: 0, hotelmateRefused: 0, implausible: 0, tooClose: 0, notMatchable: 0 };
    const out = { right: [0, 0] as [number, number], genuine: 0, wrong: 0, shown: 0, strangers: 0, strangersShown: 0, adoption };
    const perPerson = new Float64Array(people.length);
    for (const pass of [0, 1]) {
      for (const probe of visits) {
        const own = ownerOf[probe];
        const stranger = own >= 0 && enrolment[own] < 0;
        // The kiosk's vote: best and second-best person over the gallery, threshold and margin.
        let best = -1;
        let bestD = Number.POSITIVE_INFINITY;
        let secondD = Number.POSITIVE_INFINITY;
        if (matchable[probe]) {
          gallery.forEach((templates, person) => {
            const d = nearestOf(probe, templates);
            perPerson[person] = d;
            if (templates.length === 0) return;
            if (d < bestD) {
              secondD = bestD;
              bestD = d;
              best = person;
            } else if (d < secondD) secondD = d;
          });
        }
        const named = best >= 0 && bestD <= rule.threshold && secondD - bestD >= rule.margin ? best : -1;
        if (stranger) {
          out.strangersShown += 1;
          if (named >= 0) out.strangers += 1;
        } else {
          out.shown += 1;
          if (named >= 0 && named !== own) out.wrong += 1;
          if (own >= 0) {
            if (pass === 0) out.genuine += 1;
            if (named === own) out.right[pass] += 1;
          }
        }
        if (named >= 0) {
          // A punch for whoever was named: a confident recognition follows them under the real guards.
          const match = { distance: bestD, secondBestDistance: Number.isFinite(secondD) ? secondD : null, spoofSuspected: false };
          if (!isConfidentRecognition(match, rule)) continue;
          if (distanceRefusal({ source: 'live', distance: bestD }, { own: bestD, other: nearestOther(perPerson, named) }, rule.margin) !== null) continue;
          adopt(named, probe);
          adoption.live += 1;
          continue;
        }
        // Not recognised: an enrolled person clocks without face (a stranger or a group gets no face adopted).
        if (own < 0 || stranger) continue;
        if (!matchable[probe]) {
          adoption.notMatchable += 1;
          continue;
        }
        let hotelmate = -1;
        let hotelmateD = Number.POSITIVE_INFINITY;
        registered.forEach((photo, person) => {
          if (photo >= 0 && distance[probe * n + photo] < hotelmateD) {
            hotelmateD = distance[probe * n + photo];
            hotelmate = person;
          }
        });
        if (hotelmate !== own || !(hotelmateD < HOTELMATE_MATCH_DISTANCE)) {
          adoption.hotelmateRefused += 1;
          continue;
        }
        const refusal = distanceRefusal({ source: 'manual', distance: hotelmateD }, { own: perPerson[own], other: nearestOther(perPerson, own) }, rule.margin);
        if (refusal === 'implausible_for_person') adoption.implausible += 1;
        else if (refusal === 'too_close_to_another_person') adoption.tooClose += 1;
        else {
          adopt(own, probe);
          adoption.manual += 1;
        }
      }
    }
    return out;
  };

  let firstSum = 0;
  let secondSum = 0;
  for (const chosen of assignments(byPerson)) {
    for (let rotation = 0; rotation < orders; rotation += 1) {
      // Each person's other photos, rotated, visited person by person in turn; then the group photos.
      const others = byPerson.map((list, person) => {
        const rest = list.filter((photo) => photo !== chosen[person]);
        return rest.map((_, k) => rest[(k + rotation) % rest.length]);
      });
      const visitsOf = (lists: number[][]): number[] => {
        const visits: number[] = [];
        for (let k = 0; k < Math.max(...lists.map((l) => l.length)); k += 1) lists.forEach((l) => k < l.length && visits.push(l[k]));
        return [...visits, ...groups];
      };
      const outcome = run(chosen, visitsOf(others));
      result.runs += 1;
      result.wrongNames += outcome.wrong;
      result.shown += outcome.shown;
      for (const key of Object.keys(result.adoption) as (keyof Adoption)[]) result.adoption[key] += outcome.adoption[key];
      firstSum += outcome.right[0] / outcome.genuine;
      secondSum += outcome.right[1] / outcome.genuine;
      // The same run with each person in turn never enrolled: all their photos come as strangers.
      people.forEach((_, left) => {
        const lists = others.map((l, person) => (person === left ? byPerson[left].map((_, k) => byPerson[left][(k + rotation) % byPerson[left].length]) : l));
        const without = run(
          chosen.map((photo, person) => (person === left ? -1 : photo)),
          visitsOf(lists),
        );
        result.strangersNamed += without.strangers;
        result.strangersShown += without.strangersShown;
        result.wrongNames += without.wrong;
        result.shown += without.shown;
      });
    }
  }
  result.firstVisitRate = firstSum / result.runs;
  result.secondVisitRate = secondSum / result.runs;
  return result;
}

export interface FlowResult {
  /** Photos shown to a kiosk where their person was enrolled through the enrolment flow without that photo. */
  shown: number;
  recognised: number;
  wrongNames: number;
  /** Group photos and left-out people's photos shown, and how many were named. */
  strangersShown: number;
  strangersNamed: number;
  /** Templates each enrolment kept, and the seconds of (simulated 15 fps) video it took. */
  templates: number[];
  seconds: number[];
  /** People the flow could not enrol (no photo passed the enrolment gates). */
  notEnrolled: string[];
}

const FLOW_FPS = 15;
/** Each photo stays in view this many frames (a third of a second) in the simulated video. */
const FRAMES_PER_PHOTO = 5;

/**
 * Recognition with the real enrolment flow (FaceService, SQLite, encrypted templates, default
 * enrolment settings), each enrolment fed a person's photos as a video (each photo a third of a
 * second, looped, for at most 10 s). Everyone is enrolled from all their photos; then, for each
 * photo, its person is enrolled again without it (the enrolment replaces theirs) and the photo is
 * shown. Strangers: each person's photos are shown with that person's templates left out of the
 * match, and the group photos are shown.
 */
export async function enrolmentFlow(photos: readonly AnalysedPhoto[], rule: RecognitionRule): Promise<FlowResult> {
  const people = [...new Set(photos.filter(isPerson).map((p) => p.identity))].sort();
  const result: FlowResult = { shown: 0, recognised: 0, wrongNames: 0, strangersShown: 0, strangersNamed: 0, templates: [], seconds: [], notEnrolled: [] };
  const clock = manualClock();
  const config = stillPhotoConfig();
  config.recognition = { ...config.recognition, threshold: rule.threshold, margin: rule.margin };
  const face = createFaceService({ analyser: replayingAnalyser([...photos]), db: openDatabase({ file: ':memory:' }), secrets: createMemorySecretStore(), config, logger: createMemoryLogger(), clock });
  await face.start();
  let seq = 0;
  const enrol = async (identity: string, shots: AnalysedPhoto[]): Promise<void> => {
    const staffId = people.indexOf(identity) + 1;
    face.enrolment.start(staffId, 'consent', 'bench');
    let frames = 0;
    while (face.enrolment.active() && frames < FLOW_FPS * 10) {
      clock.advance(1000 / FLOW_FPS);
      face.submit({ seq: seq++, ...shots[Math.floor(frames / FRAMES_PER_PHOTO) % shots.length].frame, capturedAt: clock.now().getTime() });
      frames += 1;
      await face.idle();
    }
    const step = face.enrolment.current();
    face.enrolment.cancel();
    if (step.state !== 'done') result.notEnrolled.push(`${identity} from ${shots.map((s) => s.file).join(', ')}: ${JSON.stringify(step)}`);
    result.templates.push(step.state === 'done' ? step.templates : 0);
    result.seconds.push(frames / FLOW_FPS);
  };
  const identityOf = (staffId: number): string => people[staffId - 1] ?? '?';
  const shown = (probe: AnalysedPhoto, exclude?: string): Outcome =>
    probe.analysis.descriptor
      ? outcomeOf(probe.analysis, face.templates.match(probe.analysis.descriptor, exclude ? { exclude: new Set([people.indexOf(exclude) + 1]) } : undefined), identityOf, probe.identity, rule)
      : 'nobody';

  for (const id of people) await enrol(id, photos.filter((p) => p.identity === id));
  for (const probe of photos) {
    result.strangersShown += 1;
    if (shown(probe, isPerson(probe) ? probe.identity : undefined) !== 'nobody') result.strangersNamed += 1;
  }
  for (const probe of photos.filter(isPerson)) {
    await enrol(probe.identity, photos.filter((p) => p.identity === probe.identity && p !== probe));
    const outcome = shown(probe);
    result.shown += 1;
    if (outcome === 'right') result.recognised += 1;
    if (outcome === 'wrong') result.wrongNames += 1;
  }
  await face.stop();
  return result;
}

/** The quality gates, each checked on its own (a frame can fail several). */
export const GATES: ReadonlyArray<{ name: string; fails: (q: FaceQuality, limits: QualityLimits) => boolean }> = [
  { name: 'size', fails: (q, l) => q.sizeFraction < l.minSize || q.sizeFraction > l.maxSize },
  { name: 'centring', fails: (q, l) => q.clipped || q.centreOffset > l.maxCentreOffset },
  { name: 'pose', fails: (q, l) => Math.abs(q.yawDeg) > l.maxYawDeg || Math.abs(q.pitchDeg) > l.maxPitchDeg || Math.abs(q.rollDeg) > l.maxRollDeg },
  { name: 'light', fails: (q, l) => q.brightness < l.minBrightness || q.brightness > l.maxBrightness },
  { name: 'blur', fails: (q, l) => q.blur < l.minBlur },
];

export interface GateCount {
  /** Frames the gate flags whose face would have matched its own person / another person / nobody. */
  own: number;
  wrong: number;
  nobody: number;
}

export interface GateReport {
  /** Frames judged (probes with a main face and a descriptor) and how their leave-one-out match came out, before any gate. */
  frames: number;
  wouldMatchOwn: number;
  wouldBeWrong: number;
  /** At the kiosk: frames each gate flags (it only guides, the frame is still matched). */
  guiding: Record<string, GateCount>;
  /** At the kiosk: frames kept from matching (rival face, extreme pose), and frames without a main face. */
  refused: GateCount;
  noMainFace: number;
  /** Frames flagged by any gate that would have matched their own person: what refusing on every gate would cost. */
  flaggedOwn: number;
  /**
   * Group-photo frames: how many would have named somebody, how many of those the kiosk refuses (one
   * at a time), and who the others name (a condition can leave only one face detectable).
   */
  group: { frames: number; wouldName: number; refused: number; namedAlone: string[] };
  /** Enrolment: frames each gate refuses (the flow waits for a better one) and the mean template value of refused and accepted frames. */
  enrolment: Record<string, { refused: number; refusedValue: number; acceptedValue: number }>;
}

/**
 * What each gate does to the probes, judged leave-one-out: every probe is matched against all the
 * as-is photos except its own source photo. "Template value" is the fraction of the person's other
 * as-is photos a frame would have recognised as the only template.
 */
export function gateReport(probes: readonly Probe[], asIs: readonly AnalysedPhoto[], rule: RecognitionRule): GateReport {
  const people = asIs.filter(isPerson);
  const identities = [...new Set(people.map((p) => p.identity))];
  const report: GateReport = {
    frames: 0,
    wouldMatchOwn: 0,
    wouldBeWrong: 0,
    guiding: {},
    refused: { own: 0, wrong: 0, nobody: 0 },
    noMainFace: 0,
    flaggedOwn: 0,
    group: { frames: 0, wouldName: 0, refused: 0, namedAlone: [] },
    enrolment: {},
  };
  for (const gate of GATES) report.guiding[gate.name] = { own: 0, wrong: 0, nobody: 0 };
  const enrolment = new Map(GATES.map((g) => [g.name, { refused: 0, refusedSum: 0, acceptedSum: 0, accepted: 0 }]));
  const count = (c: GateCount, outcome: Outcome): void => {
    if (outcome === 'right') c.own += 1;
    else if (outcome === 'wrong') c.wrong += 1;
    else c.nobody += 1;
  };
  const everyone = createTemplateIndex(people.length);
  people.forEach((p, i) => everyone.add(i, identities.indexOf(p.identity), descriptorOf(p)));
  for (const probe of probes.filter((p) => !isPerson(p) && p.analysis.descriptor)) {
    report.group.frames += 1;
    const vote = voteFor(everyone.match(probe.analysis.descriptor as Float32Array), rule);
    if (vote.kind !== 'person') continue;
    report.group.wouldName += 1;
    if (!assessFrame(probe.analysis).matchable) report.group.refused += 1;
    else report.group.namedAlone.push(`${probe.file} ${probe.condition} (${probe.analysis.faces.length} face found) -> ${identities[vote.staffId]}`);
  }
  for (const probe of probes.filter(isPerson)) {
    const { analysis } = probe;
    if (!analysis.quality || !analysis.descriptor) {
      report.noMainFace += 1;
      continue;
    }
    const index = createTemplateIndex(people.length);
    people.forEach((p, i) => {
      if (p.file !== probe.file) index.add(i, identities.indexOf(p.identity), descriptorOf(p));
    });
    const vote = voteFor(index.match(analysis.descriptor), rule);
    const outcome: Outcome = vote.kind !== 'person' ? 'nobody' : identities[vote.staffId] === probe.identity ? 'right' : 'wrong';
    report.frames += 1;
    if (outcome === 'right') report.wouldMatchOwn += 1;
    if (outcome === 'wrong') report.wouldBeWrong += 1;
    const assessment = assessFrame(analysis);
    if (!assessment.matchable) count(report.refused, outcome);
    if (assessment.guidance !== 'ok' && outcome === 'right') report.flaggedOwn += 1;
    const own = people.filter((p) => p.identity === probe.identity && p.file !== probe.file);
    const value = own.length === 0 ? 1 : own.filter((p) => euclidean(analysis.descriptor as Float32Array, descriptorOf(p)) <= rule.threshold).length / own.length;
    for (const gate of GATES) {
      if (gate.fails(analysis.quality, RECOGNITION_LIMITS)) count(report.guiding[gate.name], outcome);
      const e = enrolment.get(gate.name);
      if (!e) continue;
      if (gate.fails(analysis.quality, ENROLMENT_LIMITS)) {
        e.refused += 1;
        e.refusedSum += value;
      } else {
        e.accepted += 1;
        e.acceptedSum += value;
      }
    }
  }
  for (const [name, e] of enrolment) {
    report.enrolment[name] = { refused: e.refused, refusedValue: e.refused ? e.refusedSum / e.refused : Number.NaN, acceptedValue: e.accepted ? e.acceptedSum / e.accepted : Number.NaN };
  }
  return report;
}
