/**
 * Reference data cached from HotelMate in SQLite so the kiosk works offline: staff (names,
 * departments, photo URLs), the roster shifts of today and yesterday, the hotel's face config and
 * the server-known duty status of each person. Refreshed on a schedule and on demand (catchUp).
 *
 * Dates follow the backend: "today" is the UTC date and roster times are naive times the backend
 * compares as UTC (docs/hotelmate-api.md §3.3, §3.5, §8.3), so a 09:00 shift in Dublin summer
 * time is matched at 10:00 local. The cache mirrors that rather than pretending otherwise.
 */
import { z } from 'zod';
import type { ServerStatusUpdate, ShiftSummary } from '../../shared/domain/types';
import { transaction, type WritableDB } from '../db/database';
import {
  allCachedStaff,
  allServerStatuses,
  cachedStaff,
  referenceMeta,
  replaceShifts,
  serverStatusOf,
  setReferenceMeta,
  shiftsOn,
  upsertServerStatus,
  upsertStaff,
  type CachedShift,
  type CachedStaff,
  type ServerStatusRow,
} from '../db/reference';
import type { ApiFailure, HotelMateClient, Staff, StaffRoster } from '../hotelmate/client';
import type { Logger } from '../logging/logger';
import type { Clock } from '../lib/clock';
import { errorMessage } from '../lib/errors';

export type { CachedStaff, ServerStatusRow };

const faceConfigSchema = z.object({
  faceAttendanceEnabled: z.boolean(),
  departments: z.array(z.number()),
  fetchedAt: z.string(),
});

export type FaceConfigSummary = z.infer<typeof faceConfigSchema>;

export interface RefreshReport {
  staff: number | null;
  shifts: number | null;
  statuses: number;
  /** People whose duty status changed with this refresh. */
  changed: number[];
  faceConfig: boolean;
  /** Readable problems per part ("staff list: HTTP 403 ..."); the cached copy stays in use. */
  errors: string[];
}

/** A person's status as just read from HotelMate, or why it could not be read. */
export type StatusRead = { ok: true; update: ServerStatusUpdate } | { ok: false; error: string };

/**
 * How much later a realtime event may be stamped than an API answer and still give way to it:
 * Pusher's timestamps are HotelMate's clock, the API answer's is the kiosk's, so within this skew
 * the answer read from the API outranks the event.
 */
export const API_PRECEDENCE_MS = 5_000;

export interface ReferenceCache {
  staff(staffId: number): CachedStaff | null;
  allStaff(): CachedStaff[];
  /** The shift the backend would match now (UTC semantics), else the next or first shift of today's UTC date. */
  todayShift(staffId: number): ShiftSummary | null;
  serverStatus(staffId: number): ServerStatusRow | null;
  allServerStatuses(): ServerStatusRow[];
  /**
   * Records a status the server reported. Returns false (and changes nothing) when the update is
   * older than what is known: a late event never overwrites a newer fact. An API answer (`api`,
   * `poll`) outranks a realtime event stamped up to {@link API_PRECEDENCE_MS} after it.
   */
  recordServerStatus(update: ServerStatusUpdate): boolean;
  /**
   * Reads one person's status from HotelMate (the staff detail), stamped with the time the request
   * was sent; records nothing (the caller does). Never rejects.
   */
  readStatus(staffId: number): Promise<StatusRead>;
  /**
   * Re-reads every person's status from the staff list (the backstop for events HotelMate never
   * sends) and records them. Resolves with the people whose status changed; never rejects.
   */
  refreshStatuses(): Promise<{ changed: number[]; error: string | null }>;
  faceConfig(): FaceConfigSummary | null;
  /** When the last complete refresh of each part happened, ISO. */
  lastRefresh(): { staff: string | null; shifts: string | null };
  /** Fetches staff (paginated), shifts (today and yesterday, UTC) and face config. Never rejects. */
  refresh(): Promise<RefreshReport>;
}

