/**
 * Sign-in and public configuration: `POST /api/staff/login/` (§2: the account's never-expiring DRF
 * token and its profile) and `GET /api/hotels/<slug>/face-config/` (§6.4, no authentication).
 */
import { detail, error, json, record, type Handler } from '../protocol';
import type { EndpointDeps, EndpointFamily } from './family';

export const signInEndpoints: EndpointFamily = {
  name: 'sign-in',
  routes: (deps) => [
    { pattern: /^\/api\/staff\/login\/$/, methods: { POST: login(deps) } },
    { pattern: /^\/api\/hotels\/(?<slug>[^/]+)\/face-config\/$/, methods: { GET: faceConfig(deps) } },
  ],
};

/** The account's token (the same one every time) and its profile and capabilities. */
function login({ model }: EndpointDeps): Handler {
  return (request) => {
    const body = record(request.body);
    const errors: Record<string, string[]> = {};
    if (typeof body.username !== 'string' || body.username === '') errors.username = ['This field is required.'];
    if (typeof body.password !== 'string' || body.password === '') errors.password = ['This field is required.'];
    if (Object.keys(errors).length > 0) return json(400, errors);
    const s = model.staffByUsername(body.username as string);
    if (!s || s.password !== body.password) return error(401, 'Invalid username or password');
    const hotel = model.hotel(s.hotel_id)!;
    const dept = model.departmentOf(s);
    const role = model.roleOf(s);
    return json(200, {
      staff_id: s.id,
      username: s.username,
      token: s.token,
      hotel_id: hotel.id,
      hotel_name: hotel.name,
      hotel: { id: hotel.id, name: hotel.name, slug: hotel.slug },
      is_staff: s.access_level !== 'regular_staff',
      is_superuser: false,
      hotel_slug: hotel.slug,
      access_level: s.access_level,
      tier: s.access_level,
      department_slug: dept?.slug ?? null,
      role_slug: role?.slug ?? null,
      allowed_navs: ['home', 'attendance'],
      navigation_items: [],
      allowed_capabilities: [...model.capabilitiesOf(s)].sort(),
      rbac: {},
      isAdmin: s.access_level === 'super_staff_admin',
      profile_image_url: s.profile_image_url,
      role: role?.name ?? null,
      department: dept?.name ?? null,
      can_edit_self_profile: true,
    });
  };
}

/** Public: the hotel's face settings, whatever they are (no authentication). */
function faceConfig({ model }: EndpointDeps): Handler {
  return (_request, params) => {
    const hotel = model.hotelBySlug(params.slug);
    if (!hotel) return detail(404, 'Not found.');
    return json(200, {
      hotel_slug: hotel.slug,
      face_recognition_config: {
        face_attendance_enabled: hotel.face_attendance_enabled === 1,
        face_attendance_min_confidence: hotel.face_attendance_min_confidence,
        require_face_consent: hotel.require_face_consent === 1,
        allow_face_self_registration: hotel.allow_face_self_registration === 1,
        face_data_retention_days: hotel.face_data_retention_days,
        face_attendance_departments: JSON.parse(hotel.face_attendance_departments) as number[],
      },
    });
  };
}
