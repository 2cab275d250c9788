/**
 * A small hotel for demos and end-to-end tests: the HotelMate test double (real HTTP on 127.0.0.1)
 * seeded with staff whose faces are the shared test photos, optionally a local soketi that relays
 * the Pusher events the double's backend would send, a function that enrols those staff on a
 * kiosk with descriptors computed by the real face pipeline, and the demo's camera video.
 */
import path from 'node:path';
import { createFacePipeline, type FacePipeline } from '../../src/main/face/pipeline/face-pipeline';
import { createMemoryLogger } from '../../src/main/logging/logger';
import type { KioskApp } from '../../src/main/app/create-kiosk-app';
import { createHotelMateDouble } from './hotelmate-double';
import { shiftAwayFromItsEnd } from './hotelmate-double/seed';
import { startSoketi, type SoketiHandle } from './soketi/soketi';
import { decodePhotoAsFrame, listPhotos } from './media/photos';
import { facePhotos, makeFaceVideo, makeSolidImage } from './media/face-video';

export const HOTEL_SLUG = 'hotel-killarney';

/**
 * The demo camera's rhythm: each person is in view for `faceSeconds`, then the picture is empty for
 * `gapSeconds`. The gap is what lets every screen show: the kiosk decides about a face once per
 * visit, so without it the stranger, who follows straight after Conor, would still be Conor's
 * visit and never reach "not recognised"; and it is longer than the greeting's 15 s, so the
 * previous greeting is over (back to idle) when the next person steps up.
 */
export const DEMO_CAMERA = { people: ['person-a', 'person-b', 'person-e'], faceSeconds: 6, gapSeconds: 14 } as const;

/** Builds (or reuses) the demo's camera video: Aoife, Conor, then the stranger Lucía, each followed by an empty picture. */
export async function demoCameraVideo(): Promise<string> {
  const empty = await makeSolidImage({ size: { width: 640, height: 480 }, color: [40, 44, 52] });
  // makeFaceVideo shows every still for the same time (2 s): a face is three stills, a gap seven.
  const step = 2;
  const stills = DEMO_CAMERA.people.flatMap((identity) => {
    const face = facePhotos({ identity })[0];
    if (!face) throw new Error(`no shared photo of ${identity} (is the shared test data beside the repository?)`);
    return [...Array<string>(DEMO_CAMERA.faceSeconds / step).fill(face), ...Array<string>(DEMO_CAMERA.gapSeconds / step).fill(empty)];
  });
  return makeFaceVideo({ photos: stills, secondsEach: step, fps: 15 });
}

export interface DemoPerson {
  identity: string;
  firstName: string;
  lastName: string;
  department: string;
  departmentName: string;
  /** Photos of this person in the shared set (file names). */
  photos: string[];
  /** Enrolled on the kiosk and registered on HotelMate. */
  enrolled: boolean;
  /** Has a roster shift covering the whole demo day (UTC). */
  rostered: boolean;
  /** HotelMate role (slug and name), when the person has one that matters to the kiosk. */
  role?: { slug: string; name: string };
}

/** person-a..f of the shared photos as hotel staff; e and f stay strangers to the kiosk; Niamh is the duty manager (she may approve a punch without a face). */
const PEOPLE: Omit<DemoPerson, 'photos'>[] = [
  { identity: 'person-a', firstName: 'Aoife', lastName: 'Murphy', department: 'front_office', departmentName: 'Front Office', enrolled: true, rostered: true },
  { identity: 'person-b', firstName: 'Conor', lastName: "O'Sullivan", department: 'housekeeping', departmentName: 'Housekeeping', enrolled: true, rostered: false },
  {
    identity: 'person-c',
    firstName: 'Niamh',
    lastName: 'Byrne',
    department: 'front_office',
    departmentName: 'Front Office',
    enrolled: true,
    rostered: true,
    role: { slug: 'duty_manager', name: 'Duty Manager' },
  },
  { identity: 'person-d', firstName: 'Piotr', lastName: 'Nowak', department: 'kitchen', departmentName: 'Kitchen', enrolled: true, rostered: true },
  { identity: 'person-e', firstName: 'Lucía', lastName: 'García', department: 'housekeeping', departmentName: 'Housekeeping', enrolled: false, rostered: true },
  { identity: 'person-f', firstName: 'Seán', lastName: 'Kelly', department: 'kitchen', departmentName: 'Kitchen', enrolled: false, rostered: false },
];

