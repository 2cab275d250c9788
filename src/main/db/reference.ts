/**
 * Queries of the reference data cached from HotelMate (`staff`, `shifts`, `server_status`,
 * `reference_meta`). The reference cache (src/main/reference) decides what to fetch and keep.
 */
import type { StaffAuthority } from '../../shared/domain/manual-approvers';
import type { DutyStatus, StaffSummary } from '../../shared/domain/types';
import type { ReadableDB, WritableDB } from './database';
import { command, query } from './statements';

/** A person as cached from the staff list, with their HotelMate authority (who may approve a punch without a face). */
export interface CachedStaff extends StaffSummary, StaffAuthority {
  departmentSlug: string | null;
  isActive: boolean;
}

export interface ServerStatusRow {
  staffId: number;
  status: DutyStatus;
  breakStartedAt: string | null;
  since: string | null;
  observedAt: string;
  source: string;
}

/** A roster shift as cached: date (UTC, as the backend), HH:MM times. */
export interface CachedShift {
  id: number;
  staffId: number;
  date: string;
  start: string;
  end: string;
  department: string | null;
  location: string | null;
}

interface StaffRow {
  id: number;
  name: string;
  department: string | null;
  department_slug: string | null;
  photo_url: string | null;
  is_active: number;
  access_level: string | null;
  role_slug: string | null;
}

interface ShiftRow {
  id: number;
  staff_id: number;
  shift_date: string;
  shift_start: string;
  shift_end: string;
  department: string | null;
  location: string | null;
}

interface StatusRow {
  staff_id: number;
  status: DutyStatus;
  break_started_at: string | null;
  since: string | null;
  observed_at: string;
  source: string;
}

const toStaff = (row: StaffRow): CachedStaff => ({
  id: row.id,
  name: row.name,
  department: row.department,
  departmentSlug: row.department_slug,
  photoUrl: row.photo_url,
  isActive: row.is_active === 1,
  accessLevel: row.access_level,
  roleSlug: row.role_slug,
});

const toShift = (row: ShiftRow): CachedShift => ({
  id: row.id,
  staffId: row.staff_id,
  date: row.shift_date,
  start: row.shift_start,
  end: row.shift_end,
  department: row.department,
  location: row.location,
});

const toStatus = (row: StatusRow): ServerStatusRow => ({
  staffId: row.staff_id,
  status: row.status,
  breakStartedAt: row.break_started_at,
  since: row.since,
  observedAt: row.observed_at,
  source: row.source,
});

const STAFF_COLUMNS = 'id, name, department, department_slug, photo_url, is_active, access_level, role_slug';
const STATUS_COLUMNS = 'staff_id, status, break_started_at, since, observed_at, source';

