/**
 * Face management (§3.9): register-face (replaces any earlier face, revoked or not), revoke-face
 * (keeps the row, inactive), list-faces (a plain list, never an encoding), face-status (the
 * caller's own face) and audit-logs (its own pagination; a non-integer page is a 500).
 */
import { randomBytes } from 'node:crypto';
import { drfIso, pyIso, utcDate } from '../format';
import { encodingError, imageError } from '../matching';
import { attendanceRoute, error, json, record, serverError, type BackendResponse, type Handler } from '../protocol';
import type { AuditRow, FaceRow } from '../store';
import type { EndpointDeps, EndpointFamily } from './family';

const validationFailed = (details: Record<string, string[]>): BackendResponse => error(400, 'Validation failed', { details });

export const faceManagementEndpoints: EndpointFamily = {
  name: 'face management',
  routes: (deps) => [
    attendanceRoute('/face-management/register-face/', { POST: registerFace(deps) }),
    attendanceRoute('/face-management/revoke-face/', { POST: revokeFace(deps) }),
    attendanceRoute('/face-management/list-faces/', { GET: listFaces(deps) }),
    attendanceRoute('/face-management/face-status/', { GET: faceStatus(deps) }),
    attendanceRoute('/face-management/audit-logs/', { GET: auditLogs(deps) }),
  ],
};

function registerFace({ model, gates, serializers }: EndpointDeps): Handler {
  return (request, params) => {
    const gate = gates.attendance(request, params.slug, 'attendance.face.register_self');
    if (!gate.ok) return gate.response;
    const faceDenied = gates.face(gate.value);
    if (faceDenied) return faceDenied.response;
    const { staff: caller, hotel } = gate.value;
    const body = record(request.body);
    let targetId = caller.id;
    if (body.staff_id !== undefined && body.staff_id !== null) {
      targetId = Number(body.staff_id);
      if (targetId !== caller.id && !model.capabilitiesOf(caller).has('attendance.face.register_other')) {
        return error(403, 'You can only register your own face.');
      }
    }
    const details: Record<string, string[]> = {};
    if (body.image === undefined || body.image === null || body.image === '') details.image = ['This field is required.'];
    else {
      const e = imageError(body.image);
      if (e) details.image = [e];
    }
    const e = body.encoding === undefined ? 'This field is required.' : encodingError(body.encoding);
    if (e) details.encoding = [e];
    const target = Number.isInteger(targetId) ? model.staff(targetId) : undefined;
    if (!target || target.hotel_id !== hotel.id) details.non_field_errors = ['Invalid staff ID for this hotel'];
    if (Object.keys(details).length > 0) return validationFailed(details);

    const t = model.nowMs();
    const publicId = `staff_faces/${randomBytes(10).toString('hex')}`;
    const imageUrl = `${request.origin}/media/cloudinary/image/upload/v${Math.floor(t / 1000)}/${publicId}.jpg`;
    const consent = body.consent_given !== false;
    model.db.prepare('DELETE FROM faces WHERE staff_id = ?').run(target!.id);
    const info = model.db
      .prepare(
        'INSERT INTO faces (hotel_id, staff_id, encoding, image_url, public_id, consent_given, registered_by, is_active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)',
      )
      .run(hotel.id, target!.id, JSON.stringify(body.encoding), imageUrl, publicId, consent ? 1 : 0, caller.id, t, t);
    model.db.prepare('UPDATE staff SET has_registered_face = 1 WHERE id = ?').run(target!.id);
    model.audit({ hotelId: hotel.id, staffId: target!.id, action: 'REGISTERED', performedBy: caller.id, reason: '', consent, clientIp: request.clientIp, userAgent: request.userAgent });
    const face = model.face(Number(info.lastInsertRowid))!;
    return json(201, { message: 'Face registered successfully', face_data: serializers.faceData(face, true) });
  };
}

