/**
 * Reference data cached from HotelMate in SQLite so the kiosk works offline: staff (names,
 * departments, photo URLs), the roster shifts of today and yesterday, the hotel's face config and
 * the server-known duty status of each person. Refreshed on a schedule and on demand (catchUp).
 *
 * Dates follow the backend: "today" is the UTC date and roster times are naive times the backend
 * compares as UTC (docs/hotelmate-api.md §3.3, §3.5, §8.3), so a 09:00 shift in Dublin summer
 * time is matched at 10:00 local. The cache mirrors that rather than pretending otherwise.
 */
import type { DutyStatus, ShiftSummary, StaffSummary } from '../../shared/domain/types';
import type { WritableDB } from '../db/database';
import type { ApiFailure, HotelMateClient, Staff, StaffRoster } from '../hotelmate/client';
import type { Logger } from '../logging/logger';
import type { Clock } from '../lib/clock';
import type { ServerStatusUpdate } from '../../shared/domain/types';

export interface ServerStatusRow {
  staffId: number;
  status: DutyStatus;
  breakStartedAt: string | null;
  since: string | null;
  observedAt: string;
  source: string;
}

export interface CachedStaff extends StaffSummary {
  departmentSlug: string | null;
  isActive: boolean;
}

export interface FaceConfigSummary {
  faceAttendanceEnabled: boolean;
  departments: number[];
  fetchedAt: string;
}

export interface RefreshReport {
  staff: number | null;
  shifts: number | null;
  statuses: number;
  faceConfig: boolean;
  /** Readable problems per part ("staff list: HTTP 403 ..."); the cached copy stays in use. */
  errors: string[];
}

export interface ReferenceCache {
  staff(staffId: number): CachedStaff | null;
  allStaff(): CachedStaff[];
  /** The shift the backend would match now (UTC semantics), else the next or first shift of today's UTC date. */
  todayShift(staffId: number): ShiftSummary | null;
  serverStatus(staffId: number): ServerStatusRow | null;
  allServerStatuses(): ServerStatusRow[];
  /**
   * Records a status the server reported. Returns false (and changes nothing) when the update is
   * older than what is known: a late event never overwrites a newer fact.
   */
  recordServerStatus(update: ServerStatusUpdate): boolean;
  faceConfig(): FaceConfigSummary | null;
  /** When the last complete refresh of each part happened, ISO. */
  lastRefresh(): { staff: string | null; shifts: string | null };
  /** Fetches staff (paginated), shifts (today and yesterday, UTC) and face config. Never rejects. */
  refresh(): Promise<RefreshReport>;
}