export interface DemoWorld {
  apiBaseUrl: string;
  hotelSlug: string;
  /** The kiosk account's token (as if it had signed in). */
  token: string;
  kioskAccount: { username: string; password: string };
  people: (DemoPerson & { staffId: number })[];
  /** The demo person with this shared-photo identity (`person-a`...); throws for an unknown one. */
  person(identity: string): DemoPerson & { staffId: number };
  soketi: SoketiHandle | null;
  double: Awaited<ReturnType<typeof createHotelMateDouble>>;
  /** Config for the kiosk pointing at this world. */
  kioskConfig(): Record<string, unknown>;
  /** Enrols every `enrolled` person on the kiosk from their first photo (real pipeline). */
  enrol(app: KioskApp): Promise<void>;
  close(): Promise<void>;
}

let pipeline: Promise<FacePipeline> | null = null;
const descriptorCache = new Map<string, Float32Array>();

/** The face-api descriptor of a shared photo, through the kiosk's own ONNX pipeline. */
export async function photoDescriptor(file: string): Promise<Float32Array> {
  const cached = descriptorCache.get(file);
  if (cached) return cached;
  pipeline ??= createFacePipeline({ modelsDir: path.resolve(__dirname, '../../models'), logger: createMemoryLogger(), threads: 1 });
  const analysis = await (await pipeline).analyse(decodePhotoAsFrame(file));
  if (!analysis.descriptor) throw new Error(`no face found in ${file}`);
  descriptorCache.set(file, analysis.descriptor);
  return analysis.descriptor;
}

export async function startDemoWorld(options: { soketi?: boolean; dbFile?: string } = {}): Promise<DemoWorld> {
  const soketi = options.soketi ? await startSoketi() : null;
  const double = await createHotelMateDouble({
    dbFile: options.dbFile,
    onPusherEvent: soketi
      ? (channel, event, data) => {
          soketi.trigger(channel, event, data).catch(() => undefined);
        }
      : undefined,
  });
  const photos = listPhotos();
  double.seed.hotel({ slug: HOTEL_SLUG, name: 'Hotel Killarney', faceAttendanceEnabled: true });
  const kiosk = double.seed.staff({
    hotel: HOTEL_SLUG,
    firstName: 'Front',
    lastName: 'Kiosk',
    department: 'management',
    departmentName: 'Management',
    access: 'manager',
    username: 'kiosk.lobby',
    password: 'KioskDemo123!',
  });
  const now = new Date();
  const today = now.toISOString().slice(0, 10);
  const shift = shiftAwayFromItsEnd(now);
  const people: (DemoPerson & { staffId: number })[] = [];
  for (const person of PEOPLE) {
    const staff = double.seed.staff({
      hotel: HOTEL_SLUG,
      firstName: person.firstName,
      lastName: person.lastName,
      department: person.department,
      departmentName: person.departmentName,
      ...(person.role ? { role: person.role.slug, roleName: person.role.name } : {}),
      access: 'regular',
    });
    if (person.rostered) double.seed.shift({ staffId: staff.id, date: today, start: shift.start, end: shift.end, department: person.department });
    const own = photos.filter((p) => p.identity === person.identity).map((p) => p.file);
    people.push({ ...person, photos: own, staffId: staff.id });
    if (person.enrolled) {
      const descriptor = await photoDescriptor(own[0] as string);
      double.seed.face({ staffId: staff.id, encoding: Array.from(descriptor) });
    }
  }
  return {
    apiBaseUrl: double.apiBaseUrl,
    hotelSlug: HOTEL_SLUG,
    token: kiosk.token,
    kioskAccount: { username: kiosk.username, password: kiosk.password },
    people,
    person(identity) {
      const found = people.find((p) => p.identity === identity);
      if (!found) throw new Error(`no demo person ${identity}`);
      return found;
    },
    soketi,
    double,
    kioskConfig: () => ({
      hotel: { slug: HOTEL_SLUG, name: 'Hotel Killarney', timeZone: 'Europe/Dublin' },
      api: { baseUrl: double.apiBaseUrl, probeIntervalSeconds: 5 },
      pusher: soketi
        ? { enabled: true, key: soketi.key, host: '127.0.0.1', port: soketi.port, useTLS: false, cluster: 'mt1' }
        : { enabled: false },
      // The demo's camera is a video of still photos: exactly what the liveness check exists to refuse.
      recognition: { liveness: 'off' },
    }),
    async enrol(app) {
      for (const person of people.filter((p) => p.enrolled)) {
        app.face.templates.addTemplate(person.staffId, await photoDescriptor(person.photos[0] as string), 'demo', 1);
      }
    },
    async close() {
      await double.close();
      await soketi?.stop();
    },
  };
}
