/**
 * Who may call what on the HotelMate double (§2): DRF token authentication, the capability
 * bundles each tier gets, the attendance base gates, the staff-management gate, and the face gate
 * that checks the calling account (never the person recognised).
 */
import type { HotelRow, StaffRow } from './store';
import type { Model } from './model';
import { detail, error, fail, json, type BackendRequest, type Fail, type Ok } from './protocol';

/** Capability bundles (§2): every tier gets the self-service bundle. */
export const SELF_SERVICE_CAPABILITIES = [
  'attendance.module.view',
  'attendance.clock.in_out',
  'attendance.break.toggle',
  'attendance.log.read_self',
  'attendance.roster.read_self',
  'attendance.face.register_self',
];
/** Manager roles and the `super_staff_admin` tier (`_ATTENDANCE_MANAGE`), with staff management reads. */
export const MANAGER_CAPABILITIES = [
  ...SELF_SERVICE_CAPABILITIES,
  'attendance.analytics.read',
  'attendance.face.audit_read',
  'attendance.face.read',
  'attendance.face.register_other',
  'attendance.face.revoke',
  'attendance.log.approve',
  'attendance.log.create',
  'attendance.log.delete',
  'attendance.log.read_all',
  'attendance.log.reject',
  'attendance.log.relink',
  'attendance.log.update',
  'attendance.shift.read',
  'attendance.shift_location.read',
  'staff_management.module.view',
  'staff_management.staff.read',
];
/**
 * What a kiosk account needs for hotel-wide status and reference data (§2 "What a kiosk needs").
 * Not `attendance.log.create`: a kiosk account cannot create logs by hand.
 */
export const KIOSK_CAPABILITIES = [
  ...SELF_SERVICE_CAPABILITIES,
  'attendance.log.read_all',
  'attendance.shift.read',
  'attendance.face.read',
  'staff_management.module.view',
  'staff_management.staff.read',
];

/** Permission-class messages: the two quoted in the documents, DRF's default otherwise. */
const CAPABILITY_MESSAGES: Record<string, string> = {
  'attendance.clock.in_out': 'You do not have permission to use clock in/out.',
  'attendance.face.read': 'You do not have permission to read attendance face data.',
};
const DEFAULT_PERMISSION_MESSAGE = 'You do not have permission to perform this action.';
const OTHER_HOTEL = 'You can only access resources from your hotel.';
const FACE_DISABLED = 'Face attendance is not enabled for this hotel. Please use the regular clock-in method.';

export interface Caller {
  staff: StaffRow;
  hotel: HotelRow;
}

export interface Gates {
  /** Base gates of every attendance endpoint (§1.2 †), then `capability`. */
  attendance(request: BackendRequest, slug: string, capability: string): Ok<Caller> | Fail;
  /** The staff router (`/api/staff/<slug>/…`): staff-management read capabilities, then the hotel. */
  staffManagement(request: BackendRequest, slug: string): Ok<Caller> | Fail;
  /** `check_face_attendance_permissions`: about the CALLING account, not the person recognised (§2). */
  face(caller: Caller): Fail | null;
}

/** Builds the gates over the model. */
export function createGates(model: Model): Gates {
  const unauthorised = (message: string): Fail => fail(json(401, { detail: message }, { 'WWW-Authenticate': 'Token' }));

  /** DRF TokenAuthentication: anonymous when there is no `Token` header; 401 when the header or key is bad. */
  const authenticate = (header: string | undefined): Ok<StaffRow | null> | Fail => {
    if (!header) return { ok: true, value: null };
    const parts = header.trim().split(/\s+/);
    if (parts[0].toLowerCase() !== 'token') return { ok: true, value: null };
    if (parts.length === 1) return unauthorised('Invalid token header. No credentials provided.');
    if (parts.length > 2) return unauthorised('Invalid token header. Token string should not contain spaces.');
    const staff = model.staffByToken(parts[1]);
    if (!staff) return unauthorised('Invalid token.');
    return { ok: true, value: staff };
  };

  /** `IsAuthenticated`. */
  const requireUser = (request: BackendRequest): Ok<StaffRow> | Fail => {
    const auth = authenticate(request.authorization);
    if (!auth.ok) return auth;
    if (!auth.value) return unauthorised('Authentication credentials were not provided.');
    return { ok: true, value: auth.value };
  };

  const lacks = (s: StaffRow, capability: string): Fail | null =>
    model.capabilitiesOf(s).has(capability) ? null : fail(detail(403, CAPABILITY_MESSAGES[capability] ?? DEFAULT_PERMISSION_MESSAGE));

  return {
    attendance(request, slug, capability) {
      const user = requireUser(request);
      if (!user.ok) return user;
      const s = user.value;
      const moduleDenied = lacks(s, 'attendance.module.view');
      if (moduleDenied) return moduleDenied;
      const hotel = model.hotel(s.hotel_id)!;
      if (hotel.slug !== slug) return fail(detail(403, OTHER_HOTEL));
      return lacks(s, capability) ?? { ok: true, value: { staff: s, hotel } };
    },
    staffManagement(request, slug) {
      const user = requireUser(request);
      if (!user.ok) return user;
      for (const capability of ['staff_management.module.view', 'staff_management.staff.read']) {
        const denied = lacks(user.value, capability);
        if (denied) return denied;
      }
      const hotel = model.hotel(user.value.hotel_id)!;
      if (hotel.slug !== slug) return fail(detail(403, OTHER_HOTEL));
      return { ok: true, value: { staff: user.value, hotel } };
    },
    face({ staff: caller, hotel }) {
      if (caller.hotel_id !== hotel.id) return fail(error(403, 'Staff member does not belong to this hotel'));
      if (caller.is_active !== 1) return fail(error(403, 'Staff member account is inactive'));
      if (hotel.face_attendance_enabled !== 1) return fail(error(403, FACE_DISABLED));
      const allowed = JSON.parse(hotel.face_attendance_departments) as number[];
      if (allowed.length > 0 && caller.department_id !== null && !allowed.includes(caller.department_id)) {
        return fail(error(403, 'Face attendance not allowed for your department'));
      }
      return null;
    },
  };
}
