import { describe, expect, it } from 'vitest';
import {
  canonicalEventName,
  createNormaliser,
  normaliseEvent,
  type ClockStatusChanged,
  type RawRealtimeEvent,
  type RealtimeDomainEvent,
} from '../../../src/main/realtime/normalise';
import { deployedClockStatus } from '../../support/soketi/payloads';
import { attendanceLog, deployedStartBreak, recordedEvents, seedExamples, specProfile, warningPayload } from './fixtures';

const NOW = '2026-11-26T09:00:00.000Z';
const raw = (channel: string, event: string, data: unknown): RawRealtimeEvent => ({ channel, event, data, receivedAt: NOW });

function accepted(result: ReturnType<typeof normaliseEvent>): RealtimeDomainEvent {
  if (!result.ok) throw new Error(`rejected: ${result.rejection.reason} ${result.rejection.detail}`);
  return result.event;
}

describe('normaliseEvent: the deployed backend (recorded payloads)', () => {
  const recorded = recordedEvents();

  it('turns every recorded clock_status_updated envelope into the status it announces', () => {
    const clock = recorded.filter((e) => e.event === 'clock_status_updated');
    expect(clock.length).toBeGreaterThanOrEqual(3);
    for (const e of clock) {
      const payload = e.data.payload as Record<string, unknown>;
      const meta = e.data.meta as Record<string, unknown>;
      const event = accepted(normaliseEvent(raw(e.channel, e.event, e.data))) as ClockStatusChanged;
      expect(event.type).toBe('clock_status_changed');
      expect(event.staffId).toBe(payload.staff_id);
      expect(event.status).toBe(payload.duty_status);
      expect(event.action).toBe(payload.action);
      expect(event.eventId).toBe(meta.event_id);
      expect(event.name).toBe(payload.staff_name);
      expect(event.department).toBe(payload.department);
      expect(event.breakStartedAt).toBeNull();
      expect(event.doubt).toBeNull();
      expect(Date.parse(event.at)).toBe(Date.parse(String(payload.timestamp)));
    }
  });

  it('classifies the recorded unrostered-clockin-request as a known event the kiosk does not use', () => {
    const request = recorded.find((e) => e.event === 'unrostered-clockin-request');
    expect(request).toBeDefined();
    const result = normaliseEvent(raw(request!.channel, request!.event, request!.data));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.rejection).toMatchObject({ reason: 'irrelevant', channel: 'attendance-hotel-killarney-managers' });
  });

  it('reads a start_break envelope with break_start as on break since that time', () => {
    const event = accepted(normaliseEvent(raw('hotel-killarney.attendance', 'clock_status_updated', deployedStartBreak('e-1', '2026-11-26T00:55:48.291961+00:00')))) as ClockStatusChanged;
    expect(event).toMatchObject({ status: 'on_break', action: 'start_break', breakStartedAt: '2026-11-26T00:55:48.291Z' });
  });

  it('rejects an envelope for another hotel when the slug is known', () => {
    const e = recorded[0]!;
    const result = normaliseEvent(raw(e.channel, e.event, e.data), { hotelSlug: 'hotel-elsewhere' });
    expect(result.ok ? 'accepted' : result.rejection.reason).toBe('foreign_hotel');
    expect(normaliseEvent(raw(e.channel, e.event, e.data), { hotelSlug: 'hotel-killarney' }).ok).toBe(true);
  });
});

