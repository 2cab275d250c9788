/**
 * What a test can read back from the HotelMate double: the HTTP requests it answered, every Pusher
 * trigger (delivered or not), and the stored clock logs, staff flags, faces and face audit rows.
 */
import type { DoubleClock } from './clock';
import { drfIso } from './format';
import type { RequestRecord } from './http-server';
import type { PusherEmit } from './pusher';
import type { ClockLogRow, DB, FaceRow, StaffRow } from './store';

export interface PusherRecord extends PusherEmit {
  at: string;
}

export interface ClockLogView {
  id: number;
  staffId: number;
  timeIn: string;
  timeOut: string | null;
  isOnBreak: boolean;
  breakStart: string | null;
  breakEnd: string | null;
  totalBreakMinutes: number;
  isUnrostered: boolean;
  isApproved: boolean;
  rosterShiftId: number | null;
  /** The log's `location_note` (a manual log carries the kiosk's note). */
  locationNote: string | null;
}

export interface StaffView {
  id: number;
  dutyStatus: StaffRow['duty_status'];
  isOnDuty: boolean | null;
  hasRegisteredFace: boolean | null;
  isActive: boolean;
}

export interface DoubleState {
  /** HTTP requests, in arrival order (a `webApp` action makes no HTTP request and is not listed). */
  requests(): RequestRecord[];
  clearRequests(): void;
  /** Every Pusher trigger, delivered or not (start_break is recorded with `delivered: false`). */
  pusherEvents(): PusherRecord[];
  clockLogs(filter?: { staffId?: number }): ClockLogView[];
  staff(staffId: number): StaffView | null;
  faces(): { id: number; staffId: number; isActive: boolean }[];
  auditActions(): { staffId: number; action: string; reason: string }[];
  now(): Date;
}

const toIso = (ms: number | null): string | null => (ms === null ? null : drfIso(ms));

/** Builds the read-back views over the store and the two logs the double keeps in memory. */
export function createState(db: DB, clock: DoubleClock, requests: RequestRecord[], pusherLog: PusherRecord[]): DoubleState {
  const logsOf = db.prepare<[number], ClockLogRow>('SELECT * FROM clock_logs WHERE staff_id = ? ORDER BY time_in, id');
  const allLogs = db.prepare<[], ClockLogRow>('SELECT * FROM clock_logs ORDER BY time_in, id');
  return {
    requests: () => requests.map((r) => ({ ...r })),
    clearRequests: () => {
      requests.length = 0;
    },
    pusherEvents: () => [...pusherLog],
    clockLogs: (filter) =>
      (filter?.staffId !== undefined ? logsOf.all(filter.staffId) : allLogs.all()).map((l) => ({
        id: l.id,
        staffId: l.staff_id,
        timeIn: toIso(l.time_in)!,
        timeOut: toIso(l.time_out),
        isOnBreak: l.is_on_break === 1,
        breakStart: toIso(l.break_start),
        breakEnd: toIso(l.break_end),
        totalBreakMinutes: l.total_break_minutes,
        isUnrostered: l.is_unrostered === 1,
        isApproved: l.is_approved === 1,
        rosterShiftId: l.roster_shift_id,
        locationNote: l.location_note,
      })),
    staff: (staffId) => {
      const s = db.prepare<[number], StaffRow>('SELECT * FROM staff WHERE id = ?').get(staffId);
      if (!s) return null;
      return {
        id: s.id,
        dutyStatus: s.duty_status,
        isOnDuty: s.is_on_duty === null ? null : s.is_on_duty === 1,
        hasRegisteredFace: s.has_registered_face === null ? null : s.has_registered_face === 1,
        isActive: s.is_active === 1,
      };
    },
    faces: () =>
      db
        .prepare<[], FaceRow>('SELECT * FROM faces ORDER BY id')
        .all()
        .map((f) => ({ id: f.id, staffId: f.staff_id, isActive: f.is_active === 1 })),
    auditActions: () =>
      db
        .prepare<[], { staff_id: number; action: string; reason: string }>('SELECT staff_id, action, reason FROM face_audit ORDER BY id')
        .all()
        .map((r) => ({ staffId: r.staff_id, action: r.action, reason: r.reason })),
    now: () => clock.now(),
  };
}
