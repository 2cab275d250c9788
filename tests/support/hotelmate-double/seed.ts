/**
 * Seed helpers of the HotelMate double: hotels with their face settings, departments, staff with
 * tokens and per-account capabilities, roster shifts, faces and clock logs written straight into
 * the store (as the Django admin or earlier days would have left them), and the transcript's hotel.
 */
import { randomBytes } from 'node:crypto';
import type { DoubleClock } from './clock';
import { encodingFor, nearby } from './encodings';
import { normaliseTime, utcDate } from './format';
import { KIOSK_CAPABILITIES, MANAGER_CAPABILITIES, SELF_SERVICE_CAPABILITIES } from './permissions';
import type { DB, StaffRow } from './store';

export interface SeedHotelInput {
  slug: string;
  name?: string;
  /** `AttendanceSettings.face_attendance_enabled`; the backend's default is false (§6.4). */
  faceAttendanceEnabled?: boolean;
  faceAttendanceDepartments?: number[];
}

export interface SeedStaffInput {
  hotel: string;
  firstName: string;
  lastName: string;
  /** Department slug; created with `departmentName` (or a name derived from the slug) when new. */
  department?: string | null;
  departmentName?: string;
  /** Role slug; created with `roleName` when new. */
  role?: string | null;
  roleName?: string;
  /** Capability preset; `capabilities` overrides it. */
  access?: 'regular' | 'manager' | 'kiosk';
  capabilities?: string[];
  username?: string;
  password?: string;
  /** 40-hex token; random when omitted. */
  token?: string;
  isActive?: boolean;
  email?: string | null;
  profileImageUrl?: string | null;
}

export interface SeededStaff {
  id: number;
  userId: number;
  username: string;
  password: string;
  token: string;
  name: string;
}

export interface SeedShiftInput {
  staffId: number;
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM or HH:MM:SS, read as UTC by the backend. */
  start: string;
  end: string;
  department?: string | null;
  breakStart?: string | null;
  breakEnd?: string | null;
  location?: string | null;
  notes?: string | null;
}

export interface SeedFaceInput {
  staffId: number;
  encoding: readonly number[];
  isActive?: boolean;
  consentGiven?: boolean;
  registeredBy?: number | null;
}

export interface SeedClockLogInput {
  staffId: number;
  timeIn: Date | string;
  timeOut?: Date | string | null;
  rosterShiftId?: number | null;
  isUnrostered?: boolean;
  isApproved?: boolean;
  isKioskMode?: boolean;
  breakStart?: Date | string | null;
  isOnBreak?: boolean;
  totalBreakMinutes?: number;
  /** Also set the person's duty_status as the backend would have (default true). */
  updateDutyStatus?: boolean;
}

/** The transcript's hotel: a manager/kiosk account, two staff with faces, one without. */
export interface KillarneyWorld {
  hotelSlug: string;
  manager: SeededStaff;
  aoife: SeededStaff;
  conor: SeededStaff;
  niamh: SeededStaff;
  /** Aoife's shift today (UTC) covering the double's "now", far from its end unless given; Conor has none. */
  aoifeShiftId: number;
  encodings: { aoife: number[]; conor: number[]; stranger: number[] };
  /** A fresh capture ~0.03 away from the registered one. */
  probes: { aoife: number[]; conor: number[] };
}

export interface DoubleSeed {
  hotel(input: SeedHotelInput): { id: number; slug: string };
  setFaceAttendance(hotelSlug: string, enabled: boolean, departments?: number[]): void;
  department(hotelSlug: string, slug: string, name?: string): { id: number; slug: string; name: string };
  staff(input: SeedStaffInput): SeededStaff;
  setStaffActive(staffId: number, active: boolean): void;
  /** Adds capabilities to one account (its permission list, e.g. `attendance.log.create`). */
  grant(staffId: number, ...capabilities: string[]): void;
  /** Removes capabilities from one account. */
  revoke(staffId: number, ...capabilities: string[]): void;
  shift(input: SeedShiftInput): { id: number };
  face(input: SeedFaceInput): { id: number; imageUrl: string };
  clockLog(input: SeedClockLogInput): { id: number };
  /**
   * Seeds the transcript's `hotel-killarney` with face attendance enabled. `registerFaces: false`
   * leaves faces to be registered through the API (as the transcript does in steps 3-4).
   */
  killarney(options?: { registerFaces?: boolean; aoifeShift?: { start: string; end: string } }): KillarneyWorld;
}

