/**
 * Clock-status payloads in the exact shapes of both documents, for tests, benches and the demo:
 * the deployed backend's `<slug>.attendance` / `clock_status_updated` envelope (hotelmate-api.md §5.1)
 * and the customer spec's flat `hotel-<slug>` / `clock-status-updated` event (seed-realtime-events.md).
 */
import { randomUUID } from 'node:crypto';

export type Action = 'clock_in' | 'clock_out' | 'start_break' | 'end_break';
type Duty = 'on_duty' | 'off_duty' | 'on_break';

const DUTY_AFTER: Record<Action, Duty> = { clock_in: 'on_duty', end_break: 'on_duty', clock_out: 'off_duty', start_break: 'on_break' };
const LABEL: Record<Duty, string> = { on_duty: 'On Duty', off_duty: 'Off Duty', on_break: 'On Break' };

export interface ClockEventInput {
  hotelSlug: string;
  staffId: number;
  action: Action;
  /** ISO; default now. */
  at?: string;
  firstName?: string;
  lastName?: string;
  department?: string | null;
  departmentSlug?: string | null;
}

export interface PusherEvent {
  channel: string;
  event: string;
  data: Record<string, unknown>;
}

/** What the deployed backend sends (envelope with meta.event_id), timestamps in `+00:00` form. */
export function deployedClockStatus(input: ClockEventInput): PusherEvent {
  const at = (input.at ?? new Date().toISOString()).replace('Z', '+00:00');
  const duty = DUTY_AFTER[input.action];
  const currentStatus: Record<string, unknown> = { status: duty, label: LABEL[duty], is_on_break: duty === 'on_break' };
  if (duty === 'on_break') Object.assign(currentStatus, { break_start: at, total_break_minutes: 0 });
  const department = input.department === undefined ? 'Front Office' : input.department;
  const departmentSlug = input.departmentSlug === undefined ? 'front_office' : input.departmentSlug;
  return {
    channel: `${input.hotelSlug}.attendance`,
    event: 'clock_status_updated',
    data: {
      category: 'attendance',
      type: 'clock_status_updated',
      payload: {
        staff_id: input.staffId,
        staff_name: `${input.firstName ?? 'Aoife'} ${input.lastName ?? 'Murphy'}`,
        user_id: input.staffId,
        department,
        department_slug: departmentSlug,
        role: 'Front Desk Agent',
        role_slug: 'front_desk_agent',
        duty_status: duty,
        action: input.action,
        timestamp: at,
        source: 'manual',
        is_on_duty: duty !== 'off_duty',
        is_on_break: duty === 'on_break',
        current_status: currentStatus,
      },
      meta: { hotel_slug: input.hotelSlug, event_id: randomUUID(), ts: at, scope: { staff_id: input.staffId, department: departmentSlug } },
    },
  };
}

/** What the customer's spec describes (flat, on `hotel-<slug>`), timestamps in `Z` form. */
export function specClockStatus(input: ClockEventInput): PusherEvent {
  const at = input.at ?? new Date().toISOString();
  const duty = DUTY_AFTER[input.action];
  return {
    channel: `hotel-${input.hotelSlug}`,
    event: 'clock-status-updated',
    data: {
      user_id: input.staffId + 1000,
      staff_id: input.staffId,
      duty_status: duty,
      is_on_duty: duty !== 'off_duty',
      is_on_break: duty === 'on_break',
      status_label: LABEL[duty],
      clock_time: at,
      first_name: input.firstName ?? 'Aoife',
      last_name: input.lastName ?? 'Murphy',
      action: input.action,
      department: input.department === undefined ? 'Front Office' : input.department,
      department_slug: input.departmentSlug === undefined ? 'front_office' : input.departmentSlug,
      current_status: {
        status: duty,
        label: LABEL[duty],
        is_on_break: duty === 'on_break',
        break_start: duty === 'on_break' ? at : null,
        total_break_minutes: 0,
      },
    },
  };
}
