/**
 * Zod schemas for every HotelMate response the kiosk reads (docs/hotelmate-api.md §2-§6), so a
 * changed or broken backend shows up as a readable `bad_response` instead of a crash deep in sync.
 * Objects are loose (unknown fields pass through); only the fields the kiosk uses are required.
 */
import { z } from 'zod';

const nullableString = z.string().nullable();
/** DRF renders Decimal fields as strings ("8.00") but hand-built fields as numbers; accept both. */
const decimalish = z.union([z.number(), z.string()]);

export const dutyStatusSchema = z.enum(['off_duty', 'on_duty', 'on_break']);

// ---------------------------------------------------------------- auth and config

export const loginResponseSchema = z.looseObject({
  staff_id: z.number().int(),
  token: z.string().min(1),
  username: z.string(),
  hotel_slug: z.string().nullish(),
  hotel_id: z.number().int().nullish(),
  hotel_name: z.string().nullish(),
  hotel: z.looseObject({ id: z.number().int(), name: z.string(), slug: z.string() }).nullish(),
  access_level: z.string().nullish(),
  allowed_capabilities: z.array(z.string()).optional(),
});
export type LoginResponse = z.infer<typeof loginResponseSchema>;

export const faceConfigResponseSchema = z.looseObject({
  hotel_slug: z.string(),
  face_recognition_config: z.looseObject({
    face_attendance_enabled: z.boolean(),
    face_attendance_min_confidence: decimalish.optional(),
    require_face_consent: z.boolean().optional(),
    allow_face_self_registration: z.boolean().optional(),
    face_data_retention_days: z.number().optional(),
    face_attendance_departments: z.array(z.number()).optional(),
  }),
});
export type FaceConfigResponse = z.infer<typeof faceConfigResponseSchema>;

// ---------------------------------------------------------------- clock logs

export const rosterShiftRefSchema = z.looseObject({
  id: z.number().int(),
  date: z.string(),
  start: nullableString,
  end: nullableString,
  location: nullableString.optional(),
  department: nullableString.optional(),
});

/** `ClockLogSerializer` (§3.11): `Z` timestamps, `hours_worked` as a string. */
export const clockLogSchema = z.looseObject({
  id: z.number().int(),
  staff: z.number().int(),
  staff_name: z.string().optional(),
  time_in: z.string(),
  time_out: nullableString,
  hours_worked: nullableString.optional(),
  department: z.looseObject({ name: z.string(), slug: nullableString }).nullish(),
  roster_shift: rosterShiftRefSchema.nullish(),
  is_unrostered: z.boolean().optional(),
  is_approved: z.boolean().optional(),
  is_on_break: z.boolean().optional(),
  break_start: nullableString.optional(),
  break_end: nullableString.optional(),
  total_break_minutes: z.number().optional(),
  location_note: nullableString.optional(),
  verified_by_face: z.boolean().optional(),
});
export type ClockLog = z.infer<typeof clockLogSchema>;

/** DRF `PageNumberPagination`: `{count, next, previous, results}` of one item schema. */
function drfPageOf<T extends z.ZodType>(item: T) {
  return z.looseObject({ count: z.number().int(), next: nullableString, previous: nullableString, results: z.array(item) });
}

/** `GET {A}/clock-logs/`: DRF pages of 10, newest `time_in` first, no filters (§1.3). */
export const clockLogPageSchema = drfPageOf(clockLogSchema);
export type ClockLogPage = z.infer<typeof clockLogPageSchema>;

// ---------------------------------------------------------------- face endpoints

/** The `staff` block of face responses; `department` is a name or "No Department". */
export const faceStaffSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  department: z.string().nullish(),
  image: nullableString.optional(),
});
export type FaceStaff = z.infer<typeof faceStaffSchema>;

export const clockInSuccessSchema = z.looseObject({
  action: z.literal('clock_in_success'),
  message: z.string(),
  staff: faceStaffSchema,
  is_rostered: z.boolean().optional(),
  shift_info: z
    .looseObject({ id: z.number().int(), date: z.string(), start_time: z.string(), end_time: z.string(), department: nullableString.optional() })
    .nullish(),
  confidence_score: z.number(),
  kiosk_action: z.string().optional(),
  clock_log: clockLogSchema,
});