const selectStaff = query<[number], StaffRow>(`SELECT ${STAFF_COLUMNS} FROM staff WHERE id = ?`);
const selectAllStaff = query<[], StaffRow>(`SELECT ${STAFF_COLUMNS} FROM staff ORDER BY name`);
const upsertStaffRow = command<Omit<CachedStaff, 'isActive'> & { isActive: number; updatedAt: string }>(
  `INSERT INTO staff (id, name, department, department_slug, photo_url, is_active, access_level, role_slug, updated_at)
   VALUES (@id, @name, @department, @departmentSlug, @photoUrl, @isActive, @accessLevel, @roleSlug, @updatedAt)
   ON CONFLICT(id) DO UPDATE SET name = excluded.name, department = excluded.department, department_slug = excluded.department_slug,
     photo_url = excluded.photo_url, is_active = excluded.is_active, access_level = excluded.access_level, role_slug = excluded.role_slug,
     updated_at = excluded.updated_at`,
);
const selectShiftsOn = query<[number, string, string], ShiftRow>(
  `SELECT id, staff_id, shift_date, shift_start, shift_end, department, location FROM shifts
   WHERE staff_id = ? AND shift_date IN (?, ?) ORDER BY shift_date, shift_start`,
);
const deleteShiftsBetween = command<[string, string]>(`DELETE FROM shifts WHERE shift_date >= ? AND shift_date <= ?`);
const deleteShiftsBefore = command<[string]>(`DELETE FROM shifts WHERE shift_date < ?`);
const insertShiftRow = command<CachedShift & { updatedAt: string }>(
  `INSERT OR REPLACE INTO shifts (id, staff_id, shift_date, shift_start, shift_end, department, location, updated_at)
   VALUES (@id, @staffId, @date, @start, @end, @department, @location, @updatedAt)`,
);
const selectStatus = query<[number], StatusRow>(`SELECT ${STATUS_COLUMNS} FROM server_status WHERE staff_id = ?`);
const selectAllStatuses = query<[], StatusRow>(`SELECT ${STATUS_COLUMNS} FROM server_status`);
const upsertStatusRow = command<ServerStatusRow>(
  `INSERT INTO server_status (staff_id, status, break_started_at, since, observed_at, source)
   VALUES (@staffId, @status, @breakStartedAt, @since, @observedAt, @source)
   ON CONFLICT(staff_id) DO UPDATE SET status = excluded.status, break_started_at = excluded.break_started_at,
     since = excluded.since, observed_at = excluded.observed_at, source = excluded.source`,
);
const selectMeta = query<[string], { value: string }>(`SELECT value FROM reference_meta WHERE key = ?`);
const upsertMeta = command<[string, string, string]>(
  `INSERT INTO reference_meta (key, value, updated_at) VALUES (?, ?, ?)
   ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
);

/** The statements on the kiosk's hot paths, for the `EXPLAIN QUERY PLAN` checks. */
export const REFERENCE_HOT_QUERIES = {
  /** The server-known half of a person's effective status. */
  serverStatus: selectStatus.sql,
  /** Today's shift on the greeting screen. */
  shiftsOn: selectShiftsOn.sql,
} as const;

export function cachedStaff(db: ReadableDB, staffId: number): CachedStaff | null {
  const row = selectStaff(db).get(staffId);
  return row ? toStaff(row) : null;
}

/** Every cached staff member, by name. */
export function allCachedStaff(db: ReadableDB): CachedStaff[] {
  return selectAllStaff(db).all().map(toStaff);
}

export function upsertStaff(db: WritableDB, staff: CachedStaff, updatedAt: string): void {
  upsertStaffRow(db).run({ ...staff, isActive: staff.isActive ? 1 : 0, updatedAt });
}

/** A person's shifts on two dates (yesterday and today), by date and start. */
export function shiftsOn(db: ReadableDB, staffId: number, dates: readonly [string, string]): CachedShift[] {
  return selectShiftsOn(db)
    .all(staffId, dates[0], dates[1])
    .map(toShift);
}

/** Replaces the cached shifts of the dates `from`..`to` and drops older ones. Call inside a transaction. */
export function replaceShifts(db: WritableDB, from: string, to: string, shifts: readonly CachedShift[], updatedAt: string): void {
  deleteShiftsBetween(db).run(from, to);
  deleteShiftsBefore(db).run(from);
  for (const shift of shifts) insertShiftRow(db).run({ ...shift, updatedAt });
}

export function serverStatusOf(db: ReadableDB, staffId: number): ServerStatusRow | null {
  const row = selectStatus(db).get(staffId);
  return row ? toStatus(row) : null;
}

export function allServerStatuses(db: ReadableDB): ServerStatusRow[] {
  return selectAllStatuses(db).all().map(toStatus);
}

export function upsertServerStatus(db: WritableDB, status: ServerStatusRow): void {
  upsertStatusRow(db).run(status);
}

export function referenceMeta(db: ReadableDB, key: string): string | null {
  return selectMeta(db).get(key)?.value ?? null;
}

export function setReferenceMeta(db: WritableDB, key: string, value: string, updatedAt: string): void {
  upsertMeta(db).run(key, value, updatedAt);
}
