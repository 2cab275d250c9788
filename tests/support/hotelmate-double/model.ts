/**
 * The HotelMate double's model layer over its SQLite store: the lookups every endpoint family
 * needs, the backend's notion of "now" and of "today" (the UTC date), and the writes several
 * families share (open a clock log, set a duty status, add a face audit row).
 */
import type { ClockLogRow, DB, DepartmentRow, FaceRow, HotelRow, RoleRow, RosterRow, StaffRow } from './store';
import { utcDate } from './format';

export interface Model {
  db: DB;
  /** The backend's `timezone.now()` in epoch ms. */
  nowMs(): number;
  /** The UTC date of now (`YYYY-MM-DD`): the backend's "today". */
  today(): string;
  hotelBySlug(slug: string): HotelRow | undefined;
  hotel(id: number): HotelRow | undefined;
  staff(id: number): StaffRow | undefined;
  staffByToken(token: string): StaffRow | undefined;
  staffByUsername(username: string): StaffRow | undefined;
  /** Staff of a hotel, ordered by id. */
  staffOfHotel(hotelId: number): StaffRow[];
  department(id: number): DepartmentRow | undefined;
  departmentOf(staff: StaffRow): DepartmentRow | undefined;
  roleOf(staff: StaffRow): RoleRow | undefined;
  /** The account's capabilities (the per-account permission list). */
  capabilitiesOf(staff: StaffRow): Set<string>;
  /** "First Last", trimmed. */
  fullName(staff: StaffRow): string;
  /** The person's StaffFace row, active or revoked. */
  faceOf(staffId: number): FaceRow | undefined;
  face(id: number): FaceRow | undefined;
  activeFaces(hotelId: number): FaceRow[];
  roster(id: number): RosterRow | undefined;
  /** Roster rows of a person dated `dates`, with both times set (roster matching's candidates). */
  timedShifts(hotelId: number, staffId: number, dates: [string, string]): RosterRow[];
  log(id: number): ClockLogRow | undefined;
  /** A person's logs, newest `time_in` first (ClockLog's default ordering). */
  logsOf(hotelId: number, staffId: number): ClockLogRow[];
  /** A hotel's logs, newest `time_in` first. */
  logsOfHotel(hotelId: number): ClockLogRow[];
  /**
   * `ClockLog.filter(hotel, staff, time_in__date=today(UTC), time_out__isnull=True).first()` (§3.3):
   * the newest open log that started today (UTC); a session from an earlier UTC date is invisible.
   */
  openLogToday(hotelId: number, staffId: number): ClockLogRow | undefined;
  /** Inserts a clock log (unset columns take the model defaults) and returns it. */
  insertLog(fields: Partial<ClockLogRow> & { hotel_id: number; staff_id: number; time_in: number }): ClockLogRow;
  /** Sets `duty_status`, and `is_on_duty` unless `isOnDuty` is null (breaks leave it alone). */
  setDuty(staff: StaffRow, status: StaffRow['duty_status'], isOnDuty: boolean | null): StaffRow;
  /** Adds a `FaceAuditLog` row. */
  audit(row: { hotelId: number; staffId: number; action: string; performedBy: number | null; reason: string; consent: boolean; clientIp: string; userAgent: string }): void;
}

