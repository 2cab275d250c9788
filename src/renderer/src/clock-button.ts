/**
 * Which buttons the greeting shows for a duty status, following the seed app's getClockButtonInfo:
 * off duty -> Clock In; on duty -> Start Break (+ Clock Out); on break -> End Break with the running
 * break minutes (+ Clock Out, which HotelMate accepts during a break).
 * TODO(integrator): replace with clockButtonInfo from src/shared/domain/duty-status.ts once it lands.
 */
import type { ClockAction, EffectiveStatus } from '../../shared/domain/types';

export interface ClockButtons {
  primary: ClockAction;
  /** Whole minutes of the running break, when on a break with a known start. */
  breakMinutes: number | null;
  secondary: ClockAction[];
}

/** The primary and secondary actions for `status` at time `nowMs`. */
export function clockButtons(status: EffectiveStatus, nowMs: number): ClockButtons {
  switch (status.status) {
    case 'on_duty':
      return { primary: 'start_break', breakMinutes: null, secondary: ['clock_out'] };
    case 'on_break': {
      const started = status.breakStartedAt ? Date.parse(status.breakStartedAt) : Number.NaN;
      const minutes = Number.isFinite(started) ? Math.max(0, Math.round((nowMs - started) / 60000)) : null;
      return { primary: 'end_break', breakMinutes: minutes, secondary: ['clock_out'] };
    }
    default:
      return { primary: 'clock_in', breakMinutes: null, secondary: [] };
  }
}