export const availableActionSchema = z.looseObject({
  action: z.string(),
  label: z.string().optional(),
  description: z.string().optional(),
  endpoint: z.string(),
  primary: z.boolean().optional(),
});

export const clockOutOptionsSchema = z.looseObject({
  action: z.literal('clock_out_options'),
  message: z.string(),
  staff: faceStaffSchema,
  session_info: z.looseObject({
    duration_hours: z.number(),
    clock_in_time: z.string(),
    is_on_break: z.boolean(),
    current_break_minutes: z.number(),
    total_break_minutes: z.number(),
  }),
  kiosk_action: z.string().optional(),
  available_actions: z.array(availableActionSchema),
  confidence_score: z.number(),
});

export const unrosteredDetectedSchema = z.looseObject({
  action: z.literal('unrostered_detected'),
  message: z.string(),
  staff: faceStaffSchema,
  requires_confirmation: z.boolean().optional(),
  confidence_score: z.number(),
  /** Note: WITHOUT the `/api` prefix (§3.4 C). */
  confirmation_endpoint: z.string(),
});

/** The three answers of the face-clock-in dispatcher (§3.4), told apart by `action`. */
export const faceClockInResponseSchema = z.discriminatedUnion('action', [
  clockInSuccessSchema,
  clockOutOptionsSchema,
  unrosteredDetectedSchema,
]);
export type FaceClockInResponse = z.infer<typeof faceClockInResponseSchema>;
export type ClockInSuccess = z.infer<typeof clockInSuccessSchema>;
export type ClockOutOptions = z.infer<typeof clockOutOptionsSchema>;
export type UnrosteredDetected = z.infer<typeof unrosteredDetectedSchema>;

export const forceClockInResponseSchema = z.looseObject({
  action: z.literal('unrostered_clock_in'),
  message: z.string(),
  staff: faceStaffSchema,
  is_rostered: z.boolean().optional(),
  requires_approval: z.boolean().optional(),
  confidence_score: z.number(),
  clock_log: clockLogSchema,
});
export type ForceClockInResponse = z.infer<typeof forceClockInResponseSchema>;

export const confirmClockOutResponseSchema = z.looseObject({
  action: z.literal('clock_out_success'),
  message: z.string(),
  staff: faceStaffSchema,
  session_summary: z.looseObject({
    duration_hours: z.number(),
    total_break_minutes: z.number(),
    clock_in_time: z.string(),
    clock_out_time: z.string(),
  }),
  confidence_score: z.number(),
  clock_log: clockLogSchema,
});
export type ConfirmClockOutResponse = z.infer<typeof confirmClockOutResponseSchema>;

export const breakStartedSchema = z.looseObject({
  action: z.literal('break_started'),
  message: z.string(),
  staff: faceStaffSchema,
  break_info: z.looseObject({ is_on_break: z.literal(true), break_start_time: z.string(), total_break_minutes: z.number() }),
  confidence_score: z.number(),
});
export const breakEndedSchema = z.looseObject({
  action: z.literal('break_ended'),
  message: z.string(),
  staff: faceStaffSchema,
  break_info: z.looseObject({
    is_on_break: z.literal(false),
    break_duration_minutes: z.number(),
    total_break_minutes: z.number(),
  }),
  confidence_score: z.number(),
});
/** The blind toggle's two answers (§3.8). */
export const toggleBreakResponseSchema = z.discriminatedUnion('action', [breakStartedSchema, breakEndedSchema]);
export type ToggleBreakResponse = z.infer<typeof toggleBreakResponseSchema>;

export const faceDataSchema = z.looseObject({
  id: z.number().int(),
  staff: z.number().int(),
  staff_name: z.string().optional(),
  image_url: nullableString.optional(),
  encoding_length: z.number().int().optional(),
  is_active: z.boolean(),
  consent_given: z.boolean().optional(),
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
});
export type FaceData = z.infer<typeof faceDataSchema>;