interface StaffRow {
  id: number;
  name: string;
  department: string | null;
  department_slug: string | null;
  photo_url: string | null;
  is_active: number;
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

/** YYYY-MM-DD of a time in UTC: the backend's "today". */
export function utcDate(time: Date): string {
  return time.toISOString().slice(0, 10);
}

function describe(failure: ApiFailure): string {
  return failure.kind === 'http' ? `HTTP ${failure.status}: ${failure.message}` : `${failure.kind}: ${failure.message}`;
}

function hhmm(time: string | null | undefined): string | null {
  if (!time) return null;
  const match = /^(\d{2}):(\d{2})/.exec(time);
  return match ? `${match[1]}:${match[2]}` : null;
}

/** Minutes since midnight of an HH:MM string. */
function minutes(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

function staffName(staff: Staff): string {
  const name = `${staff.first_name} ${staff.last_name}`.trim();
  return name || `Staff #${staff.id}`;
}

export interface ReferenceCacheDeps {
  db: WritableDB;
  client: HotelMateClient | null;
  clock: Clock;
  logger: Logger;
}

/** Creates the cache over the migrated database; `client` may be null while unconfigured. */
export function createReferenceCache(deps: ReferenceCacheDeps): ReferenceCache {
  const { db, clock } = deps;
  const logger = deps.logger.child('reference');

  const getStaff = db.prepare(`SELECT id, name, department, department_slug, photo_url, is_active FROM staff WHERE id = ?`);
  const listStaff = db.prepare(`SELECT id, name, department, department_slug, photo_url, is_active FROM staff ORDER BY name`);
  const upsertStaff = db.prepare(`INSERT INTO staff (id, name, department, department_slug, photo_url, is_active, updated_at)
    VALUES (@id, @name, @department, @departmentSlug, @photoUrl, @isActive, @updatedAt)
    ON CONFLICT(id) DO UPDATE SET name = excluded.name, department = excluded.department, department_slug = excluded.department_slug,
      photo_url = excluded.photo_url, is_active = excluded.is_active, updated_at = excluded.updated_at`);
  const shiftsOf = db.prepare(
    `SELECT id, staff_id, shift_date, shift_start, shift_end, department, location FROM shifts WHERE staff_id = ? AND shift_date IN (?, ?) ORDER BY shift_date, shift_start`,
  );
  const deleteShiftsBetween = db.prepare(`DELETE FROM shifts WHERE shift_date >= ? AND shift_date <= ?`);
  const deleteOldShifts = db.prepare(`DELETE FROM shifts WHERE shift_date < ?`);
  const insertShift = db.prepare(`INSERT OR REPLACE INTO shifts (id, staff_id, shift_date, shift_start, shift_end, department, location, updated_at)
    VALUES (@id, @staffId, @date, @start, @end, @department, @location, @updatedAt)`);
  const getStatus = db.prepare(`SELECT staff_id, status, break_started_at, since, observed_at, source FROM server_status WHERE staff_id = ?`);
  const listStatus = db.prepare(`SELECT staff_id, status, break_started_at, since, observed_at, source FROM server_status`);
  const upsertStatus = db.prepare(`INSERT INTO server_status (staff_id, status, break_started_at, since, observed_at, source)
    VALUES (@staffId, @status, @breakStartedAt, @since, @observedAt, @source)
    ON CONFLICT(staff_id) DO UPDATE SET status = excluded.status, break_started_at = excluded.break_started_at,
      since = excluded.since, observed_at = excluded.observed_at, source = excluded.source`);
  const getMeta = db.prepare(`SELECT value FROM reference_meta WHERE key = ?`);
  const setMeta = db.prepare(`INSERT INTO reference_meta (key, value, updated_at) VALUES (?, ?, ?)
    ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);

  const toStaff = (row: StaffRow): CachedStaff => ({
    id: row.id,
    name: row.name,
    department: row.department,
    departmentSlug: row.department_slug,
    photoUrl: row.photo_url,
    isActive: row.is_active === 1,
  });
  const toStatus = (row: StatusRow): ServerStatusRow => ({
    staffId: row.staff_id,
    status: row.status,
    breakStartedAt: row.break_started_at,
    since: row.since,
    observedAt: row.observed_at,
    source: row.source,
  });

  const recordServerStatus = (update: ServerStatusUpdate): boolean => {
    const observed = Date.parse(update.observedAt);
    if (Number.isNaN(observed)) {
      logger.warn('server status ignored: unreadable time', { staffId: update.staffId, observedAt: update.observedAt });
      return false;
    }
    const current = getStatus.get(update.staffId) as StatusRow | undefined;
    if (current && Date.parse(current.observed_at) > observed) return false;
    const since = current && current.status === update.status ? current.since : update.observedAt;
    upsertStatus.run({
      staffId: update.staffId,
      status: update.status,
      breakStartedAt: update.status === 'on_break' ? update.breakStartedAt ?? current?.break_started_at ?? null : null,
      since,
      observedAt: new Date(observed).toISOString(),
      source: update.source,
    });
    if (update.name !== undefined) {
      const known = getStaff.get(update.staffId) as StaffRow | undefined;
      upsertStaff.run({
        id: update.staffId,
        name: update.name,
        department: update.department !== undefined ? update.department : known?.department ?? null,
        departmentSlug: known?.department_slug ?? null,
        photoUrl: known?.photo_url ?? null,
        isActive: known ? known.is_active : 1,
        updatedAt: clock.now().toISOString(),
      });
    }
    return true;
  };

  const meta = (key: string): string | null => (getMeta.get(key) as { value: string } | undefined)?.value ?? null;

  async function refreshStaff(client: HotelMateClient, report: RefreshReport, startedAt: string): Promise<void> {
    const outcome = await client.allStaff();
    if (!outcome.ok) {
      report.errors.push(`staff list: ${describe(outcome)}`);
      return;
    }
    const now = clock.now().toISOString();
    db.transaction((list: Staff[]) => {
      for (const staff of list) {
        upsertStaff.run({
          id: staff.id,
          name: staffName(staff),
          department: staff.department_detail?.name ?? null,
          departmentSlug: staff.department_detail?.slug ?? null,
          photoUrl: staff.profile_image_url ?? null,
          isActive: staff.is_active === false ? 0 : 1,
          updatedAt: now,
        });
        const status = staff.current_status?.status ?? staff.duty_status;
        if (
          recordServerStatus({
            staffId: staff.id,
            status,
            breakStartedAt: staff.current_status?.break_start ?? null,
            observedAt: startedAt,
            source: 'poll',
          })
        )
          report.statuses += 1;
      }
      setMeta.run('staff_refreshed_at', now, now);
    })(outcome.data);
    report.staff = outcome.data.length;
  }

  async function refreshShifts(client: HotelMateClient, report: RefreshReport): Promise<void> {
    const today = clock.now();
    const yesterday = utcDate(new Date(today.getTime() - 86_400_000));
    const outcome = await client.shifts(yesterday, utcDate(today));
    if (!outcome.ok) {
      report.errors.push(`shifts: ${describe(outcome)}`);
      return;
    }
    const now = clock.now().toISOString();
    db.transaction((list: StaffRoster[]) => {
      deleteShiftsBetween.run(yesterday, utcDate(today));
      deleteOldShifts.run(yesterday);
      for (const shift of list) {
        const start = hhmm(shift.shift_start);
        const end = hhmm(shift.shift_end);
        if (!start || !end) continue;
        insertShift.run({
          id: shift.id,
          staffId: shift.staff,
          date: shift.shift_date,
          start,
          end,
          department: shift.department_name ?? shift.department ?? null,
          location: shift.location?.name ?? null,
          updatedAt: now,
        });
      }
      setMeta.run('shifts_refreshed_at', now, now);
    })(outcome.data);
    report.shifts = outcome.data.length;
  }

  async function refreshFaceConfig(client: HotelMateClient, report: RefreshReport): Promise<void> {
    const outcome = await client.faceConfig();
    if (!outcome.ok) {
      report.errors.push(`face config: ${describe(outcome)}`);
      return;
    }
    const config = outcome.data.face_recognition_config;
    const now = clock.now().toISOString();
    const summary: FaceConfigSummary = {
      faceAttendanceEnabled: config.face_attendance_enabled,
      departments: config.face_attendance_departments ?? [],
      fetchedAt: now,
    };
    setMeta.run('face_config', JSON.stringify(summary), now);
    report.faceConfig = true;
  }

  return {
    staff(staffId) {
      const row = getStaff.get(staffId) as StaffRow | undefined;
      return row ? toStaff(row) : null;
    },
    allStaff() {
      return (listStaff.all() as StaffRow[]).map(toStaff);
    },
    todayShift(staffId) {
      const now = clock.now();
      const today = utcDate(now);
      const yesterday = utcDate(new Date(now.getTime() - 86_400_000));
      const rows = shiftsOf.all(staffId, yesterday, today) as ShiftRow[];
      const nowMinutes = now.getUTCHours() * 60 + now.getUTCMinutes();
      const covering = rows.find((row) => {
        const start = minutes(row.shift_start);
        const end = minutes(row.shift_end);
        const overnight = end < start;
        if (row.shift_date === today) return overnight ? nowMinutes >= start : nowMinutes >= start && nowMinutes <= end;
        return overnight && nowMinutes <= end; // yesterday's overnight shift still running
      });
      const todays = rows.filter((row) => row.shift_date === today);
      const chosen = covering ?? todays.find((row) => minutes(row.shift_start) >= nowMinutes) ?? todays[0] ?? null;
      if (!chosen) return null;
      return {
        id: chosen.id,
        date: chosen.shift_date,
        start: chosen.shift_start,
        end: chosen.shift_end,
        department: chosen.department,
        location: chosen.location,
      };
    },
    serverStatus(staffId) {
      const row = getStatus.get(staffId) as StatusRow | undefined;
      return row ? toStatus(row) : null;
    },
    allServerStatuses() {
      return (listStatus.all() as StatusRow[]).map(toStatus);
    },
    recordServerStatus,
    faceConfig() {
      const raw = meta('face_config');
      if (!raw) return null;
      try {
        return JSON.parse(raw) as FaceConfigSummary;
      } catch {
        return null;
      }
    },
    lastRefresh() {
      return { staff: meta('staff_refreshed_at'), shifts: meta('shifts_refreshed_at') };
    },
    async refresh() {
      const report: RefreshReport = { staff: null, shifts: null, statuses: 0, faceConfig: false, errors: [] };
      const client = deps.client;
      if (!client) {
        report.errors.push('not configured: no HotelMate client');
        return report;
      }
      const startedAt = clock.now().toISOString();
      try {
        await refreshStaff(client, report, startedAt);
        await refreshShifts(client, report);
        await refreshFaceConfig(client, report);
      } catch (error) {
        report.errors.push(`cache write failed: ${(error as Error).message}`);
      }
      if (report.errors.length > 0) logger.warn('reference refresh incomplete; cached data stays in use', { errors: report.errors });
      else logger.info('reference data refreshed', { staff: report.staff, shifts: report.shifts });
      return report;
    },
  };
}
