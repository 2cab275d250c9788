/**
 * The one place that turns HotelMate's Pusher events into typed domain events. The customer's spec
 * (`hotel-<slug>`, kebab-case names, flat payloads) and the deployed backend (`<slug>.attendance`,
 * snake_case names, `{category,type,payload,meta}` envelopes) disagree; both are accepted here,
 * validated with zod, de-duplicated, and anything else is returned as a rejection to be logged.
 * Pure: no clock, no I/O.
 */
import { z } from 'zod';
import type { ClockAction, DutyStatus } from '../../shared/domain/types';
import type {
  AttendanceLogged,
  ClockStatusChanged,
  NormaliseResult,
  RawRealtimeEvent,
  RealtimeDomainEvent,
  Rejection,
  RejectionReason,
  RosterAction,
  RosterChanged,
  StaffProfileChanged,
  Warning,
  WarningKind,
} from './events';

export * from './events';

/** Default payload limit. Pusher's cloud caps events at 10 KB; anything past this is not HotelMate's. */
export const DEFAULT_MAX_EVENT_BYTES = 64 * 1024;

/**
 * How far past its receipt an event's own time may lie (HotelMate's clock a little ahead of the
 * kiosk's). A later `clock_time`/`timestamp` is capped at the receipt time, so one forged or skewed
 * event can never outrank the status answers that follow it.
 */
export const DEFAULT_MAX_FUTURE_SKEW_MS = 5_000;

// ------------------------------------------------------------------ schemas

const isoTime = z
  .string()
  .max(64)
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, 'must be an ISO date-time')
  .refine((value) => Number.isFinite(Date.parse(value)), 'must be a valid date-time');
const staffId = z.number().int().positive().max(2 ** 31);
const optionalId = staffId.nullable().optional();
const shortText = z.string().max(200);
const dutyStatus = z.enum(['off_duty', 'on_duty', 'on_break']);
const clockAction = z.enum(['clock_in', 'clock_out', 'start_break', 'end_break']);

const currentStatusSchema = z.looseObject({
  status: dutyStatus.optional(),
  label: shortText.nullable().optional(),
  is_on_break: z.boolean().nullable().optional(),
  break_start: isoTime.nullable().optional(),
  total_break_minutes: z.number().nullable().optional(),
});

const clockStatusSchema = z.looseObject({
  staff_id: staffId,
  user_id: optionalId,
  duty_status: dutyStatus.nullable().optional(),
  action: clockAction.nullable().optional(),
  is_on_duty: z.boolean().nullable().optional(),
  is_on_break: z.boolean().nullable().optional(),
  clock_time: isoTime.nullable().optional(),
  timestamp: isoTime.nullable().optional(),
  staff_name: shortText.nullable().optional(),
  first_name: shortText.nullable().optional(),
  last_name: shortText.nullable().optional(),
  department: shortText.nullable().optional(),
  current_status: currentStatusSchema.nullable().optional(),
});

const rosterSchema = z.looseObject({
  action: z.enum(['created', 'updated', 'deleted', 'bulk_updated']),
  roster_id: optionalId,
  staff_id: optionalId,
  shift_date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
    .nullable()
    .optional(),
  shift_start: z.string().max(16).nullable().optional(),
  shift_end: z.string().max(16).nullable().optional(),
  timestamp: isoTime.nullable().optional(),
});

const profileSchema = z.looseObject({
  staff_id: staffId,
  action: z.string().min(1).max(64),
  first_name: shortText.nullable().optional(),
  last_name: shortText.nullable().optional(),
  department: shortText.nullable().optional(),
  is_active: z.boolean().nullable().optional(),
  timestamp: isoTime.nullable().optional(),
});

const attendanceSchema = z.looseObject({
  action: z.enum(['clock_in', 'clock_out']),
  log_id: optionalId,
  staff_id: staffId,
  staff_name: shortText.nullable().optional(),
  department: shortText.nullable().optional(),
  time: isoTime,
  verified_by_face: z.boolean().nullable().optional(),
  timestamp: isoTime.nullable().optional(),
});

