/**
 * The pure mappers, fed with real answers from the HotelMate double (not hand-written objects), so
 * a change in either the wire shapes or the domain types shows up here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHotelMateClient, type HotelMateClient } from '../../../src/main/hotelmate/client';
import {
  departmentStatusToBoard,
  dispatchStatus,
  faceStaffToSummary,
  myStatusToDuty,
  rosterToShift,
  staffDutyStatus,
  staffToSummary,
  toDutyStatus,
  toggleStatus,
} from '../../../src/main/hotelmate/mappers';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { createHotelMateDouble, createManualClock, type HotelMateDouble, type KillarneyWorld } from '../../support/hotelmate-double';

let double: HotelMateDouble;
let world: KillarneyWorld;
let client: HotelMateClient;
const clock = createManualClock('2026-11-26T10:00:00Z');

beforeAll(async () => {
  double = await createHotelMateDouble({ clock });
  world = double.seed.killarney({ aoifeShift: { start: '09:00', end: '17:00' } });
  double.seed.staff({ hotel: world.hotelSlug, firstName: 'No', lastName: 'Dept' });
  client = createHotelMateClient({ baseUrl: double.apiBaseUrl, hotelSlug: world.hotelSlug, getToken: () => world.manager.token, timeoutMs: 3000, logger: createMemoryLogger() });
});

afterAll(async () => {
  await double.close();
});

describe('HotelMate mappers', () => {
  it('staff rows become StaffSummary with the department name (or null)', async () => {
    const staff = await client.allStaff();
    if (!staff.ok) throw new Error(JSON.stringify(staff));
    const summaries = staff.data.map(staffToSummary);
    expect(summaries.find((s) => s.id === world.aoife.id)).toEqual({ id: world.aoife.id, name: 'Aoife Murphy', department: 'Front Office', photoUrl: null });
    expect(summaries.find((s) => s.name === 'No Dept')?.department).toBeNull();
  });

  it('roster rows become HH:MM shifts with the department name', async () => {
    const shifts = await client.shifts('2026-11-26', '2026-11-26');
    if (!shifts.ok) throw new Error(JSON.stringify(shifts));
    expect(shifts.data.map(rosterToShift)).toEqual([
      { id: world.aoifeShiftId, date: '2026-11-26', start: '09:00', end: '17:00', department: 'Front Office', location: null },
    ]);
  });

  it('dispatcher, toggle and status answers map to duty statuses', async () => {
    const clockIn = await client.faceClockIn({ encoding: world.probes.aoife });
    if (!clockIn.ok) throw new Error(JSON.stringify(clockIn));
    expect(dispatchStatus(clockIn.data)).toEqual({ staffId: world.aoife.id, status: 'on_duty', breakStartedAt: null });

    const brk = await client.toggleBreak({ encoding: world.probes.aoife });
    if (!brk.ok) throw new Error(JSON.stringify(brk));
    expect(toggleStatus(brk.data)).toMatchObject({ status: 'on_break', breakStartedAt: '2026-11-26T10:00:00+00:00' });

    const options = await client.faceClockIn({ encoding: world.probes.aoife });
    if (!options.ok) throw new Error(JSON.stringify(options));
    expect(dispatchStatus(options.data).status).toBe('on_break');

    const detail = await client.staffDetail(world.aoife.id);
    if (!detail.ok) throw new Error(JSON.stringify(detail));
    expect(staffDutyStatus(detail.data)).toEqual({ status: 'on_break', breakStartedAt: '2026-11-26T10:00:00Z' });

    const unrostered = await client.faceClockIn({ encoding: world.probes.conor });
    if (!unrostered.ok) throw new Error(JSON.stringify(unrostered));
    expect(dispatchStatus(unrostered.data)).toMatchObject({ staffId: world.conor.id, status: 'off_duty' });
    expect(faceStaffToSummary(unrostered.data.staff)).toEqual({ id: world.conor.id, name: "Conor O'Sullivan", department: 'Housekeeping', photoUrl: null });

    const mine = await client.myStatus();
    expect(mine.ok && myStatusToDuty(mine.data)).toBe('off_duty');
    expect(toDutyStatus('clocked_in')).toBe('on_duty');
    expect(toDutyStatus({ status: 'on_break', label: 'On Break' })).toBe('on_break');
    expect(toDutyStatus('teleported')).toBeNull();
  });

  it('department-status becomes a board with each person once, UTC clock-in times as ISO', async () => {
    await client.forceClockIn({ encoding: world.probes.conor });
    const status = await client.departmentStatus();
    if (!status.ok) throw new Error(JSON.stringify(status));
    const board = departmentStatusToBoard(status.data, { utcDate: '2026-11-26', departmentNames: { front_office: 'Front Office' }, updatedAt: 'x' });
    expect(board).toEqual({
      departments: [
        { name: 'Front Office', entries: [{ staffId: world.aoife.id, name: 'Aoife Murphy', status: 'on_break', since: '2026-11-26T10:00:00.000Z' }] },
        { name: 'Housekeeping', entries: [{ staffId: world.conor.id, name: "Conor O'Sullivan", status: 'on_duty', since: '2026-11-26T10:00:00.000Z' }] },
      ],
      updatedAt: 'x',
    });
  });
});
