/** Who may approve a punch made without a face with their own face: HotelMate's admin tiers and manager roles. */
import { describe, expect, it } from 'vitest';
import { mayApproveManualPunches } from '../../../src/shared/domain/manual-approvers';

describe('mayApproveManualPunches', () => {
  it('accepts the admin tiers whatever the role', () => {
    expect(mayApproveManualPunches({ accessLevel: 'super_staff_admin', roleSlug: null })).toBe(true);
    expect(mayApproveManualPunches({ accessLevel: 'staff_admin', roleSlug: 'receptionist' })).toBe(true);
  });

  it('accepts the documented manager roles on the regular tier', () => {
    for (const roleSlug of ['hotel_manager', 'front_office_manager', 'duty_manager'])
      expect(mayApproveManualPunches({ accessLevel: 'regular_staff', roleSlug })).toBe(true);
  });

  it('refuses regular staff in other roles, and a person HotelMate said nothing about', () => {
    expect(mayApproveManualPunches({ accessLevel: 'regular_staff', roleSlug: 'front_desk_agent' })).toBe(false);
    expect(mayApproveManualPunches({ accessLevel: 'regular_staff', roleSlug: 'housekeeping_manager_assistant' })).toBe(false);
    expect(mayApproveManualPunches({ accessLevel: null, roleSlug: null })).toBe(false);
  });
});