const warningSchema = z.looseObject({
  staff_id: staffId,
  staff_name: shortText.nullable().optional(),
  clock_log_id: optionalId,
  duration_hours: z.number().nonnegative().max(10000).nullable().optional(),
  message: z.string().max(2000).nullable().optional(),
  timestamp: isoTime.nullable().optional(),
});

const envelopeSchema = z.looseObject({
  category: z.string().max(64).optional(),
  type: z.string().max(64),
  payload: z.record(z.string(), z.unknown()),
  meta: z
    .looseObject({
      hotel_slug: z.string().max(100).nullable().optional(),
      event_id: z.string().min(1).max(100).nullable().optional(),
      ts: isoTime.nullable().optional(),
    })
    .nullable()
    .optional(),
});

// ------------------------------------------------------------------ event names

type Kind = 'clock' | 'roster' | 'profile' | 'attendance' | 'warning' | 'irrelevant';

const KINDS: Record<string, Kind> = {
  clock_status_updated: 'clock',
  roster_updated: 'roster',
  staff_profile_updated: 'profile',
  attendance_logged: 'attendance',
  break_warning: 'warning',
  overtime_warning: 'warning',
  hard_limit_warning: 'warning',
  staff_break_warning: 'warning',
  staff_overtime_warning: 'warning',
  staff_hard_limit_warning: 'warning',
  // Known HotelMate events that carry nothing the kiosk shows.
  room_type_image_updated: 'irrelevant',
  unrostered_clockin_request: 'irrelevant',
  staff_long_session_acknowledged: 'irrelevant',
  period_finalized: 'irrelevant',
  period_unfinalized: 'irrelevant',
  clocklog_approved: 'irrelevant',
  clocklog_rejected: 'irrelevant',
  staff_registration_updated: 'irrelevant',
  department_updated: 'irrelevant',
  role_updated: 'irrelevant',
  navigation_permissions_updated: 'irrelevant',
};

/** `clock-status-updated` and `clock_status_updated` are the same event. */
export function canonicalEventName(event: string): string {
  return event.trim().toLowerCase().replace(/-/g, '_');
}

// ------------------------------------------------------------------ helpers

