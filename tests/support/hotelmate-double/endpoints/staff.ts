/**
 * Staff and profile reads on the staff router (`/api/staff/<slug>/`, no `hotel/` segment): the
 * list, 20 per page with `page_size` up to 100 and inactive staff included, and the detail a kiosk
 * uses to re-read one person's `duty_status` and `current_status` (§1.5, §6.1).
 */
import { detail, json, type Handler } from '../protocol';
import type { EndpointDeps, EndpointFamily } from './family';
import { paginate } from './paginate';

export const staffEndpoints: EndpointFamily = {
  name: 'staff',
  routes: (deps) => [
    { pattern: /^\/api\/staff\/(?<slug>[^/]+)\/$/, methods: { GET: staffList(deps) } },
    { pattern: /^\/api\/staff\/(?<slug>[^/]+)\/(?<id>\d+)\/$/, methods: { GET: staffDetail(deps) } },
  ],
};

function staffList({ model, gates, serializers }: EndpointDeps): Handler {
  return (request, params) => {
    const gate = gates.staffManagement(request, params.slug);
    if (!gate.ok) return gate.response;
    let rows = model.staffOfHotel(gate.value.hotel.id);
    const dept = request.query.get('department__slug');
    if (dept) rows = rows.filter((s) => model.departmentOf(s)?.slug === dept);
    const role = request.query.get('role__slug');
    if (role) rows = rows.filter((s) => model.roleOf(s)?.slug === role);
    const search = request.query.get('search')?.toLowerCase();
    if (search) rows = rows.filter((s) => `${s.username} ${s.first_name} ${s.last_name}`.toLowerCase().includes(search));
    const page = paginate(request, rows, 20, 100);
    if (!page.ok) return page.response;
    return json(200, { ...page.value, results: page.value.results.map(serializers.staff) });
  };
}

/** Reads the staff row as stored: `duty_status` is denormalised and may disagree with the logs (§8.15). */
function staffDetail({ model, gates, serializers }: EndpointDeps): Handler {
  return (request, params) => {
    const gate = gates.staffManagement(request, params.slug);
    if (!gate.ok) return gate.response;
    const s = model.staff(Number(params.id));
    if (!s || s.hotel_id !== gate.value.hotel.id) return detail(404, 'No Staff matches the given query.');
    return json(200, serializers.staff(s));
  };
}