const ACCESS: Record<NonNullable<SeedStaffInput['access']>, { level: string; capabilities: string[] }> = {
  regular: { level: 'regular_staff', capabilities: SELF_SERVICE_CAPABILITIES },
  manager: { level: 'super_staff_admin', capabilities: MANAGER_CAPABILITIES },
  kiosk: { level: 'staff_admin', capabilities: KIOSK_CAPABILITIES },
};

function titleCase(slug: string): string {
  return slug
    .split(/[-_]/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');
}

function toMs(value: Date | string): number {
  return new Date(value).getTime();
}

/** Builds the seed helpers; `origin` gives the image URLs the server's address. */
export function createSeed(db: DB, clock: DoubleClock, origin: () => string): DoubleSeed {
  const hotelId = (slug: string): number => {
    const row = db.prepare<[string], { id: number }>('SELECT id FROM hotels WHERE slug = ?').get(slug);
    if (!row) throw new Error(`hotelmate-double seed: no hotel "${slug}"`);
    return row.id;
  };
  const staffRow = (staffId: number): StaffRow => {
    const s = db.prepare<[number], StaffRow>('SELECT * FROM staff WHERE id = ?').get(staffId);
    if (!s) throw new Error(`hotelmate-double seed: no staff ${staffId}`);
    return s;
  };
  const setCapabilities = (staffId: number, change: (current: Set<string>) => void): void => {
    const current = new Set(JSON.parse(staffRow(staffId).capabilities) as string[]);
    change(current);
    db.prepare('UPDATE staff SET capabilities = ? WHERE id = ?').run(JSON.stringify([...current]), staffId);
  };

  const seed: DoubleSeed = {
    hotel(input) {
      const info = db
        .prepare('INSERT INTO hotels (slug, name, face_attendance_enabled, face_attendance_departments) VALUES (?, ?, ?, ?)')
        .run(input.slug, input.name ?? titleCase(input.slug), input.faceAttendanceEnabled ? 1 : 0, JSON.stringify(input.faceAttendanceDepartments ?? []));
      return { id: Number(info.lastInsertRowid), slug: input.slug };
    },
    setFaceAttendance(hotelSlug, enabled, departments) {
      db.prepare('UPDATE hotels SET face_attendance_enabled = ? WHERE id = ?').run(enabled ? 1 : 0, hotelId(hotelSlug));
      if (departments) db.prepare('UPDATE hotels SET face_attendance_departments = ? WHERE id = ?').run(JSON.stringify(departments), hotelId(hotelSlug));
    },
    department(hotelSlug, slug, name) {
      const hid = hotelId(hotelSlug);
      const existing = db.prepare<[number, string], { id: number; name: string }>('SELECT id, name FROM departments WHERE hotel_id = ? AND slug = ?').get(hid, slug);
      if (existing) return { id: existing.id, slug, name: existing.name };
      const finalName = name ?? titleCase(slug);
      const info = db.prepare('INSERT INTO departments (hotel_id, name, slug) VALUES (?, ?, ?)').run(hid, finalName, slug);
      return { id: Number(info.lastInsertRowid), slug, name: finalName };
    },
    staff: (input) => seedStaff(db, seed, hotelId(input.hotel), input),
    setStaffActive(staffId, active) {
      db.prepare('UPDATE staff SET is_active = ? WHERE id = ?').run(active ? 1 : 0, staffId);
    },
    grant: (staffId, ...capabilities) => setCapabilities(staffId, (set) => capabilities.forEach((c) => set.add(c))),
    revoke: (staffId, ...capabilities) => setCapabilities(staffId, (set) => capabilities.forEach((c) => set.delete(c))),
    shift: (input) => seedShift(db, seed, staffRow(input.staffId), input, clock.now().getTime()),
    face: (input) => seedFace(db, staffRow(input.staffId), input, clock.now().getTime(), origin()),
    clockLog: (input) => seedClockLog(db, staffRow(input.staffId), input),
    killarney: (options = {}) => seedKillarney(seed, clock.now(), options),
  };
  return seed;
}

function seedStaff(db: DB, seed: DoubleSeed, hotelId: number, input: SeedStaffInput): SeededStaff {
  const dept = input.department ? seed.department(input.hotel, input.department, input.departmentName) : null;
  let roleId: number | null = null;
  if (input.role) {
    const existing = db.prepare<[number, string], { id: number }>('SELECT id FROM roles WHERE hotel_id = ? AND slug = ?').get(hotelId, input.role);
    roleId =
      existing?.id ??
      Number(
        db
          .prepare('INSERT INTO roles (hotel_id, name, slug, department_id) VALUES (?, ?, ?, ?)')
          .run(hotelId, input.roleName ?? titleCase(input.role), input.role, dept?.id ?? null).lastInsertRowid,
      );
  }
  const access = ACCESS[input.access ?? 'regular'];
  const username = input.username ?? `${input.firstName}.${input.lastName}`.toLowerCase().replace(/[^a-z0-9.]/g, '');
  const password = input.password ?? `pw-${randomBytes(6).toString('hex')}`;
  const token = input.token ?? randomBytes(20).toString('hex');
  const userId = (db.prepare<[], { m: number | null }>('SELECT MAX(user_id) AS m FROM staff').get()?.m ?? 0) + 1;
  const info = db
    .prepare(
      `INSERT INTO staff (hotel_id, user_id, username, password, token, first_name, last_name, email, department_id, role_id,
         access_level, capabilities, is_active, duty_status, is_on_duty, has_registered_face, profile_image_url)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'off_duty', 0, 0, ?)`,
    )
    .run(
      hotelId,
      userId,
      username,
      password,
      token,
      input.firstName,
      input.lastName,
      input.email ?? null,
      dept?.id ?? null,
      roleId,
      access.level,
      JSON.stringify(input.capabilities ?? access.capabilities),
      input.isActive === false ? 0 : 1,
      input.profileImageUrl ?? null,
    );
  return { id: Number(info.lastInsertRowid), userId, username, password, token, name: `${input.firstName} ${input.lastName}`.trim() };
}

function seedShift(db: DB, seed: DoubleSeed, s: StaffRow, input: SeedShiftInput, now: number): { id: number } {
  const hotelSlug = db.prepare<[number], { slug: string }>('SELECT slug FROM hotels WHERE id = ?').get(s.hotel_id)!.slug;
  const deptId = input.department === undefined ? s.department_id : input.department === null ? null : seed.department(hotelSlug, input.department).id;
  const start = normaliseTime(input.start);
  const end = normaliseTime(input.end);
  const startMs = Date.parse(`1970-01-01T${start}Z`);
  let endMs = Date.parse(`1970-01-01T${end}Z`);
  if (endMs < startMs) endMs += 86_400_000;
  const info = db
    .prepare(
      `INSERT INTO rosters (hotel_id, staff_id, department_id, shift_date, shift_start, shift_end, break_start, break_end,
         expected_hours, notes, location_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      s.hotel_id,
      s.id,
      deptId,
      input.date,
      start,
      end,
      input.breakStart ? normaliseTime(input.breakStart) : null,
      input.breakEnd ? normaliseTime(input.breakEnd) : null,
      ((endMs - startMs) / 3_600_000).toFixed(2),
      input.notes ?? null,
      input.location ?? null,
      now,
      now,
    );
  return { id: Number(info.lastInsertRowid) };
}

function seedFace(db: DB, s: StaffRow, input: SeedFaceInput, now: number, origin: string): { id: number; imageUrl: string } {
  const publicId = `staff_faces/${randomBytes(10).toString('hex')}`;
  const imageUrl = `${origin}/media/cloudinary/image/upload/v${Math.floor(now / 1000)}/${publicId}.jpg`;
  const active = input.isActive === false ? 0 : 1;
  db.prepare('DELETE FROM faces WHERE staff_id = ?').run(s.id);
  const info = db
    .prepare(
      'INSERT INTO faces (hotel_id, staff_id, encoding, image_url, public_id, consent_given, registered_by, is_active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    .run(s.hotel_id, s.id, JSON.stringify(input.encoding), imageUrl, publicId, input.consentGiven === false ? 0 : 1, input.registeredBy ?? null, active, now, now);
  db.prepare('UPDATE staff SET has_registered_face = ? WHERE id = ?').run(active, s.id);
  return { id: Number(info.lastInsertRowid), imageUrl };
}

function seedClockLog(db: DB, s: StaffRow, input: SeedClockLogInput): { id: number } {
  const onBreak = input.isOnBreak === true;
  const info = db
    .prepare(
      `INSERT INTO clock_logs (hotel_id, staff_id, time_in, time_out, roster_shift_id, is_unrostered, is_approved, is_kiosk_mode,
         is_on_break, break_start, total_break_minutes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      s.hotel_id,
      s.id,
      toMs(input.timeIn),
      input.timeOut ? toMs(input.timeOut) : null,
      input.rosterShiftId ?? null,
      input.isUnrostered ? 1 : 0,
      input.isApproved === false ? 0 : 1,
      input.isKioskMode ? 1 : 0,
      onBreak ? 1 : 0,
      input.breakStart ? toMs(input.breakStart) : null,
      input.totalBreakMinutes ?? 0,
    );
  if (input.updateDutyStatus !== false) {
    const status = input.timeOut ? 'off_duty' : onBreak ? 'on_break' : 'on_duty';
    db.prepare('UPDATE staff SET duty_status = ?, is_on_duty = ? WHERE id = ?').run(status, status === 'off_duty' ? 0 : 1, s.id);
  }
  return { id: Number(info.lastInsertRowid) };
}

/**
 * A shift for today (UTC) that is far from its end at `now`: from 30 minutes before a shift ends
 * Clock Out is the big button, and a shift of the whole UTC day would no longer cover a test that
 * runs past midnight. Late in the day the shift starts at 20:00 and ends at 08:00 the next morning
 * (HotelMate reads an end before the start as the next day, and looks at yesterday's shifts too).
 */
export function shiftAwayFromItsEnd(now: Date): { start: string; end: string } {
  return now.getUTCHours() < 20 ? { start: '00:00', end: '23:59' } : { start: '20:00', end: '08:00' };
}

function seedKillarney(seed: DoubleSeed, now: Date, options: { registerFaces?: boolean; aoifeShift?: { start: string; end: string } }): KillarneyWorld {
  const hotelSlug = 'hotel-killarney';
  seed.hotel({ slug: hotelSlug, name: 'Hotel Killarney', faceAttendanceEnabled: true });
  const departments = [
    seed.department(hotelSlug, 'management', 'Management'),
    seed.department(hotelSlug, 'front_office', 'Front Office'),
    seed.department(hotelSlug, 'housekeeping', 'Housekeeping'),
  ];
  // As in the recording, the settings row lists every department (the gate then passes for all).
  seed.setFaceAttendance(hotelSlug, true, departments.map((d) => d.id));
  const manager = seed.staff({
    hotel: hotelSlug,
    firstName: 'Siobhan',
    lastName: 'Kelly',
    department: 'management',
    role: 'hotel_manager',
    roleName: 'Hotel Manager',
    access: 'manager',
    username: 'siobhan.kelly',
    password: 'KioskTest123!',
  });
  const aoife = seed.staff({ hotel: hotelSlug, firstName: 'Aoife', lastName: 'Murphy', department: 'front_office', role: 'front_desk_agent', roleName: 'Front Desk Agent' });
  const conor = seed.staff({ hotel: hotelSlug, firstName: 'Conor', lastName: "O'Sullivan", department: 'housekeeping', role: 'housekeeper', roleName: 'Housekeeper' });
  const niamh = seed.staff({ hotel: hotelSlug, firstName: 'Niamh', lastName: 'Byrne', department: 'front_office', role: 'front_desk_agent' });
  const shift = options.aoifeShift ?? shiftAwayFromItsEnd(now);
  const aoifeShiftId = seed.shift({ staffId: aoife.id, date: utcDate(now.getTime()), start: shift.start, end: shift.end, notes: 'Seeded for local kiosk testing' }).id;
  const encodings = { aoife: encodingFor(2), conor: encodingFor(3), stranger: encodingFor(99) };
  if (options.registerFaces !== false) {
    seed.face({ staffId: aoife.id, encoding: encodings.aoife, registeredBy: manager.id });
    seed.face({ staffId: conor.id, encoding: encodings.conor, registeredBy: manager.id });
  }
  return {
    hotelSlug,
    manager,
    aoife,
    conor,
    niamh,
    aoifeShiftId,
    encodings,
    probes: { aoife: nearby(encodings.aoife, 0.03, 2), conor: nearby(encodings.conor, 0.03, 3) },
  };
}