function iso(value: string): string {
  return new Date(value).toISOString();
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`)
    .join('; ');
}

function payloadBytes(data: unknown): number {
  const text = typeof data === 'string' ? data : JSON.stringify(data) ?? '';
  return new TextEncoder().encode(text).length;
}

const STATUS_AFTER: Record<ClockAction, DutyStatus> = {
  clock_in: 'on_duty',
  end_break: 'on_duty',
  clock_out: 'off_duty',
  start_break: 'on_break',
};

function fullName(first: string | null | undefined, last: string | null | undefined): string | null {
  const name = [first, last].filter((part): part is string => typeof part === 'string' && part.trim() !== '').join(' ').trim();
  return name === '' ? null : name;
}

/**
 * Two of the kiosk's channels can also be another hotel's: `hotel-<slug>` (the spec's, kebab-case
 * names) is the deployed bare channel of the hotel whose slug is `hotel-<slug>`, and the bare
 * `<slug>` (the deployed backend's, snake_case names) is the spec channel of the hotel whose slug is
 * `<slug>` without its `hotel-` prefix. Flat payloads carry no hotel, so on those channels only this
 * hotel's naming style is accepted. Returns why the event belongs to the other hotel, or null.
 */
function sharedChannel(channel: string, event: string, slug: string): string | null {
  const name = channel.replace(/^private-/, '');
  const kebab = event.includes('-') && !event.includes('_');
  if (name === `hotel-${slug}` && !kebab) {
    return `"${event.slice(0, 100)}" is named in the style of hotel "hotel-${slug}"'s own channel of the same name, not this hotel's`;
  }
  if (name === slug && slug.startsWith('hotel-') && kebab) {
    return `"${event.slice(0, 100)}" is named in the style of hotel "${slug.slice('hotel-'.length)}"'s own channel of the same name, not this hotel's`;
  }
  return null;
}

/**
 * Which fields of a clock-status payload contradict the status read from it (e.g. `duty_status`
 * on duty with `is_on_break` true), as a log-safe sentence naming the fields, or null when they agree.
 * `is_on_duty` is not compared: HotelMate leaves that legacy flag unchanged on breaks and it drifts
 * (hotelmate-api.md §6.1, quirk 15).
 */
function disagreement(p: z.infer<typeof clockStatusSchema>, status: DutyStatus): string | null {
  const claims: [string, DutyStatus | null | undefined][] = [
    ['duty_status', p.duty_status],
    ['current_status.status', p.current_status?.status],
    ['action', p.action ? STATUS_AFTER[p.action] : null],
    ['is_on_break', p.is_on_break === true ? 'on_break' : null],
  ];
  const conflicts = claims.filter(([, claim]) => claim !== null && claim !== undefined && claim !== status).map(([field]) => field);
  if (p.is_on_break === false && status === 'on_break') conflicts.push('is_on_break');
  return conflicts.length === 0 ? null : `${conflicts.join(', ')} disagree${conflicts.length === 1 ? 's' : ''} with the status ${status}`;
}

export interface NormaliseOptions {
  /** Reject larger payloads (bytes). Default 64 KB. */
  maxBytes?: number;
  /** When set, envelopes whose `meta.hotel_slug` names another hotel are rejected. */
  hotelSlug?: string;
  /** Event times later than receipt + this are capped at the receipt time. Default 5 s. */
  maxFutureSkewMs?: number;
}

/**
 * Turns one received Pusher event into a domain event, or a rejection saying why not. Event times
 * that lie more than `maxFutureSkewMs` after the receipt are capped at the receipt time.
 * Stateless (no de-duplication; see {@link createNormaliser}). Never throws.
 */
export function normaliseEvent(raw: RawRealtimeEvent, options: NormaliseOptions = {}): NormaliseResult {
  const result = readEvent(raw, options);
  if (!result.ok) return result;
  const receivedMs = Date.parse(raw.receivedAt);
  if (Number.isNaN(receivedMs)) return result;
  const latestMs = receivedMs + (options.maxFutureSkewMs ?? DEFAULT_MAX_FUTURE_SKEW_MS);
  const receipt = new Date(receivedMs).toISOString();
  const ahead = (time: string | null): time is string => time !== null && Date.parse(time) > latestMs;
  const cap = (time: string): string => (ahead(time) ? receipt : time);
  /** The doubt a time too far ahead raises (the kiosk's clock may be the wrong one: say by how much). */
  const aheadBy = (what: string, time: string | null): string | null =>
    ahead(time) ? `${what} is ${Math.round((Date.parse(time) - receivedMs) / 1000)} s ahead of this kiosk's clock` : null;
  const event = result.event;
  switch (event.type) {
    case 'clock_status_changed': {
      const doubt = event.doubt ?? aheadBy('the event time', event.at) ?? aheadBy('the break start', event.breakStartedAt);
      return { ok: true, event: { ...event, doubt, at: cap(event.at), breakStartedAt: event.breakStartedAt === null ? null : cap(event.breakStartedAt) } };
    }
    case 'attendance_logged':
      return { ok: true, event: { ...event, doubt: aheadBy('the punch time', event.time), at: cap(event.at), time: cap(event.time) } };
    default:
      return { ok: true, event: { ...event, at: cap(event.at) } };
  }
}

