/**
 * The Pusher triggers the HotelMate backend makes as a side effect of attendance writes (§5):
 * `clock_status_updated` on `<slug>.attendance` and `unrostered-clockin-request` on
 * `attendance-<slug>-managers`, and whether each would actually be delivered. The backend's Pusher
 * client has no JSON encoder for datetimes, so a payload whose `current_status` carries the raw
 * `break_start` datetime (every break start) fails in `json.dumps` and the guarded helper drops it.
 */
import { randomUUID } from 'node:crypto';
import type { ClockLogRow, StaffRow } from './store';
import type { Model } from './model';
import type { Serializers } from './serializers';
import { NO_DEPARTMENT } from './serializers';
import { pyIso } from './format';

/** One Pusher trigger the real backend would make; `delivered: false` when it fails to serialise there. */
export interface PusherEmit {
  channel: string;
  event: string;
  data: unknown;
  delivered: boolean;
  failure?: string;
}

export type ClockStatusAction = 'clock_in' | 'clock_out' | 'start_break' | 'end_break';

/** How the backend's Pusher client is set up (switchable per double, see README "Pusher"). */
export interface PusherClientSettings {
  /**
   * false (the contract, §5, and the recording): `pusher.Pusher(...)` has no `json_encoder`, so a
   * datetime in a payload raises TypeError and the event is dropped. true: a deployment whose
   * client encodes datetimes (ISO `+00:00`), which then delivers the break-start event too.
   */
  encodesDatetimes: boolean;
}

export const DATETIME_NOT_SERIALIZABLE = 'TypeError: Object of type datetime is not JSON serializable';

export interface PusherEvents {
  /** `NotificationManager.realtime_attendance_clock_status_updated(staff, action)` (§5.1), for the staff row as saved. */
  clockStatus(staff: StaffRow, action: ClockStatusAction): PusherEmit;
  /** `send_unrostered_request_notification` (§5.2), with its dead `/api/hotels/...` action endpoints. */
  unrosteredRequest(staff: StaffRow, log: ClockLogRow): PusherEmit;
}

/** Builds the event builders; `settings` is read at each trigger, so a test may switch it mid-run. */
export function createPusherEvents(model: Model, serializers: Serializers, settings: PusherClientSettings): PusherEvents {
  return {
    clockStatus(s, action) {
      const hotel = model.hotel(s.hotel_id)!;
      const dept = model.departmentOf(s);
      const role = model.roleOf(s);
      const { breakStart, ...status } = serializers.currentStatus(s);
      const carriesDatetime = typeof breakStart === 'number';
      const currentStatus: Record<string, unknown> = { status: status.status, label: status.label, is_on_break: status.is_on_break };
      if (breakStart !== undefined) {
        currentStatus.break_start = carriesDatetime ? pyIso(breakStart) : null;
        currentStatus.total_break_minutes = status.total_break_minutes;
      }
      const stamp = pyIso(model.nowMs());
      const channel = `${hotel.slug}.attendance`;
      const data = {
        category: 'attendance',
        type: 'clock_status_updated',
        payload: {
          staff_id: s.id,
          staff_name: model.fullName(s),
          user_id: s.user_id,
          department: dept?.name ?? null,
          department_slug: dept?.slug ?? null,
          role: role?.name ?? null,
          role_slug: role?.slug ?? null,
          duty_status: s.duty_status,
          action,
          timestamp: stamp,
          source: 'manual',
          is_on_duty: s.is_on_duty === 1,
          is_on_break: s.duty_status === 'on_break',
          current_status: currentStatus,
        },
        meta: { hotel_slug: hotel.slug, event_id: randomUUID(), ts: stamp, scope: { staff_id: s.id, department: dept?.slug ?? null } },
      };
      if (carriesDatetime && !settings.encodesDatetimes) {
        return { channel, event: 'clock_status_updated', data, delivered: false, failure: DATETIME_NOT_SERIALIZABLE };
      }
      return { channel, event: 'clock_status_updated', data, delivered: true };
    },

    unrosteredRequest(s, log) {
      const hotel = model.hotel(s.hotel_id)!;
      const base = `/api/hotels/${hotel.slug}/clock-logs/${log.id}`;
      return {
        channel: `attendance-${hotel.slug}-managers`,
        event: 'unrostered-clockin-request',
        delivered: true,
        data: {
          type: 'unrostered_clockin_request',
          clock_log_id: log.id,
          staff_id: s.id,
          staff_name: model.fullName(s),
          department: model.departmentOf(s)?.name ?? NO_DEPARTMENT,
          clock_in_time: pyIso(log.time_in),
          message: `${model.fullName(s)} clocked in without a scheduled shift and needs approval.`,
          actions: [
            { label: 'Approve', action: 'approve', endpoint: `${base}/approve/`, style: 'success' },
            { label: 'Reject', action: 'reject', endpoint: `${base}/reject/`, style: 'danger' },
          ],
          timestamp: pyIso(model.nowMs()),
        },
      };
    },
  };
}
