/**
 * The typed domain events the kiosk derives from HotelMate's Pusher traffic, whatever naming style
 * or payload shape the event arrived in (customer spec or deployed backend). Pure data.
 */
import type { ClockAction, DutyStatus } from '../../shared/domain/types';

interface EventBase {
  /** The Pusher channel it arrived on. */
  channel: string;
  /** The Pusher event name as received (either naming style). */
  eventName: string;
  /** `meta.event_id` when the backend sent one. */
  eventId: string | null;
  /** ISO time of the fact (event time, else send time, else receive time). */
  at: string;
}

/** A staff member's duty status changed on the server (another kiosk, the web app, a manager, auto clock-out). */
export interface ClockStatusChanged extends EventBase {
  type: 'clock_status_changed';
  staffId: number;
  status: DutyStatus;
  /** The punch that caused it, when given. */
  action: ClockAction | null;
  /** ISO start of the current break, when on a break and known. */
  breakStartedAt: string | null;
  /**
   * Why the status cannot be trusted as sent (no time of its own, fields that disagree, a time
   * ahead of the kiosk's clock), or null. A doubtful status is re-read from HotelMate, never applied.
   */
  doubt: string | null;
  name?: string;
  department?: string | null;
}

export type RosterAction = 'created' | 'updated' | 'deleted' | 'bulk_updated';

/** A roster shift changed: cached shifts must be re-read. */
export interface RosterChanged extends EventBase {
  type: 'roster_changed';
  action: RosterAction;
  rosterId: number | null;
  staffId: number | null;
  /** YYYY-MM-DD */
  shiftDate: string | null;
}

/** A staff profile was created, changed, deactivated or deleted: cached reference data must be re-read. */
export interface StaffProfileChanged extends EventBase {
  type: 'staff_profile_changed';
  staffId: number;
  action: string;
  name: string | null;
  department: string | null;
  isActive: boolean | null;
}

/** An attendance log was written (audit event; clock in/out). */
export interface AttendanceLogged extends EventBase {
  type: 'attendance_logged';
  staffId: number;
  action: 'clock_in' | 'clock_out';
  logId: number | null;
  /** ISO time of the punch. */
  time: string;
  /** Why the punch cannot be trusted as sent (its time ahead of the kiosk's clock), or null. */
  doubt: string | null;
  name: string | null;
  department: string | null;
  verifiedByFace: boolean | null;
}

export type WarningKind = 'break' | 'overtime' | 'hard_limit';

/** A long-session warning for a staff member (to the person's channel or the managers' channel). */
export interface Warning extends EventBase {
  type: 'warning';
  kind: WarningKind;
  audience: 'staff' | 'managers';
  staffId: number;
  staffName: string | null;
  clockLogId: number | null;
  durationHours: number | null;
  message: string | null;
}

export type RealtimeDomainEvent = ClockStatusChanged | RosterChanged | StaffProfileChanged | AttendanceLogged | Warning;

/** One event as received from Pusher. */
export interface RawRealtimeEvent {
  channel: string;
  event: string;
  /** Parsed JSON, or a string when it was not JSON. */
  data: unknown;
  /** ISO receive time; used when the payload carries no time. */
  receivedAt: string;
  /** Size of the payload in bytes, when the caller already knows it. */
  sizeBytes?: number;
}

export type RejectionReason =
  /** Payload larger than the limit. */
  | 'oversized'
  /** Known event, but the payload failed validation. */
  | 'invalid'
  /** An event name the kiosk does not know. */
  | 'unknown_event'
  /** A known HotelMate event that carries nothing the kiosk uses (e.g. room-type images). */
  | 'irrelevant'
  /** Already seen (same event id, or same staff/action/time). */
  | 'duplicate'
  /** For another hotel (meta.hotel_slug differs, or another hotel's naming on a channel name both share). */
  | 'foreign_hotel';

export interface Rejection {
  channel: string;
  event: string;
  reason: RejectionReason;
  /** Readable, log-safe explanation (field paths, never the payload itself). */
  detail: string;
}

export type NormaliseResult = { ok: true; event: RealtimeDomainEvent } | { ok: false; rejection: Rejection };
