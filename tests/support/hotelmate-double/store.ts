/**
 * The HotelMate double's own SQLite database: the handful of backend tables the kiosk's endpoints
 * touch (hotels with their AttendanceSettings, departments, roles, staff with tokens, faces, face
 * audit rows, clock logs, roster shifts), with times stored as epoch milliseconds (UTC).
 */
import Database from 'better-sqlite3';

export type DB = Database.Database;

export interface HotelRow {
  id: number;
  slug: string;
  name: string;
  face_attendance_enabled: number;
  face_attendance_min_confidence: number;
  require_face_consent: number;
  allow_face_self_registration: number;
  face_data_retention_days: number;
  face_attendance_departments: string;
}

export interface DepartmentRow {
  id: number;
  hotel_id: number;
  name: string;
  slug: string;
}

export interface RoleRow {
  id: number;
  hotel_id: number;
  name: string;
  slug: string;
  department_id: number | null;
}

export interface StaffRow {
  id: number;
  hotel_id: number;
  user_id: number;
  username: string;
  password: string;
  token: string;
  first_name: string;
  last_name: string;
  email: string | null;
  department_id: number | null;
  role_id: number | null;
  access_level: string;
  capabilities: string;
  is_active: number;
  duty_status: 'off_duty' | 'on_duty' | 'on_break';
  is_on_duty: number | null;
  has_registered_face: number | null;
  profile_image_url: string | null;
}

export interface FaceRow {
  id: number;
  hotel_id: number;
  staff_id: number;
  encoding: string;
  image_url: string | null;
  public_id: string | null;
  consent_given: number;
  registered_by: number | null;
  is_active: number;
  created_at: number;
  updated_at: number;
}

export interface AuditRow {
  id: number;
  hotel_id: number;
  staff_id: number;
  action: string;
  performed_by: number | null;
  reason: string;
  consent_given: number;
  client_ip: string | null;
  user_agent: string | null;
  created_at: number;
}

export interface ClockLogRow {
  id: number;
  hotel_id: number;
  staff_id: number;
  time_in: number;
  time_out: number | null;
  verified_by_face: number;
  location_note: string | null;
  auto_clock_out: number;
  hours_worked: string | null;
  roster_shift_id: number | null;
  is_unrostered: number;
  is_approved: number;
  is_rejected: number;
  is_kiosk_mode: number;
  is_on_break: number;
  break_start: number | null;
  break_end: number | null;
  total_break_minutes: number;
}

export interface RosterRow {
  id: number;
  hotel_id: number;
  staff_id: number;
  department_id: number | null;
  shift_date: string;
  shift_start: string | null;
  shift_end: string | null;
  break_start: string | null;
  break_end: string | null;
  shift_type: string;
  expected_hours: string | null;
  notes: string | null;
  location_name: string | null;
  created_at: number;
  updated_at: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS hotels (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  face_attendance_enabled INTEGER NOT NULL DEFAULT 0,
  face_attendance_min_confidence REAL NOT NULL DEFAULT 0.8,
  require_face_consent INTEGER NOT NULL DEFAULT 1,
  allow_face_self_registration INTEGER NOT NULL DEFAULT 1,
  face_data_retention_days INTEGER NOT NULL DEFAULT 365,
  face_attendance_departments TEXT NOT NULL DEFAULT '[]'
) STRICT;
CREATE TABLE IF NOT EXISTS departments (
  id INTEGER PRIMARY KEY,
  hotel_id INTEGER NOT NULL REFERENCES hotels(id),
  name TEXT NOT NULL,
  slug TEXT NOT NULL,
  UNIQUE (hotel_id, slug)
) STRICT;
CREATE TABLE IF NOT EXISTS roles (
  id INTEGER PRIMARY KEY,
  hotel_id INTEGER NOT NULL REFERENCES hotels(id),
  name TEXT NOT NULL,
  slug TEXT NOT NULL,
  department_id INTEGER REFERENCES departments(id),
  UNIQUE (hotel_id, slug)
) STRICT;
CREATE TABLE IF NOT EXISTS staff (
  id INTEGER PRIMARY KEY,
  hotel_id INTEGER NOT NULL REFERENCES hotels(id),
  user_id INTEGER NOT NULL UNIQUE,
  username TEXT NOT NULL UNIQUE,
  password TEXT NOT NULL,
  token TEXT NOT NULL UNIQUE,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  email TEXT UNIQUE,
  department_id INTEGER REFERENCES departments(id),
  role_id INTEGER REFERENCES roles(id),
  access_level TEXT NOT NULL DEFAULT 'regular_staff',
  capabilities TEXT NOT NULL,
  is_active INTEGER NOT NULL DEFAULT 1,
  duty_status TEXT NOT NULL DEFAULT 'off_duty',
  is_on_duty INTEGER,
  has_registered_face INTEGER,
  profile_image_url TEXT
) STRICT;
CREATE TABLE IF NOT EXISTS faces (
  id INTEGER PRIMARY KEY,
  hotel_id INTEGER NOT NULL REFERENCES hotels(id),
  staff_id INTEGER NOT NULL UNIQUE REFERENCES staff(id),
  encoding TEXT NOT NULL,
  image_url TEXT,
  public_id TEXT,
  consent_given INTEGER NOT NULL DEFAULT 1,
  registered_by INTEGER,
  is_active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS face_audit (
  id INTEGER PRIMARY KEY,
  hotel_id INTEGER NOT NULL,
  staff_id INTEGER NOT NULL,
  action TEXT NOT NULL,
  performed_by INTEGER,
  reason TEXT NOT NULL DEFAULT '',
  consent_given INTEGER NOT NULL DEFAULT 1,
  client_ip TEXT,
  user_agent TEXT,
  created_at INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS clock_logs (
  id INTEGER PRIMARY KEY,
  hotel_id INTEGER NOT NULL,
  staff_id INTEGER NOT NULL,
  time_in INTEGER NOT NULL,
  time_out INTEGER,
  verified_by_face INTEGER NOT NULL DEFAULT 1,
  location_note TEXT,
  auto_clock_out INTEGER NOT NULL DEFAULT 0,
  hours_worked TEXT,
  roster_shift_id INTEGER,
  is_unrostered INTEGER NOT NULL DEFAULT 0,
  is_approved INTEGER NOT NULL DEFAULT 1,
  is_rejected INTEGER NOT NULL DEFAULT 0,
  is_kiosk_mode INTEGER NOT NULL DEFAULT 0,
  is_on_break INTEGER NOT NULL DEFAULT 0,
  break_start INTEGER,
  break_end INTEGER,
  total_break_minutes INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX IF NOT EXISTS clock_logs_staff ON clock_logs (hotel_id, staff_id, time_in);
CREATE TABLE IF NOT EXISTS rosters (
  id INTEGER PRIMARY KEY,
  hotel_id INTEGER NOT NULL,
  staff_id INTEGER NOT NULL,
  department_id INTEGER,
  shift_date TEXT NOT NULL,
  shift_start TEXT,
  shift_end TEXT,
  break_start TEXT,
  break_end TEXT,
  shift_type TEXT NOT NULL DEFAULT 'custom',
  expected_hours TEXT,
  notes TEXT,
  location_name TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (staff_id, shift_date, shift_start)
) STRICT;
`;

/** Opens (creating if needed) the double's database; `:memory:` is fine for throwaway doubles. */
export function openDoubleDb(file: string): DB {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);
  return db;
}