/** Builds the model over the double's database and clock. */
export function createModel(db: DB, now: () => Date): Model {
  const q = {
    hotelBySlug: db.prepare<[string], HotelRow>('SELECT * FROM hotels WHERE slug = ?'),
    hotel: db.prepare<[number], HotelRow>('SELECT * FROM hotels WHERE id = ?'),
    staff: db.prepare<[number], StaffRow>('SELECT * FROM staff WHERE id = ?'),
    staffByToken: db.prepare<[string], StaffRow>('SELECT * FROM staff WHERE token = ?'),
    staffByUsername: db.prepare<[string], StaffRow>('SELECT * FROM staff WHERE username = ?'),
    staffOfHotel: db.prepare<[number], StaffRow>('SELECT * FROM staff WHERE hotel_id = ? ORDER BY id'),
    department: db.prepare<[number], DepartmentRow>('SELECT * FROM departments WHERE id = ?'),
    role: db.prepare<[number], RoleRow>('SELECT * FROM roles WHERE id = ?'),
    faceOf: db.prepare<[number], FaceRow>('SELECT * FROM faces WHERE staff_id = ?'),
    face: db.prepare<[number], FaceRow>('SELECT * FROM faces WHERE id = ?'),
    activeFaces: db.prepare<[number], FaceRow>('SELECT * FROM faces WHERE hotel_id = ? AND is_active = 1 ORDER BY id'),
    roster: db.prepare<[number], RosterRow>('SELECT * FROM rosters WHERE id = ?'),
    timedShifts: db.prepare<[number, number, string, string], RosterRow>(
      'SELECT * FROM rosters WHERE hotel_id = ? AND staff_id = ? AND shift_date IN (?, ?) AND shift_start IS NOT NULL AND shift_end IS NOT NULL',
    ),
    log: db.prepare<[number], ClockLogRow>('SELECT * FROM clock_logs WHERE id = ?'),
    logsOf: db.prepare<[number, number], ClockLogRow>('SELECT * FROM clock_logs WHERE hotel_id = ? AND staff_id = ? ORDER BY time_in DESC, id DESC'),
    openLogsOf: db.prepare<[number, number], ClockLogRow>(
      'SELECT * FROM clock_logs WHERE hotel_id = ? AND staff_id = ? AND time_out IS NULL ORDER BY time_in DESC, id DESC',
    ),
    logsOfHotel: db.prepare<[number], ClockLogRow>('SELECT * FROM clock_logs WHERE hotel_id = ? ORDER BY time_in DESC, id DESC'),
    setDuty: db.prepare<[string, number | null, number]>('UPDATE staff SET duty_status = ?, is_on_duty = ? WHERE id = ?'),
    audit: db.prepare<[number, number, string, number | null, string, number, string, string, number]>(
      'INSERT INTO face_audit (hotel_id, staff_id, action, performed_by, reason, consent_given, client_ip, user_agent, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
  };
  const nowMs = (): number => now().getTime();

  const model: Model = {
    db,
    nowMs,
    today: () => utcDate(nowMs()),
    hotelBySlug: (slug) => q.hotelBySlug.get(slug),
    hotel: (id) => q.hotel.get(id),
    staff: (id) => q.staff.get(id),
    staffByToken: (token) => q.staffByToken.get(token),
    staffByUsername: (username) => q.staffByUsername.get(username),
    staffOfHotel: (hotelId) => q.staffOfHotel.all(hotelId),
    department: (id) => q.department.get(id),
    departmentOf: (s) => (s.department_id ? q.department.get(s.department_id) : undefined),
    roleOf: (s) => (s.role_id ? q.role.get(s.role_id) : undefined),
    capabilitiesOf: (s) => new Set(JSON.parse(s.capabilities) as string[]),
    fullName: (s) => `${s.first_name} ${s.last_name}`.trim(),
    faceOf: (staffId) => q.faceOf.get(staffId),
    face: (id) => q.face.get(id),
    activeFaces: (hotelId) => q.activeFaces.all(hotelId),
    roster: (id) => q.roster.get(id),
    timedShifts: (hotelId, staffId, [a, b]) => q.timedShifts.all(hotelId, staffId, a, b),
    log: (id) => q.log.get(id),
    logsOf: (hotelId, staffId) => q.logsOf.all(hotelId, staffId),
    logsOfHotel: (hotelId) => q.logsOfHotel.all(hotelId),
    openLogToday: (hotelId, staffId) => {
      const day = model.today();
      return q.openLogsOf.all(hotelId, staffId).find((log) => utcDate(log.time_in) === day);
    },
    insertLog: (fields) => {
      const keys = Object.keys(fields);
      const info = db.prepare(`INSERT INTO clock_logs (${keys.join(', ')}) VALUES (${keys.map((k) => `@${k}`).join(', ')})`).run(fields);
      return q.log.get(Number(info.lastInsertRowid))!;
    },
    setDuty: (s, status, isOnDuty) => {
      q.setDuty.run(status, isOnDuty === null ? s.is_on_duty : isOnDuty ? 1 : 0, s.id);
      return q.staff.get(s.id)!;
    },
    audit: (r) => {
      q.audit.run(r.hotelId, r.staffId, r.action, r.performedBy, r.reason, r.consent ? 1 : 0, r.clientIp, r.userAgent, nowMs());
    },
  };
  return model;
}
