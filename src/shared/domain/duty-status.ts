/**
 * Duty status rules (pure): the customer's transition table, which punches each state allows, the
 * button the screen shows (the seed's getClockButtonInfo, as i18n keys) and duplicate-tap detection.
 */
import type { ClockAction, DutyStatus } from './types';

/** The customer's table: for each action, the states it may start from and the state it leads to. */
export const TRANSITIONS: Readonly<Record<ClockAction, { from: readonly DutyStatus[]; to: DutyStatus }>> = {
  clock_in: { from: ['off_duty'], to: 'on_duty' },
  start_break: { from: ['on_duty'], to: 'on_break' },
  end_break: { from: ['on_break'], to: 'on_duty' },
  clock_out: { from: ['on_duty', 'on_break'], to: 'off_duty' },
};

/** The actions a staff member may take in `status`, primary first. */
export function allowedActions(status: DutyStatus): ClockAction[] {
  switch (status) {
    case 'off_duty':
      return ['clock_in'];
    case 'on_duty':
      return ['start_break', 'clock_out'];
    case 'on_break':
      return ['end_break', 'clock_out'];
  }
}

/** Whether `action` is allowed from `status`. */
export function isAllowed(status: DutyStatus, action: ClockAction): boolean {
  return TRANSITIONS[action].from.includes(status);
}

/**
 * The state after `action`, or null when the table does not allow it from `status`
 * (callers refuse the punch with 'not_allowed' rather than guessing).
 */
export function nextStatus(status: DutyStatus, action: ClockAction): DutyStatus | null {
  return isAllowed(status, action) ? TRANSITIONS[action].to : null;
}

/** One button as the screen draws it: text is an i18n key with its parameters, never English. */
export interface ClockButton {
  action: ClockAction;
  /** i18n key, e.g. 'clock.button.endBreak'. */
  labelKey: string;
  /** i18n key of the smaller line under the label, e.g. 'clock.button.breakMinutes'. */
  subKey: string | null;
  params: Record<string, number>;
  tone: 'go' | 'break' | 'resume' | 'danger';
}

export interface ClockButtonInfo {
  primary: ClockButton;
  /** Clock Out, offered while on duty or on a break. */
  secondary: ClockButton | null;
}

const CLOCK_OUT: ClockButton = { action: 'clock_out', labelKey: 'clock.button.clockOut', subKey: null, params: {}, tone: 'danger' };

/**
 * The seed's getClockButtonInfo: Clock In when off duty, Start Break when on duty, End Break with
 * the running break minutes when on a break (rounded, shown only when > 0), plus Clock Out as the
 * secondary button while on duty or on a break.
 */
export function clockButtonInfo(status: DutyStatus, breakStartedAt: string | null, now: Date): ClockButtonInfo {
  switch (status) {
    case 'off_duty':
      return {
        primary: { action: 'clock_in', labelKey: 'clock.button.clockIn', subKey: null, params: {}, tone: 'go' },
        secondary: null,
      };
    case 'on_duty':
      return {
        primary: { action: 'start_break', labelKey: 'clock.button.startBreak', subKey: null, params: {}, tone: 'break' },
        secondary: CLOCK_OUT,
      };
    case 'on_break': {
      const minutes = breakMinutes(breakStartedAt, now);
      return {
        primary: {
          action: 'end_break',
          labelKey: 'clock.button.endBreak',
          subKey: minutes > 0 ? 'clock.button.breakMinutes' : null,
          params: minutes > 0 ? { minutes } : {},
          tone: 'resume',
        },
        secondary: CLOCK_OUT,
      };
    }
  }
}

/** Whole minutes since the break started (0 when unknown, unparsable or in the future). */
export function breakMinutes(breakStartedAt: string | null, now: Date): number {
  if (!breakStartedAt) return 0;
  const started = Date.parse(breakStartedAt);
  if (Number.isNaN(started)) return 0;
  return Math.max(0, Math.round((now.getTime() - started) / 60000));
}

/** Default window in which a second tap for the same staff and action is a duplicate. */
export const DUPLICATE_WINDOW_MS = 10_000;

export interface PriorPunch {
  staffId: number;
  action: ClockAction;
  /** Epoch ms (or any monotonic ms) of the earlier punch. */
  atMs: number;
}

/**
 * True when `candidate` repeats `previous` (same staff, same action) within `windowMs`. Such a
 * tap is answered with the earlier punch, never recorded twice.
 */
export function isDuplicateTap(previous: PriorPunch | null, candidate: PriorPunch, windowMs = DUPLICATE_WINDOW_MS): boolean {
  if (!previous) return false;
  if (previous.staffId !== candidate.staffId || previous.action !== candidate.action) return false;
  const gap = candidate.atMs - previous.atMs;
  return gap >= 0 && gap < windowMs;
}

/** From this long before the shift's end (and after it), Clock Out is the big button. */
export const CLOCK_OUT_PRIMARY_BEFORE_END_MS = 30 * 60_000;

/**
 * Whether `now` is within `withinMs` of the shift's end or past it, in the hotel's time zone
 * (`timeZone`, IANA). A shift whose end is not after its start ends the next day. False for an
 * unreadable shift time or zone.
 */
export function isNearShiftEnd(
  shift: { date: string; start: string; end: string },
  now: Date,
  timeZone: string,
  withinMs: number = CLOCK_OUT_PRIMARY_BEFORE_END_MS,
): boolean {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(shift.date);
  const start = /^(\d{2}):(\d{2})$/.exec(shift.start);
  const end = /^(\d{2}):(\d{2})$/.exec(shift.end);
  if (!date || !start || !end) return false;
  const local = wallClockMs(now, timeZone);
  if (local === null) return false;
  const startMinutes = Number(start[1]) * 60 + Number(start[2]);
  const endMinutes = Number(end[1]) * 60 + Number(end[2]);
  const endDay = endMinutes <= startMinutes ? 1 : 0;
  // The shift's end as a wall-clock time on the same "UTC-as-local" scale as `local`.
  const endMs = Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]) + endDay, 0, endMinutes);
  return local >= endMs - withinMs;
}

/** The wall-clock time in `timeZone` at `at`, as milliseconds on a UTC scale (so two wall times compare), or null for an unknown zone. */
function wallClockMs(at: Date, timeZone: string): number | null {
  try {
    const parts = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(at);
    const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? NaN);
    const ms = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
    return Number.isNaN(ms) ? null : ms;
  } catch {
    return null;
  }
}

/**
 * The buttons for a greeting, following the shift: from shortly before its end (and after it),
 * Clock Out is the big button and the break button the small one; otherwise as `clockButtonInfo`.
 */
export function clockButtonsForShift(
  status: DutyStatus,
  breakStartedAt: string | null,
  shift: { date: string; start: string; end: string } | null,
  now: Date,
  timeZone: string,
): ClockButtonInfo {
  const buttons = clockButtonInfo(status, breakStartedAt, now);
  if (!buttons.secondary || !shift || !isNearShiftEnd(shift, now, timeZone)) return buttons;
  return { primary: buttons.secondary, secondary: buttons.primary };
}