/** The event as the payload states it, times uncapped. */
function readEvent(raw: RawRealtimeEvent, options: NormaliseOptions): NormaliseResult {
  const reject = (reason: RejectionReason, detail: string): NormaliseResult => ({
    ok: false,
    rejection: { channel: raw.channel, event: raw.event, reason, detail },
  });
  try {
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_EVENT_BYTES;
    const size = raw.sizeBytes ?? payloadBytes(raw.data);
    if (size > maxBytes) return reject('oversized', `payload is ${size} bytes, limit ${maxBytes}`);

    const name = canonicalEventName(raw.event);
    const kind = KINDS[name];
    if (kind === undefined) return reject('unknown_event', `no handler for event "${raw.event.slice(0, 100)}"`);
    if (kind === 'irrelevant') return reject('irrelevant', 'known HotelMate event the kiosk does not use');

    if (typeof raw.data !== 'object' || raw.data === null || Array.isArray(raw.data)) {
      return reject('invalid', `payload must be a JSON object, got ${Array.isArray(raw.data) ? 'array' : typeof raw.data}`);
    }

    // Envelope ({category,type,payload,meta}) or flat.
    let body: Record<string, unknown> = raw.data as Record<string, unknown>;
    let eventId: string | null = null;
    let metaTs: string | null = null;
    let metaSlug: string | null = null;
    if ('payload' in body && 'type' in body) {
      const envelope = envelopeSchema.safeParse(body);
      if (!envelope.success) return reject('invalid', `envelope: ${describeIssues(envelope.error)}`);
      const meta = envelope.data.meta ?? null;
      if (options.hotelSlug && meta?.hotel_slug && meta.hotel_slug !== options.hotelSlug) {
        return reject('foreign_hotel', `meta.hotel_slug is "${meta.hotel_slug.slice(0, 100)}"`);
      }
      if (canonicalEventName(envelope.data.type) !== name) {
        return reject('invalid', `envelope type "${envelope.data.type}" does not match the event name`);
      }
      body = envelope.data.payload;
      eventId = meta?.event_id ?? null;
      metaSlug = meta?.hotel_slug ?? null;
      metaTs = meta?.ts ? iso(meta.ts) : null;
    }
    const confirmed = options.hotelSlug !== undefined && metaSlug === options.hotelSlug;
    const shared = options.hotelSlug && !confirmed ? sharedChannel(raw.channel, raw.event, options.hotelSlug) : null;
    if (shared) return reject('foreign_hotel', shared);
    const base = { channel: raw.channel, eventName: raw.event, eventId };

    switch (kind) {
      case 'clock': {
        const parsed = clockStatusSchema.safeParse(body);
        if (!parsed.success) return reject('invalid', describeIssues(parsed.error));
        const p = parsed.data;
        const action = p.action ?? null;
        const status: DutyStatus | null =
          p.duty_status ??
          p.current_status?.status ??
          (action ? STATUS_AFTER[action] : null) ??
          (p.is_on_break === true ? 'on_break' : p.is_on_duty === true ? 'on_duty' : p.is_on_duty === false ? 'off_duty' : null);
        if (status === null) return reject('invalid', 'no duty_status, current_status.status or action');
        const at = p.clock_time ? iso(p.clock_time) : p.timestamp ? iso(p.timestamp) : (metaTs ?? iso(raw.receivedAt));
        const breakStartedAt =
          status !== 'on_break' ? null : p.current_status?.break_start ? iso(p.current_status.break_start) : action === 'start_break' && p.clock_time ? iso(p.clock_time) : null;
        const timed = Boolean(p.clock_time || p.timestamp || metaTs);
        const doubt = timed ? disagreement(p, status) : 'the event carries no time of its own, so its order is unknown';
        const event: ClockStatusChanged = { ...base, type: 'clock_status_changed', at, staffId: p.staff_id, status, action, breakStartedAt, doubt };
        const staffName = p.staff_name ?? fullName(p.first_name, p.last_name);
        if (staffName) event.name = staffName;
        if (p.department !== undefined) event.department = p.department;
        return { ok: true, event };
      }
      case 'roster': {
        const parsed = rosterSchema.safeParse(body);
        if (!parsed.success) return reject('invalid', describeIssues(parsed.error));
        const p = parsed.data;
        const event: RosterChanged = {
          ...base,
          type: 'roster_changed',
          at: p.timestamp ? iso(p.timestamp) : (metaTs ?? iso(raw.receivedAt)),
          action: p.action as RosterAction,
          rosterId: p.roster_id ?? null,
          staffId: p.staff_id ?? null,
          shiftDate: p.shift_date ?? null,
        };
        return { ok: true, event };
      }
      case 'profile': {
        const parsed = profileSchema.safeParse(body);
        if (!parsed.success) return reject('invalid', describeIssues(parsed.error));
        const p = parsed.data;
        const event: StaffProfileChanged = {
          ...base,
          type: 'staff_profile_changed',
          at: p.timestamp ? iso(p.timestamp) : (metaTs ?? iso(raw.receivedAt)),
          staffId: p.staff_id,
          action: p.action,
          name: fullName(p.first_name, p.last_name),
          department: p.department ?? null,
          isActive: p.is_active ?? null,
        };
        return { ok: true, event };
      }
      case 'attendance': {
        const parsed = attendanceSchema.safeParse(body);
        if (!parsed.success) return reject('invalid', describeIssues(parsed.error));
        const p = parsed.data;
        const event: AttendanceLogged = {
          ...base,
          type: 'attendance_logged',
          at: iso(p.time),
          staffId: p.staff_id,
          action: p.action,
          logId: p.log_id ?? null,
          time: iso(p.time),
          doubt: null,
          name: p.staff_name ?? null,
          department: p.department ?? null,
          verifiedByFace: p.verified_by_face ?? null,
        };
        return { ok: true, event };
      }
      case 'warning': {
        const parsed = warningSchema.safeParse(body);
        if (!parsed.success) return reject('invalid', describeIssues(parsed.error));
        const p = parsed.data;
        const managers = name.startsWith('staff_') || raw.channel.endsWith('-managers');
        const kindName = name.replace(/^staff_/, '').replace(/_warning$/, '') as WarningKind;
        const event: Warning = {
          ...base,
          type: 'warning',
          at: p.timestamp ? iso(p.timestamp) : (metaTs ?? iso(raw.receivedAt)),
          kind: kindName,
          audience: managers ? 'managers' : 'staff',
          staffId: p.staff_id,
          staffName: p.staff_name ?? null,
          clockLogId: p.clock_log_id ?? null,
          durationHours: p.duration_hours ?? null,
          message: p.message ?? null,
        };
        return { ok: true, event };
      }
    }
  } catch (error) {
    return reject('invalid', `could not read payload: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * The de-duplication key: `meta.event_id` when present, else what makes the fact unique
 * (staff, action and time for clock and attendance events).
 */
export function dedupeKey(event: RealtimeDomainEvent): string {
  if (event.eventId) return `id:${event.eventId}`;
  switch (event.type) {
    case 'clock_status_changed':
      return `clock:${event.staffId}:${event.action ?? event.status}:${event.at}`;
    case 'attendance_logged':
      return `attendance:${event.staffId}:${event.action}:${event.time}`;
    case 'roster_changed':
      return `roster:${event.rosterId ?? '-'}:${event.staffId ?? '-'}:${event.action}:${event.at}`;
    case 'staff_profile_changed':
      return `profile:${event.staffId}:${event.action}:${event.at}`;
    case 'warning':
      return `warning:${event.kind}:${event.audience}:${event.staffId}:${event.clockLogId ?? '-'}:${event.at}`;
  }
}

export interface Normaliser {
  /** Normalises and drops events already seen among the last `dedupeCapacity` accepted ones. */
  normalise(raw: RawRealtimeEvent): NormaliseResult;
  /** How many keys are remembered now (bounded by the capacity). */
  remembered(): number;
}

/** A normaliser with bounded de-duplication memory (oldest keys are forgotten first). */
export function createNormaliser(options: NormaliseOptions & { dedupeCapacity?: number } = {}): Normaliser {
  const capacity = Math.max(1, options.dedupeCapacity ?? 2000);
  const seen = new Set<string>();
  return {
    normalise(raw) {
      const result = normaliseEvent(raw, options);
      if (!result.ok) return result;
      const key = dedupeKey(result.event);
      if (seen.has(key)) {
        const rejection: Rejection = { channel: raw.channel, event: raw.event, reason: 'duplicate', detail: `already seen (${key.startsWith('id:') ? 'event_id' : 'staff/action/time'})` };
        return { ok: false, rejection };
      }
      seen.add(key);
      if (seen.size > capacity) {
        const oldest = seen.values().next().value;
        if (oldest !== undefined) seen.delete(oldest);
      }
      return result;
    },
    remembered: () => seen.size,
  };
}