describe('normaliseEvent: the customer spec (flat, kebab-case)', () => {
  const seed = seedExamples();

  it('reads the spec clock-status example, including the break start and the name', () => {
    const event = accepted(normaliseEvent(raw('hotel-hotel-killarney', 'clock-status-updated', seed.clock))) as ClockStatusChanged;
    expect(event).toMatchObject({
      type: 'clock_status_changed',
      staffId: seed.clock.staff_id,
      status: 'on_break',
      action: 'start_break',
      breakStartedAt: '2025-12-02T15:30:00.000Z',
      at: '2025-12-02T15:30:00.000Z',
      name: 'John Doe',
      department: 'Front Desk',
      eventId: null,
      doubt: null,
    });
  });

  it('gives the same domain event for both naming styles and both shapes', () => {
    const flat = accepted(normaliseEvent(raw('hotel-x', 'clock-status-updated', seed.clock))) as ClockStatusChanged;
    const wrapped = accepted(
      normaliseEvent(raw('x.attendance', 'clock_status_updated', { category: 'attendance', type: 'clock_status_updated', payload: seed.clock, meta: { event_id: 'abc' } })),
    ) as ClockStatusChanged;
    expect({ ...wrapped, channel: '', eventName: '', eventId: null }).toEqual({ ...flat, channel: '', eventName: '', eventId: null });
  });

  it('reads the spec roster example', () => {
    const event = accepted(normaliseEvent(raw('hotel-x', 'roster-updated', seed.roster)));
    expect(event).toMatchObject({ type: 'roster_changed', action: 'updated', rosterId: 789, staffId: 123, shiftDate: '2025-12-03' });
    expect(accepted(normaliseEvent(raw('x', 'roster_updated', seed.roster))).type).toBe('roster_changed');
  });

  it('reads profile, attendance-log and warning events in both styles', () => {
    const t = '2026-11-26T08:00:00+00:00';
    expect(accepted(normaliseEvent(raw('x', 'staff-profile-updated', specProfile(5, t))))).toMatchObject({ type: 'staff_profile_changed', staffId: 5, name: 'Aoife Murphy', isActive: true });
    expect(accepted(normaliseEvent(raw('x', 'staff_profile_updated', specProfile(5, t)))).type).toBe('staff_profile_changed');
    expect(accepted(normaliseEvent(raw('x', 'attendance_logged', attendanceLog(3, t))))).toMatchObject({ type: 'attendance_logged', staffId: 3, action: 'clock_in', logId: 77, time: '2026-11-26T08:00:00.000Z' });
    expect(accepted(normaliseEvent(raw('x', 'attendance-logged', attendanceLog(3, t)))).type).toBe('attendance_logged');
    expect(accepted(normaliseEvent(raw('attendance-x-staff-2', 'hard-limit-warning', warningPayload('hard_limit', 2, t))))).toMatchObject({
      type: 'warning',
      kind: 'hard_limit',
      audience: 'staff',
      staffId: 2,
      durationHours: 6.25,
    });
    expect(accepted(normaliseEvent(raw('attendance-x-managers', 'staff-overtime-warning', warningPayload('overtime', 2, t))))).toMatchObject({ kind: 'overtime', audience: 'managers' });
    expect(accepted(normaliseEvent(raw('attendance-x-staff-2', 'break-warning', warningPayload('break', 2, t))))).toMatchObject({ kind: 'break', audience: 'staff' });
  });

  it('derives the status from the action when duty_status is missing', () => {
    const event = accepted(normaliseEvent(raw('x', 'clock-status-updated', { staff_id: 4, action: 'clock_out', clock_time: '2026-01-01T10:00:00Z' }))) as ClockStatusChanged;
    expect(event.status).toBe('off_duty');
  });

  it('treats clock-status-updated and clock_status_updated as one name', () => {
    expect(canonicalEventName('Clock-Status-Updated')).toBe('clock_status_updated');
  });
});

describe('normaliseEvent: bad input is a rejection with channel and event, never a throw', () => {
  const cases: { label: string; event: string; data: unknown; reason: string }[] = [
    { label: 'string payload', event: 'clock_status_updated', data: 'not json', reason: 'invalid' },
    { label: 'null payload', event: 'clock_status_updated', data: null, reason: 'invalid' },
    { label: 'array payload', event: 'roster_updated', data: [1, 2], reason: 'invalid' },
    { label: 'missing staff_id', event: 'clock-status-updated', data: { duty_status: 'on_duty' }, reason: 'invalid' },
    { label: 'staff_id as text', event: 'clock-status-updated', data: { staff_id: '12', duty_status: 'on_duty' }, reason: 'invalid' },
    { label: 'unknown duty status', event: 'clock-status-updated', data: { staff_id: 1, duty_status: 'asleep' }, reason: 'invalid' },
    { label: 'no status at all', event: 'clock-status-updated', data: { staff_id: 1 }, reason: 'invalid' },
    { label: 'bad time', event: 'clock-status-updated', data: { staff_id: 1, duty_status: 'on_duty', clock_time: 'yesterday' }, reason: 'invalid' },
    { label: 'impossible date', event: 'clock-status-updated', data: { staff_id: 1, duty_status: 'on_duty', clock_time: '2026-13-45T99:99:00Z' }, reason: 'invalid' },
    { label: 'envelope without object payload', event: 'clock_status_updated', data: { type: 'clock_status_updated', payload: 'x' }, reason: 'invalid' },
    { label: 'envelope type mismatch', event: 'clock_status_updated', data: { type: 'roster_updated', payload: { staff_id: 1, duty_status: 'on_duty' } }, reason: 'invalid' },
    { label: 'roster with unknown action', event: 'roster-updated', data: { action: 'exploded' }, reason: 'invalid' },
    { label: 'attendance without time', event: 'attendance_logged', data: { action: 'clock_in', staff_id: 1 }, reason: 'invalid' },
    { label: 'unknown event', event: 'pusherClockStatusUpdate', data: { staff_id: 1 }, reason: 'unknown_event' },
    { label: 'room image', event: 'room-type-image-updated', data: { room_type_id: 1 }, reason: 'irrelevant' },
    { label: 'oversized', event: 'clock-status-updated', data: { staff_id: 1, duty_status: 'on_duty', junk: 'x'.repeat(70 * 1024) }, reason: 'oversized' },
  ];
  for (const c of cases) {
    it(`rejects ${c.label}`, () => {
      const result = normaliseEvent(raw('hotel-x', c.event, c.data));
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.rejection).toMatchObject({ channel: 'hotel-x', event: c.event, reason: c.reason });
        expect(result.rejection.detail.length).toBeGreaterThan(0);
        expect(result.rejection.detail.length).toBeLessThan(1000);
      }
    });
  }

  it('survives a payload whose getter throws', () => {
    const evil = { staff_id: 1, get duty_status(): string { throw new Error('boom'); } };
    const result = normaliseEvent({ ...raw('x', 'clock-status-updated', evil), sizeBytes: 10 });
    expect(result.ok).toBe(false);
  });
});

