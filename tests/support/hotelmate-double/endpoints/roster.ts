/**
 * Roster reads: `GET {A}/shifts/` (§1.4), a plain list, date-filtered only when both `start` and
 * `end` are given, `department` applied twice and ANDed (the roster row's and the person's).
 */
import { attendanceRoute, json, type Handler } from '../protocol';
import type { RosterRow } from '../store';
import type { EndpointDeps, EndpointFamily } from './family';

export const rosterEndpoints: EndpointFamily = {
  name: 'roster',
  routes: (deps) => [attendanceRoute('/shifts/', { GET: shifts(deps) })],
};

function shifts({ model, gates, serializers }: EndpointDeps): Handler {
  return (request, params) => {
    const gate = gates.attendance(request, params.slug, 'attendance.shift.read');
    if (!gate.ok) return gate.response;
    let rows = model.db
      .prepare<[number], RosterRow>('SELECT * FROM rosters WHERE hotel_id = ? ORDER BY shift_date, shift_start, id')
      .all(gate.value.hotel.id);
    const start = request.query.get('start');
    const end = request.query.get('end');
    if (start && end) rows = rows.filter((r) => r.shift_date >= start && r.shift_date <= end);
    const staffFilter = request.query.get('staff') ?? request.query.get('staff_id');
    if (staffFilter) rows = rows.filter((r) => String(r.staff_id) === staffFilter);
    const dept = request.query.get('department');
    if (dept) {
      rows = rows.filter((r) => {
        const rosterDept = r.department_id ? model.department(r.department_id)?.slug : undefined;
        const person = model.staff(r.staff_id);
        return rosterDept === dept && (person ? model.departmentOf(person)?.slug : undefined) === dept;
      });
    }
    return json(200, rows.map(serializers.roster));
  };
}