function revokeFace({ model, gates }: EndpointDeps): Handler {
  return (request, params) => {
    const gate = gates.attendance(request, params.slug, 'attendance.face.revoke');
    if (!gate.ok) return gate.response;
    const { staff: caller, hotel } = gate.value;
    const body = record(request.body);
    const target = model.staff(body.staff_id === undefined || body.staff_id === null ? caller.id : Number(body.staff_id));
    if (!target || target.hotel_id !== hotel.id) return validationFailed({ non_field_errors: ['Invalid staff ID for this hotel'] });
    const face = model.faceOf(target.id);
    if (!face || face.is_active !== 1) return validationFailed({ non_field_errors: ['No active face data found for this staff member'] });
    const t = model.nowMs();
    model.db.prepare('UPDATE faces SET is_active = 0, updated_at = ? WHERE id = ?').run(t, face.id);
    model.db.prepare('UPDATE staff SET has_registered_face = 0 WHERE id = ?').run(target.id);
    const reason = typeof body.reason === 'string' ? body.reason : '';
    model.audit({ hotelId: hotel.id, staffId: target.id, action: 'REVOKED', performedBy: caller.id, reason, consent: face.consent_given === 1, clientIp: request.clientIp, userAgent: request.userAgent });
    return json(200, { message: 'Face data revoked successfully', staff_id: target.id, staff_name: model.fullName(target), revoked_at: pyIso(t) });
  };
}

function listFaces({ model, gates, serializers }: EndpointDeps): Handler {
  return (request, params) => {
    const gate = gates.attendance(request, params.slug, 'attendance.face.read');
    if (!gate.ok) return gate.response;
    const activeOnly = (request.query.get('active_only') ?? 'true').toLowerCase() !== 'false';
    const staffFilter = request.query.get('staff_id');
    let faces = model.db.prepare<[number], FaceRow>('SELECT * FROM faces WHERE hotel_id = ? ORDER BY created_at DESC, id DESC').all(gate.value.hotel.id);
    if (activeOnly) faces = faces.filter((f) => f.is_active === 1);
    if (staffFilter) faces = faces.filter((f) => String(f.staff_id) === staffFilter);
    return json(200, { count: faces.length, faces: faces.map((f) => serializers.faceData(f, false)) });
  };
}

/** §1.2: its `register_self` gate does not apply to a GET, so only the base gates do. */
function faceStatus({ model, gates, serializers }: EndpointDeps): Handler {
  return (request, params) => {
    const gate = gates.attendance(request, params.slug, 'attendance.module.view');
    if (!gate.ok) return gate.response;
    const face = model.faceOf(gate.value.staff.id);
    const active = face && face.is_active === 1 ? face : undefined;
    return json(200, { has_registered_face: gate.value.staff.has_registered_face === 1, face_data: active ? serializers.faceData(active, false) : null });
  };
}

function auditLogs({ model, gates }: EndpointDeps): Handler {
  return (request, params) => {
    const gate = gates.attendance(request, params.slug, 'attendance.face.audit_read');
    if (!gate.ok) return gate.response;
    const pageRaw = request.query.get('page') ?? '1';
    const sizeRaw = request.query.get('page_size') ?? '50';
    // §8.9: a non-integer page or page_size is an unhandled ValueError -> 500.
    if (!/^-?\d+$/.test(pageRaw) || !/^-?\d+$/.test(sizeRaw)) return serverError();
    const page = Math.max(1, Number(pageRaw));
    const size = Math.min(200, Math.max(1, Number(sizeRaw)));
    let rows = model.db.prepare<[number], AuditRow>('SELECT * FROM face_audit WHERE hotel_id = ? ORDER BY created_at DESC, id DESC').all(gate.value.hotel.id);
    const staffFilter = request.query.get('staff_id');
    if (staffFilter) rows = rows.filter((r) => String(r.staff_id) === staffFilter);
    const action = request.query.get('action');
    if (action && ['REGISTERED', 'REVOKED', 'RE_REGISTERED'].includes(action)) rows = rows.filter((r) => r.action === action);
    const start = request.query.get('start_date');
    if (start) rows = rows.filter((r) => utcDate(r.created_at) >= start);
    const end = request.query.get('end_date');
    if (end) rows = rows.filter((r) => utcDate(r.created_at) <= end);
    const nameOf = (id: number | null): string | null => {
      const s = id ? model.staff(id) : undefined;
      return s ? model.fullName(s) : null;
    };
    return json(200, {
      count: rows.length,
      page,
      page_size: size,
      has_next: page * size < rows.length,
      has_previous: page > 1,
      results: rows.slice((page - 1) * size, page * size).map((r) => ({
        id: r.id,
        hotel_slug: gate.value.hotel.slug,
        staff: r.staff_id,
        staff_name: nameOf(r.staff_id),
        action: r.action,
        performed_by: r.performed_by,
        performed_by_name: nameOf(r.performed_by),
        reason: r.reason,
        consent_given: r.consent_given === 1,
        client_ip: r.client_ip,
        created_at: drfIso(r.created_at),
      })),
    });
  };
}