const emptyReport = (): RefreshReport => ({ staff: null, shifts: null, statuses: 0, changed: [], faceConfig: false, errors: [] });

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

/** The duty status a staff answer (list or detail) reports, as an update observed at `observedAt`. */
function statusOfStaff(staff: Staff, observedAt: string, source: ServerStatusUpdate['source']): ServerStatusUpdate {
  return {
    staffId: staff.id,
    status: staff.current_status?.status ?? staff.duty_status,
    breakStartedAt: staff.current_status?.break_start ?? null,
    observedAt,
    source,
  };
}

/** Whether `update` may replace `current`: newer, or an API answer within the skew of a realtime event. */
function supersedes(update: ServerStatusUpdate, observedMs: number, current: ServerStatusRow): boolean {
  const currentMs = Date.parse(current.observedAt);
  if (Number.isNaN(currentMs)) return true;
  if (update.source !== 'realtime' && current.source === 'realtime') return observedMs >= currentMs - API_PRECEDENCE_MS;
  return observedMs >= currentMs;
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

  const recordServerStatus = (update: ServerStatusUpdate): boolean => {
    const observed = Date.parse(update.observedAt);
    if (Number.isNaN(observed)) {
      logger.warn('server status ignored: unreadable time', { staffId: update.staffId, observedAt: update.observedAt });
      return false;
    }
    const current = serverStatusOf(db, update.staffId);
    if (current && !supersedes(update, observed, current)) return false;
    // `since` is when the duty session began: kept while on duty and on a break, restarted by a clock-in or out.
    const sameSession = current !== null && (current.status === update.status || (current.status !== 'off_duty' && update.status !== 'off_duty'));
    const since = sameSession && current ? current.since : update.observedAt;
    upsertServerStatus(db, {
      staffId: update.staffId,
      status: update.status,
      breakStartedAt: update.status === 'on_break' ? update.breakStartedAt ?? current?.breakStartedAt ?? null : null,
      since,
      observedAt: new Date(observed).toISOString(),
      source: update.source,
    });
    if (update.name !== undefined) {
      const known = cachedStaff(db, update.staffId);
      upsertStaff(
        db,
        {
          id: update.staffId,
          name: update.name,
          department: update.department !== undefined ? update.department : known?.department ?? null,
          departmentSlug: known?.departmentSlug ?? null,
          photoUrl: known?.photoUrl ?? null,
          isActive: known ? known.isActive : true,
          accessLevel: known?.accessLevel ?? null,
          roleSlug: known?.roleSlug ?? null,
        },
        clock.now().toISOString(),
      );
    }
    return true;
  };

  /**
   * Fetches the staff list and records every person and status (observed when the request was
   * sent) into the report: counts, the people whose status changed, or the readable failure.
   */
  async function refreshStaff(client: HotelMateClient, report: RefreshReport): Promise<void> {
    const startedAt = clock.now().toISOString();
    const outcome = await client.allStaff();
    if (!outcome.ok) {
      report.errors.push(`staff list: ${describe(outcome)}`);
      return;
    }
    const now = clock.now().toISOString();
    const list: Staff[] = outcome.data;
    transaction(db, () => {
      for (const staff of list) {
        upsertStaff(
          db,
          {
            id: staff.id,
            name: staffName(staff),
            department: staff.department_detail?.name ?? null,
            departmentSlug: staff.department_detail?.slug ?? null,
            photoUrl: staff.profile_image_url ?? null,
            isActive: staff.is_active !== false,
            accessLevel: staff.access_level ?? null,
            roleSlug: staff.role_slug ?? null,
          },
          now,
        );
        const before = serverStatusOf(db, staff.id);
        const update = statusOfStaff(staff, startedAt, 'poll');
        if (!recordServerStatus(update)) continue;
        report.statuses += 1;
        if (before?.status !== update.status) report.changed.push(staff.id);
      }
      setReferenceMeta(db, 'staff_refreshed_at', now, now);
    });
    report.staff = list.length;
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
    const list: StaffRoster[] = outcome.data;
    const shifts = list.flatMap((shift): CachedShift[] => {
      const start = hhmm(shift.shift_start);
      const end = hhmm(shift.shift_end);
      if (!start || !end) return [];
      return [
        {
          id: shift.id,
          staffId: shift.staff,
          date: shift.shift_date,
          start,
          end,
          department: shift.department_name ?? shift.department ?? null,
          location: shift.location?.name ?? null,
        },
      ];
    });
    transaction(db, () => {
      replaceShifts(db, yesterday, utcDate(today), shifts, now);
      setReferenceMeta(db, 'shifts_refreshed_at', now, now);
    });
    report.shifts = list.length;
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
    setReferenceMeta(db, 'face_config', JSON.stringify(summary), now);
    report.faceConfig = true;
  }

  return {
    staff: (staffId) => cachedStaff(db, staffId),
    allStaff: () => allCachedStaff(db),
    todayShift(staffId) {
      const now = clock.now();
      const today = utcDate(now);
      const yesterday = utcDate(new Date(now.getTime() - 86_400_000));
      const shifts = shiftsOn(db, staffId, [yesterday, today]);
      const nowMinutes = now.getUTCHours() * 60 + now.getUTCMinutes();
      const covering = shifts.find((shift) => {
        const start = minutes(shift.start);
        const end = minutes(shift.end);
        const overnight = end < start;
        if (shift.date === today) return overnight ? nowMinutes >= start : nowMinutes >= start && nowMinutes <= end;
        return overnight && nowMinutes <= end; // yesterday's overnight shift still running
      });
      const todays = shifts.filter((shift) => shift.date === today);
      const chosen = covering ?? todays.find((shift) => minutes(shift.start) >= nowMinutes) ?? todays[0] ?? null;
      if (!chosen) return null;
      return { id: chosen.id, date: chosen.date, start: chosen.start, end: chosen.end, department: chosen.department, location: chosen.location };
    },
    serverStatus: (staffId) => serverStatusOf(db, staffId),
    allServerStatuses: () => allServerStatuses(db),
    recordServerStatus,
    faceConfig() {
      const raw = referenceMeta(db, 'face_config');
      if (!raw) return null;
      try {
        const parsed = faceConfigSchema.safeParse(JSON.parse(raw));
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
    },
    async readStatus(staffId) {
      const client = deps.client;
      if (!client) return { ok: false, error: 'not configured: no HotelMate client' };
      const sentAt = clock.now().toISOString();
      const outcome = await client.staffDetail(staffId);
      if (!outcome.ok) return { ok: false, error: `staff detail: ${describe(outcome)}` };
      const staff = outcome.data;
      return { ok: true, update: { ...statusOfStaff(staff, sentAt, 'api'), name: staffName(staff), department: staff.department_detail?.name ?? null } };
    },
    async refreshStatuses() {
      const client = deps.client;
      if (!client) return { changed: [], error: 'not configured: no HotelMate client' };
      const report = emptyReport();
      try {
        await refreshStaff(client, report);
        return { changed: report.changed, error: report.errors[0] ?? null };
      } catch (error) {
        return { changed: [], error: `cache write failed: ${errorMessage(error)}` };
      }
    },
    lastRefresh() {
      return { staff: referenceMeta(db, 'staff_refreshed_at'), shifts: referenceMeta(db, 'shifts_refreshed_at') };
    },
    async refresh() {
      const report = emptyReport();
      const client = deps.client;
      if (!client) {
        report.errors.push('not configured: no HotelMate client');
        return report;
      }
      try {
        await refreshStaff(client, report);
        await refreshShifts(client, report);
        await refreshFaceConfig(client, report);
      } catch (error) {
        report.errors.push(`cache write failed: ${errorMessage(error)}`);
      }
      if (report.errors.length > 0) logger.warn('reference refresh incomplete; cached data stays in use', { errors: report.errors });
      else logger.info('reference data refreshed', { staff: report.staff, shifts: report.shifts });
      return report;
    },
  };
}