export const registerFaceResponseSchema = z.looseObject({ message: z.string(), face_data: faceDataSchema });
export type RegisterFaceResponse = z.infer<typeof registerFaceResponseSchema>;

export const revokeFaceResponseSchema = z.looseObject({
  message: z.string(),
  staff_id: z.number().int(),
  staff_name: z.string().optional(),
  revoked_at: z.string().optional(),
});
export type RevokeFaceResponse = z.infer<typeof revokeFaceResponseSchema>;

export const listFacesResponseSchema = z.looseObject({ count: z.number().int(), faces: z.array(faceDataSchema) });
export type ListFacesResponse = z.infer<typeof listFacesResponseSchema>;

// ---------------------------------------------------------------- staff

export const currentStatusSchema = z.looseObject({
  status: dutyStatusSchema,
  label: z.string().optional(),
  is_on_break: z.boolean().optional(),
  break_start: nullableString.optional(),
  total_break_minutes: z.number().optional(),
});

export const staffSchema = z.looseObject({
  id: z.number().int(),
  first_name: z.string(),
  last_name: z.string(),
  department: z.number().int().nullish(),
  department_detail: z.looseObject({ id: z.number().int().optional(), name: z.string(), slug: z.string() }).nullish(),
  role_slug: nullableString.optional(),
  /** `regular_staff` | `staff_admin` | `super_staff_admin` (who may approve a punch without a face). */
  access_level: nullableString.optional(),
  is_active: z.boolean().optional(),
  duty_status: dutyStatusSchema,
  /** The hotel's id (what a manual `POST clock-logs/` must name). */
  hotel: z.number().int().nullish(),
  is_on_duty: z.boolean().nullish(),
  has_registered_face: z.boolean().nullish(),
  profile_image_url: nullableString.optional(),
  current_status: currentStatusSchema.optional(),
});
export type Staff = z.infer<typeof staffSchema>;

export const staffPageSchema = drfPageOf(staffSchema);
export type StaffPage = z.infer<typeof staffPageSchema>;

// ---------------------------------------------------------------- rosters and status

/** `StaffRosterSerializer` (§6.3): `department` is a slug, times are naive `HH:MM:SS`. */
export const staffRosterSchema = z.looseObject({
  id: z.number().int(),
  staff: z.number().int(),
  staff_name: z.string().optional(),
  department: nullableString.optional(),
  department_name: nullableString.optional(),
  shift_date: z.string(),
  shift_start: nullableString,
  shift_end: nullableString,
  break_start: nullableString.optional(),
  break_end: nullableString.optional(),
  location: z.looseObject({ id: z.number().int(), name: z.string() }).nullish(),
});
export type StaffRoster = z.infer<typeof staffRosterSchema>;
export const shiftListSchema = z.array(staffRosterSchema);

export const departmentStatusEntrySchema = z.looseObject({
  staff_id: z.number().int(),
  staff_name: z.string(),
  clock_in_time: z.string(),
  clock_out_time: nullableString.optional(),
  is_on_break: z.boolean().optional(),
  hours_worked: z.number().optional(),
  is_approved: z.boolean().optional(),
  log_id: z.number().int().optional(),
});
export type DepartmentStatusEntry = z.infer<typeof departmentStatusEntrySchema>;

/** `{ "<dept_slug>|unassigned": { currently_clocked_in: [...], unrostered: [...] } }` (§3.10). */
export const departmentStatusSchema = z.record(
  z.string(),
  z.looseObject({
    currently_clocked_in: z.array(departmentStatusEntrySchema),
    unrostered: z.array(departmentStatusEntrySchema),
  }),
);
export type DepartmentStatusResponse = z.infer<typeof departmentStatusSchema>;

/** `clock-logs/status/`: the caller's own status (§1.3). */
export const myStatusSchema = z.discriminatedUnion('status', [
  z.looseObject({ status: z.literal('not_clocked_in') }),
  z.looseObject({ status: z.literal('clocked_in'), since: z.string() }),
  z.looseObject({ status: z.literal('clocked_out'), last_log: z.string() }),
]);
export type MyStatusResponse = z.infer<typeof myStatusSchema>;
