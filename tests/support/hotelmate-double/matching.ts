/**
 * How the HotelMate backend decides who and when: `validate_face_encoding` and the image check
 * (§3.1, §3.4), `find_best_face_match` over the hotel's active faces (§3.2, Euclidean, inclusive
 * 0.6, no check of the person's active flag), and `find_matching_shift_for_datetime` (§3.5: today's
 * and yesterday's UTC shifts read as UTC, no grace window, earliest start then shortest).
 */
import type { HotelRow, RosterRow, StaffRow } from './store';
import type { Model } from './model';
import { addDays, utcDate, utcMs } from './format';
import { json, serverError, type Fail, type Ok } from './protocol';

const MATCH_THRESHOLD = 0.6;

/** `validate_face_encoding` (§3.1); the first error message, or null. */
export function encodingError(value: unknown): string | null {
  if (!Array.isArray(value)) return 'Encoding must be a list';
  if (value.length !== 128) return 'Encoding must be exactly 128 dimensions';
  if (!value.every((v) => typeof v === 'number' && Number.isFinite(v))) return 'Encoding values must be numeric';
  if (value.some((v) => Math.abs(v as number) > 10)) return 'Encoding values appear invalid (out of expected range)';
  return null;
}

/** The image field: a `data:image/(jpeg|jpg|png|webp);base64,` URL, at most 10 MB, checked by its magic bytes. */
export function imageError(value: unknown): string | null {
  if (typeof value !== 'string') return 'Image data must be a valid base64 data URL';
  const m = /^data:image\/(jpeg|jpg|png|webp);base64,(.+)$/s.exec(value);
  if (!m) return 'Image data must be a valid base64 data URL';
  const bytes = Buffer.from(m[2], 'base64');
  if (bytes.length > 10 * 1024 * 1024) return 'Image too large (max 10MB)';
  const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
  const isPng = bytes.subarray(0, 4).toString('hex') === '89504e47';
  const isWebp = bytes.subarray(0, 4).toString('ascii') === 'RIFF' && bytes.subarray(8, 12).toString('ascii') === 'WEBP';
  if (!isJpeg && !isPng && !isWebp) return 'Invalid image data';
  return null;
}

export interface FaceMatch {
  /** The person whose face matched: anyone in the hotel, whoever the caller is. */
  staff: StaffRow;
  /** `confidence_score`: the raw distance, lower is better. */
  distance: number;
}

export interface FaceMatcher {
  /**
   * Matches or answers: HTML 500 when the hotel has no usable face (the `Infinity` in the JSON
   * breaks DRF's renderer), 404 otherwise (with `message` on face-clock-in and force-clock-in,
   * without it on confirm-clock-out and toggle-break).
   */
  matchOr404(hotel: HotelRow, probe: number[], withMessage: boolean): Ok<FaceMatch> | Fail;
}

/**
 * Builds the matcher. Parsed face vectors are cached per hotel while the faces table is unchanged
 * (a cheap fingerprint query), so a bench with hundreds of faces measures the kiosk, not JSON.parse.
 */
export function createFaceMatcher(model: Model): FaceMatcher {
  const fingerprint = model.db.prepare<[number], { n: number; maxId: number | null; maxUpdated: number | null; active: number | null }>(
    'SELECT COUNT(*) AS n, MAX(id) AS maxId, MAX(updated_at) AS maxUpdated, SUM(id * is_active) AS active FROM faces WHERE hotel_id = ?',
  );
  type Vector = { staffId: number; vector: Float64Array | null };
  const cache = new Map<number, { key: string; faces: Vector[] }>();

  const activeVectors = (hotelId: number): Vector[] => {
    const f = fingerprint.get(hotelId)!;
    const key = `${f.n}|${f.maxId}|${f.maxUpdated}|${f.active}`;
    const cached = cache.get(hotelId);
    if (cached && cached.key === key) return cached.faces;
    const faces = model.activeFaces(hotelId).map((face) => {
      const stored = JSON.parse(face.encoding) as unknown;
      const ok = Array.isArray(stored) && stored.length === 128;
      return { staffId: face.staff_id, vector: ok ? Float64Array.from(stored as number[]) : null };
    });
    cache.set(hotelId, { key, faces });
    return faces;
  };

  /** `find_best_face_match(probe, active faces of the hotel, 0.6)`: the nearest face and its distance. */
  const nearest = (hotelId: number, probe: number[]): { staffId: number | null; distance: number } => {
    let staffId: number | null = null;
    let distance = Number.POSITIVE_INFINITY;
    if (probe.length !== 128) return { staffId, distance };
    for (const face of activeVectors(hotelId)) {
      if (!face.vector) continue; // a stored encoding of the wrong length is skipped, as the backend does
      let sum = 0;
      for (let i = 0; i < 128; i += 1) {
        const diff = face.vector[i] - probe[i];
        sum += diff * diff;
      }
      const d = Math.sqrt(sum);
      if (d < distance) {
        distance = d;
        staffId = face.staffId;
      }
    }
    return { staffId, distance };
  };

  return {
    matchOr404(hotel, probe, withMessage) {
      const { staffId, distance } = nearest(hotel.id, probe);
      if (!Number.isFinite(distance)) return { ok: false, response: serverError() };
      if (staffId === null || distance > MATCH_THRESHOLD) {
        const body: Record<string, unknown> = { error: 'Face not recognized', confidence_score: distance };
        if (withMessage) body.message = 'No matching face found or confidence too low';
        return { ok: false, response: json(404, body) };
      }
      return { ok: true, value: { staff: model.staff(staffId)!, distance } };
    },
  };
}

/** `find_matching_shift_for_datetime` (§3.5) at the backend's now; null when no shift covers it. */
export function matchingShift(model: Model, hotelId: number, staffId: number): RosterRow | null {
  const t = model.nowMs();
  const day = utcDate(t);
  const hits = model
    .timedShifts(hotelId, staffId, [day, addDays(day, -1)])
    .map((r) => {
      const start = utcMs(r.shift_date, r.shift_start!);
      let end = utcMs(r.shift_date, r.shift_end!);
      if (r.shift_end! < r.shift_start!) end += 86_400_000;
      return { r, start, end };
    })
    .filter((c) => c.start <= t && t <= c.end)
    .sort((a, b) => a.start - b.start || a.end - a.start - (b.end - b.start));
  return hits[0]?.r ?? null;
}
