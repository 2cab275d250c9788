import { describe, expect, it } from 'vitest';
import { allowedActions, breakMinutes, clockButtonInfo, isAllowed, isDuplicateTap, nextStatus, clockButtonsForShift, isNearShiftEnd } from '../../../src/shared/domain/duty-status';
import { CLOCK_ACTIONS, DUTY_STATUSES, type ClockAction, type DutyStatus } from '../../../src/shared/domain/types';

describe('duty status transitions (the customer table)', () => {
  const table: [DutyStatus, ClockAction, DutyStatus | null][] = [
    ['off_duty', 'clock_in', 'on_duty'],
    ['off_duty', 'start_break', null],
    ['off_duty', 'end_break', null],
    ['off_duty', 'clock_out', null],
    ['on_duty', 'clock_in', null],
    ['on_duty', 'start_break', 'on_break'],
    ['on_duty', 'end_break', null],
    ['on_duty', 'clock_out', 'off_duty'],
    ['on_break', 'clock_in', null],
    ['on_break', 'start_break', null],
    ['on_break', 'end_break', 'on_duty'],
    ['on_break', 'clock_out', 'off_duty'],
  ];
  it.each(table)('%s + %s -> %s', (from, action, to) => {
    expect(nextStatus(from, action)).toBe(to);
    expect(isAllowed(from, action)).toBe(to !== null);
  });

  it('allowedActions agrees with the table for every state, primary action first', () => {
    for (const status of DUTY_STATUSES) {
      const allowed = allowedActions(status);
      expect([...allowed].sort()).toEqual(CLOCK_ACTIONS.filter((a) => isAllowed(status, a)).sort());
    }
    expect(allowedActions('on_break')[0]).toBe('end_break');
  });
});

describe('clockButtonInfo (the seed getClockButtonInfo)', () => {
  const now = new Date('2026-05-11T12:30:00Z');
  it('offers Clock In only when off duty', () => {
    const info = clockButtonInfo('off_duty', null, now);
    expect(info.primary.labelKey).toBe('clock.button.clockIn');
    expect(info.primary.action).toBe('clock_in');
    expect(info.secondary).toBeNull();
  });
  it('offers Start Break with Clock Out as secondary when on duty', () => {
    const info = clockButtonInfo('on_duty', null, now);
    expect(info.primary.action).toBe('start_break');
    expect(info.secondary?.action).toBe('clock_out');
  });
  it('shows End Break with the running break minutes when on a break', () => {
    const info = clockButtonInfo('on_break', '2026-05-11T12:17:40Z', now);
    expect(info.primary.action).toBe('end_break');
    expect(info.primary.subKey).toBe('clock.button.breakMinutes');
    expect(info.primary.params).toEqual({ minutes: 12 });
    expect(info.secondary?.action).toBe('clock_out');
  });
  it('hides the minutes when the break start is unknown or just now', () => {
    expect(clockButtonInfo('on_break', null, now).primary.subKey).toBeNull();
    expect(clockButtonInfo('on_break', '2026-05-11T12:30:10Z', now).primary.subKey).toBeNull();
    expect(breakMinutes('garbage', now)).toBe(0);
  });
});

describe('duplicate taps', () => {
  const first = { staffId: 42, action: 'clock_in' as const, atMs: 1_000_000 };
  it('treats the same person and action within the window as a duplicate', () => {
    expect(isDuplicateTap(first, { ...first, atMs: first.atMs + 3_000 })).toBe(true);
  });
  it('does not treat a later tap, another action or another person as a duplicate', () => {
    expect(isDuplicateTap(first, { ...first, atMs: first.atMs + 10_000 })).toBe(false);
    expect(isDuplicateTap(first, { ...first, action: 'clock_out', atMs: first.atMs + 1_000 })).toBe(false);
    expect(isDuplicateTap(first, { ...first, staffId: 43, atMs: first.atMs + 1_000 })).toBe(false);
    expect(isDuplicateTap(null, first)).toBe(false);
  });
});

describe('the big button follows the shift', () => {
  const shift = { date: '2026-11-27', start: '07:00', end: '15:00' };

  it('is Clock Out from 30 min before the shift end in the hotel time zone, and after it', () => {
    // Warsaw is UTC+1 in November: 14:29 there is 13:29 UTC.
    expect(isNearShiftEnd(shift, new Date('2026-11-27T13:29:00Z'), 'Europe/Warsaw')).toBe(false);
    expect(isNearShiftEnd(shift, new Date('2026-11-27T13:30:00Z'), 'Europe/Warsaw')).toBe(true);
    expect(isNearShiftEnd(shift, new Date('2026-11-27T18:00:00Z'), 'Europe/Warsaw')).toBe(true);
    expect(clockButtonsForShift('on_duty', null, shift, new Date('2026-11-27T13:45:00Z'), 'Europe/Warsaw')).toMatchObject({
      primary: { action: 'clock_out' },
      secondary: { action: 'start_break' },
    });
    expect(clockButtonsForShift('on_duty', null, shift, new Date('2026-11-27T09:00:00Z'), 'Europe/Warsaw').primary.action).toBe('start_break');
  });

  it('a night shift ends the next day; off duty, no shift or an unreadable zone change nothing', () => {
    const night = { date: '2026-11-27', start: '22:00', end: '06:00' };
    expect(isNearShiftEnd(night, new Date('2026-11-27T23:00:00Z'), 'Europe/Dublin')).toBe(false);
    expect(isNearShiftEnd(night, new Date('2026-11-28T05:40:00Z'), 'Europe/Dublin')).toBe(true);
    expect(clockButtonsForShift('off_duty', null, night, new Date('2026-11-28T05:40:00Z'), 'Europe/Dublin').primary.action).toBe('clock_in');
    expect(clockButtonsForShift('on_duty', null, null, new Date('2026-11-28T05:40:00Z'), 'Europe/Dublin').primary.action).toBe('start_break');
    expect(isNearShiftEnd(shift, new Date('2026-11-27T18:00:00Z'), 'Not/AZone')).toBe(false);
  });
});