describe('createNormaliser: de-duplication with bounded memory', () => {
  it('drops a repeated event_id and, without ids, a repeated staff+action+time', () => {
    const n = createNormaliser();
    const e = recordedEvents()[0]!;
    expect(n.normalise(raw(e.channel, e.event, e.data)).ok).toBe(true);
    const again = n.normalise(raw(e.channel, e.event, e.data));
    expect(again.ok ? 'accepted' : again.rejection.reason).toBe('duplicate');

    const seed = seedExamples().clock;
    expect(n.normalise(raw('hotel-x', 'clock-status-updated', seed)).ok).toBe(true);
    expect(n.normalise(raw('hotel-x', 'clock_status_updated', seed)).ok).toBe(false);
    // Same person and action at another time is a new fact.
    expect(n.normalise(raw('hotel-x', 'clock-status-updated', { ...seed, clock_time: '2025-12-02T16:00:00Z' })).ok).toBe(true);
  });

  it('keeps at most its capacity of keys, forgetting the oldest', () => {
    const n = createNormaliser({ dedupeCapacity: 3 });
    const at = (i: number): RawRealtimeEvent => raw('x', 'clock-status-updated', { staff_id: 1, action: 'clock_in', clock_time: `2026-01-01T10:0${i}:00Z` });
    for (let i = 0; i < 5; i += 1) expect(n.normalise(at(i)).ok).toBe(true);
    expect(n.remembered()).toBe(3);
    expect(n.normalise(at(4)).ok).toBe(false); // recent: still remembered
    expect(n.normalise(at(0)).ok).toBe(true); // oldest: forgotten
  });

  it('does not remember rejected events', () => {
    const n = createNormaliser();
    expect(n.normalise(raw('x', 'clock-status-updated', { staff_id: 1 })).ok).toBe(false);
    expect(n.remembered()).toBe(0);
  });
});

