/**
 * The writable fields of `ClockLogSerializer` for a manual `POST {A}/clock-logs/` (§1.3, §3.12),
 * validated with DRF's field messages. `time_in` is read-only and never read from the body, so a
 * manual log cannot be backdated either; unknown keys are ignored.
 */
import { parseBoolean } from '../protocol';
import type { Model } from '../model';
import type { ClockLogRow } from '../store';

type WritableLog = Partial<Omit<ClockLogRow, 'id' | 'time_in' | 'hours_worked'>> & { hotel_id: number; staff_id: number };

const BOOLEAN_FIELDS = ['verified_by_face', 'auto_clock_out', 'is_unrostered', 'is_approved', 'is_rejected', 'is_on_break'] as const;
const DATETIME_FIELDS = ['time_out', 'break_start', 'break_end'] as const;
const ISO_DATETIME = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d{1,6})?)?(Z|[+-]\d\d:?\d\d)?$/;
const DATETIME_FORMAT = 'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].';

/** DRF `PrimaryKeyRelatedField`: the id, or the field's error message. */
function primaryKey(value: unknown, exists: (id: number) => boolean): number | string {
  if (value === undefined) return 'This field is required.';
  if (value === null) return 'This field may not be null.';
  if (typeof value === 'boolean' || (typeof value !== 'number' && typeof value !== 'string') || !/^\d+$/.test(String(value))) {
    return `Incorrect type. Expected pk value, received ${Array.isArray(value) ? 'list' : typeof value === 'string' ? 'str' : typeof value}.`;
  }
  const id = Number(value);
  return exists(id) ? id : `Invalid pk "${id}" - object does not exist.`;
}

/** A naive time is read as UTC (`TIME_ZONE='UTC'`). */
function datetime(value: string): number | null {
  if (!ISO_DATETIME.test(value)) return null;
  const zoned = /(Z|[+-]\d\d:?\d\d)$/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(zoned.replace(' ', 'T'));
  return Number.isFinite(ms) ? ms : null;
}

/** Validates the body; `errors` is DRF's `{field: [message]}` for a 400. */
export function parseManualLog(model: Model, body: Record<string, unknown>): { ok: true; fields: WritableLog } | { ok: false; errors: Record<string, string[]> } {
  const errors: Record<string, string[]> = {};
  const hotel = primaryKey(body.hotel, (id) => model.hotel(id) !== undefined);
  const staff = primaryKey(body.staff, (id) => model.staff(id) !== undefined);
  if (typeof hotel === 'string') errors.hotel = [hotel];
  if (typeof staff === 'string') errors.staff = [staff];
  const fields: Partial<WritableLog> = {};
  for (const key of BOOLEAN_FIELDS) {
    const parsed = parseBoolean(body[key]);
    if (parsed === 'invalid') errors[key] = ['Must be a valid boolean.'];
    else if (parsed !== null) fields[key] = parsed ? 1 : 0;
  }
  for (const key of DATETIME_FIELDS) {
    const value = body[key];
    if (value === undefined) continue;
    if (value === null) fields[key] = null;
    else {
      const ms = typeof value === 'string' ? datetime(value) : null;
      if (ms === null) errors[key] = [DATETIME_FORMAT];
      else fields[key] = ms;
    }
  }
  if (body.location_note !== undefined) {
    if (body.location_note !== null && typeof body.location_note !== 'string') errors.location_note = ['Not a valid string.'];
    else if (typeof body.location_note === 'string' && body.location_note.length > 255) errors.location_note = ['Ensure this field has no more than 255 characters.'];
    else fields.location_note = body.location_note;
  }
  if (body.total_break_minutes !== undefined) {
    if (!Number.isInteger(Number(body.total_break_minutes)) || body.total_break_minutes === null || body.total_break_minutes === '') errors.total_break_minutes = ['A valid integer is required.'];
    else fields.total_break_minutes = Number(body.total_break_minutes);
  }
  if (body.roster_shift_id !== undefined && body.roster_shift_id !== null) {
    const shift = primaryKey(body.roster_shift_id, (id) => model.roster(id) !== undefined);
    if (typeof shift === 'string') errors.roster_shift_id = [shift];
    else fields.roster_shift_id = shift;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, fields: { ...fields, hotel_id: hotel as number, staff_id: staff as number } };
}
