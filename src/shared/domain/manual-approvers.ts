/**
 * Who may approve a punch made without a face with their own face: the people HotelMate gives
 * attendance management. One rule, used by main when a manager looks at the camera to approve.
 */

/**
 * Access levels (HotelMate `Staff.access_level`) that may approve: the admin tiers. Source:
 * docs/hotelmate-api.md §2 "Capabilities" (`super_staff_admin` gets `_ATTENDANCE_MANAGE`) and §6.1
 * (`regular_staff` | `staff_admin` | `super_staff_admin`); `staff_admin` is the hotel's admin tier.
 */
export const MANUAL_APPROVER_ACCESS_LEVELS: readonly string[] = ['super_staff_admin', 'staff_admin'];

/**
 * Role slugs (HotelMate `role_slug`) that may approve: the manager roles HotelMate gives
 * `_ATTENDANCE_MANAGE` (docs/hotelmate-api.md §2 "Capabilities": `hotel_manager`,
 * `front_office_manager`, `duty_manager`).
 */
export const MANUAL_APPROVER_ROLE_SLUGS: readonly string[] = ['hotel_manager', 'front_office_manager', 'duty_manager'];

/** What the kiosk keeps of a person's authority in HotelMate (refreshed with the staff list). */
export interface StaffAuthority {
  accessLevel: string | null;
  roleSlug: string | null;
}

/** True when this person may approve another person's punch made without a face. Pure. */
export function mayApproveManualPunches(authority: StaffAuthority): boolean {
  return (
    (authority.accessLevel !== null && MANUAL_APPROVER_ACCESS_LEVELS.includes(authority.accessLevel)) ||
    (authority.roleSlug !== null && MANUAL_APPROVER_ROLE_SLUGS.includes(authority.roleSlug))
  );
}