describe('normaliseEvent: event times never lie in the future', () => {
  const forged = (at: string): RawRealtimeEvent => {
    const event = deployedClockStatus({ hotelSlug: 'hotel-killarney', staffId: 2, action: 'start_break', at });
    return { channel: event.channel, event: event.event, data: event.data, receivedAt: NOW };
  };

  it('caps a timestamp later than receipt + 5 s at the receipt time (the break start too)', () => {
    const event = accepted(normaliseEvent(forged('2031-01-01T00:00:00Z'))) as ClockStatusChanged;
    expect(event.at).toBe(NOW);
    expect(event.breakStartedAt).toBe(NOW);
    expect(event.doubt).toMatch(/^the event time is \d+ s ahead of this kiosk's clock$/);
  });

  it('keeps a timestamp a little ahead of the kiosk (HotelMate\'s clock within the skew) and any past one', () => {
    expect(accepted(normaliseEvent(forged('2026-11-26T09:00:04Z'))).at).toBe('2026-11-26T09:00:04.000Z');
    expect(accepted(normaliseEvent(forged('2026-11-26T08:59:00Z'))).at).toBe('2026-11-26T08:59:00.000Z');
    expect(accepted(normaliseEvent(forged('2026-11-26T09:00:06Z'), { maxFutureSkewMs: 10_000 })).at).toBe('2026-11-26T09:00:06.000Z');
  });

  it('caps the time of an attendance log as well', () => {
    const event = accepted(normaliseEvent(raw('hotel-killarney', 'attendance_logged', attendanceLog(3, '2031-01-01T00:00:00+00:00'))));
    expect(event).toMatchObject({ type: 'attendance_logged', at: NOW, time: NOW, doubt: expect.stringContaining('the punch time is') });
  });
});

describe('normaliseEvent: channel names another hotel shares', () => {
  const slug = 'hotel-killarney';
  const clockIn = { staff_id: 2, duty_status: 'on_duty', action: 'clock_in', clock_time: '2026-11-26T08:00:00Z' };
  const reason = (channel: string, event: string, data: unknown, hotelSlug = slug): string => {
    const result = normaliseEvent(raw(channel, event, data), { hotelSlug });
    return result.ok ? 'accepted' : result.rejection.reason;
  };

  it('on the bare <slug> channel (hotel "killarney"\'s spec channel) accepts only snake_case names', () => {
    expect(reason('hotel-killarney', 'clock-status-updated', clockIn)).toBe('foreign_hotel');
    expect(reason('private-hotel-killarney', 'attendance-logged', attendanceLog(2, '2026-11-26T08:00:00Z'))).toBe('foreign_hotel');
    expect(reason('hotel-killarney', 'attendance_logged', attendanceLog(2, '2026-11-26T08:00:00Z'))).toBe('accepted');
  });

  it('on hotel-<slug> (hotel "hotel-<slug>"\'s bare channel) accepts only kebab-case names, unless the envelope names this hotel', () => {
    expect(reason('hotel-hotel-killarney', 'clock_status_updated', clockIn)).toBe('foreign_hotel');
    expect(reason('hotel-hotel-killarney', 'clock-status-updated', clockIn)).toBe('accepted');
    const envelope = { type: 'clock_status_updated', payload: clockIn, meta: { hotel_slug: slug } };
    expect(reason('hotel-hotel-killarney', 'clock_status_updated', envelope)).toBe('accepted');
  });

  it('accepts either style where no other hotel can share the name (a slug without the hotel- prefix)', () => {
    expect(reason('grand', 'clock-status-updated', clockIn, 'grand')).toBe('accepted');
    expect(reason('grand.attendance', 'clock-status-updated', clockIn, 'grand')).toBe('accepted');
  });
});

describe('normaliseEvent: a clock status the kiosk cannot trust as sent says why', () => {
  const doubt = (data: Record<string, unknown>): string | null => (accepted(normaliseEvent(raw('hotel-x', 'clock-status-updated', data))) as ClockStatusChanged).doubt;

  it('no time at all (meta.ts alone is a time)', () => {
    expect(doubt({ staff_id: 1, duty_status: 'on_duty' })).toBe('the event carries no time of its own, so its order is unknown');
    const envelope = { type: 'clock_status_updated', payload: { staff_id: 1, duty_status: 'on_duty' }, meta: { ts: '2026-11-26T08:00:00+00:00' } };
    expect((accepted(normaliseEvent(raw('x.attendance', 'clock_status_updated', envelope))) as ClockStatusChanged).doubt).toBeNull();
  });

  it('fields that disagree, each named', () => {
    const at = { clock_time: '2026-11-26T08:00:00Z' };
    expect(doubt({ staff_id: 1, duty_status: 'on_duty', action: 'start_break', ...at })).toBe('action disagrees with the status on_duty');
    expect(doubt({ staff_id: 1, duty_status: 'on_duty', is_on_break: true, current_status: { status: 'off_duty' }, ...at })).toBe(
      'current_status.status, is_on_break disagree with the status on_duty',
    );
    expect(doubt({ staff_id: 1, duty_status: 'on_break', is_on_break: false, ...at })).toBe('is_on_break disagrees with the status on_break');
    expect(doubt({ staff_id: 1, action: 'clock_out', is_on_duty: false, ...at })).toBeNull();
    // is_on_duty is a legacy flag HotelMate leaves unchanged on breaks and lets drift: not compared.
    expect(doubt({ staff_id: 1, duty_status: 'on_duty', is_on_duty: false, ...at })).toBeNull();
    expect(doubt({ staff_id: 1, duty_status: 'off_duty', is_on_duty: true, ...at })).toBeNull();
  });
});
