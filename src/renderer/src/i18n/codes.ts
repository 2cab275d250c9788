/**
 * Codes and developer messages that main sends (enrolment hints and failures, punch errors, setup
 * reasons, config field errors, request failures, camera/sync/live-update states) mapped to
 * translated, plain-language sentences. Nothing here ever shows a code itself: an unknown code gets
 * a generic sentence. Main's own messages stay in its log.
 */
import type { ApiState, CameraState, Guidance, RealtimeState } from '../../../shared/domain/types';
import type { PunchErrorCode } from '../../../shared/domain/punch';
import type { LedgerRetryErrorCode } from '../../../shared/domain/ledger';
import type { JOB_KINDS, QueuedJobState } from '../../../shared/domain/jobs';
import type { I18n, PlainKey } from './i18n';

/** `table[code]` when the code is known, else `fallback` (never the code itself). */
export function keyForCode<C extends string>(table: Record<C, PlainKey>, code: string | null | undefined, fallback: PlainKey): PlainKey {
  return code && Object.prototype.hasOwnProperty.call(table, code) ? table[code as C] : fallback;
}

export const PUNCH_FAILURE_KEYS: Record<PunchErrorCode, PlainKey> = {
  unknown_recognition: 'fail.unknown_recognition',
  expired_recognition: 'fail.expired_recognition',
  recognition_used: 'fail.recognition_used',
  face_not_in_view: 'fail.face_not_in_view',
  not_allowed: 'fail.not_allowed',
  storage_failed: 'fail.storage_failed',
  not_configured: 'fail.not_configured',
};

/**
 * The note under a confirmed punch: a manager will check it (HotelMate could not take it as it
 * is), or it is saved offline and will sync; null when HotelMate has it.
 */
export function punchSavedNoteKey(result: { savedOffline: boolean; needsReview?: boolean }): 'done.review' | 'done.offline' | null {
  if (result.needsReview) return 'done.review';
  return result.savedOffline ? 'done.offline' : null;
}

/** What to tell the person after a refused or failed punch. */
export function punchFailureKey(code: string): PlainKey {
  return keyForCode(PUNCH_FAILURE_KEYS, code, 'fail.generic');
}

const ENROL_HINT_KEYS: Record<Exclude<Guidance, 'ok'> | 'no_face' | 'turn_head_slightly', PlainKey> = {
  move_closer: 'guide.move_closer',
  step_back: 'guide.step_back',
  center_face: 'guide.center_face',
  face_camera: 'guide.face_camera',
  too_dark: 'guide.too_dark',
  too_bright: 'guide.too_bright',
  hold_still: 'guide.hold_still',
  one_at_a_time: 'guide.one_at_a_time',
  no_face: 'enrol.hint.no_face',
  turn_head_slightly: 'enrol.hint.turn_head_slightly',
};

/** The instruction for an enrolment hint (a Guidance value, 'no_face' or 'turn_head_slightly'). */
export function enrolmentHintText(i18n: I18n, hint: string): string {
  return i18n.t(keyForCode(ENROL_HINT_KEYS, hint, 'enrol.hint.other'));
}

const ENROL_FAILURE_KEYS: Record<'different_faces' | 'no_good_frames' | 'timeout' | 'storage_failed' | 'consent_missing' | 'consent_changed', PlainKey> = {
  different_faces: 'enrol.fail.different_faces',
  no_good_frames: 'enrol.fail.no_good_frames',
  timeout: 'enrol.fail.timeout',
  storage_failed: 'enrol.fail.storage_failed',
  consent_missing: 'enrol.fail.consent_missing',
  consent_changed: 'enrol.fail.consent_changed',
};

/**
 * Why an enrolment stopped, as a sentence. `already_enrolled:<staffId>` names that person when
 * `nameOf` knows them (the manager needs to know whose enrolment to check).
 */
export function enrolmentFailureText(i18n: I18n, reason: string, nameOf: (staffId: number) => string | null): string {
  const already = /^already_enrolled:(\d+)$/.exec(reason);
  if (already) {
    const name = nameOf(Number(already[1]));
    return name ? i18n.t('enrol.fail.already_enrolled', { name }) : i18n.t('enrol.fail.already_enrolled_other');
  }
  return i18n.t(keyForCode(ENROL_FAILURE_KEYS, reason, 'enrol.fail.generic'));
}

/**
 * A setup reason from KioskInfo.setupReasons (main's sentences for its log) as a plain
 * instruction; `detail` keeps main's text for support when the reason is a technical fault.
 */
export function setupReasonText(i18n: I18n, reason: string): { text: string; detail: string | null } {
  if (/^hotel\.slug\b/.test(reason)) return { text: i18n.t('setup.reason.slug'), detail: null };
  if (/^api\.baseUrl\b/.test(reason)) return { text: i18n.t('setup.reason.apiUrl'), detail: null };
  if (/not signed in|api token|api\.token/i.test(reason)) return { text: i18n.t('setup.reason.signIn'), detail: null };
  if (/admin PIN/i.test(reason)) return { text: i18n.t('setup.reason.pin'), detail: null };
  if (/^Face recognition is unavailable/i.test(reason)) return { text: i18n.t('setup.reason.faceModels'), detail: reason };
  if (/database|sqlite/i.test(reason)) return { text: i18n.t('setup.reason.database'), detail: reason };
  return { text: i18n.t('setup.reason.other'), detail: reason };
}

/** The setup form fields that can carry an error, by the last part of the config path. */
export type SetupField = 'slug' | 'baseUrl' | 'key' | 'cluster' | 'host' | 'port' | 'device';

const FIELD_KEYS: Record<SetupField, PlainKey> = {
  slug: 'setup.field.slug',
  baseUrl: 'setup.field.apiUrl',
  key: 'setup.field.pusherKey',
  cluster: 'setup.field.pusherCluster',
  host: 'setup.field.pusherHost',
  port: 'setup.field.pusherPort',
  device: 'setup.field.camera',
};

/**
 * The form field a config path or request-argument path names ("hotel.slug", "api.baseUrl",
 * "0.apiBaseUrl", "pusher.port"), or null when it is none of the form's fields.
 */
export function setupFieldOf(path: string): SetupField | null {
  const last = path.split('.').pop() ?? '';
  if (last === 'apiBaseUrl') return 'baseUrl';
  if (last === 'hotelSlug') return 'slug';
  return Object.prototype.hasOwnProperty.call(FIELD_KEYS, last) ? (last as SetupField) : null;
}

/** What to do about a rejected value of `field`. */
export function setupFieldText(i18n: I18n, field: SetupField): string {
  return i18n.t(FIELD_KEYS[field]);
}

/**
 * A request that failed outright (rejected, not a Result): the admin area locked itself, the kiosk
 * did not answer, or anything else. The technical message belongs in the log, not on screen.
 */
export function requestFailureKey(error: unknown): PlainKey {
  const message = error instanceof Error ? error.message : String(error);
  if (/admin area is locked/i.test(message)) return 'admin.err.locked';
  if (/disconnected|did not answer|timed? ?out/i.test(message)) return 'admin.err.noAnswer';
  return 'admin.err.generic';
}

export const CAMERA_STATE_KEYS: Record<CameraState, PlainKey> = {
  starting: 'diag.cam.starting',
  streaming: 'diag.cam.streaming',
  unavailable: 'diag.cam.unavailable',
  no_device: 'diag.cam.no_device',
  stopped: 'diag.cam.stopped',
};

export const API_STATE_KEYS: Record<ApiState, PlainKey> = {
  online: 'diag.api.online',
  offline: 'diag.api.offline',
  paused: 'diag.api.paused',
  unconfigured: 'diag.api.unconfigured',
};

export const REALTIME_STATE_KEYS: Record<RealtimeState, PlainKey> = {
  disabled: 'diag.rt.disabled',
  connecting: 'diag.rt.connecting',
  connected: 'diag.rt.connected',
  unavailable: 'diag.rt.unavailable',
  offline: 'diag.rt.offline',
};

const STAGE_KEYS: Record<'detect' | 'landmarks' | 'crop' | 'descriptor' | 'match' | 'antiSpoof' | 'total', PlainKey> = {
  detect: 'diag.stage.detect',
  landmarks: 'diag.stage.landmarks',
  crop: 'diag.stage.crop',
  descriptor: 'diag.stage.descriptor',
  match: 'diag.stage.match',
  antiSpoof: 'diag.stage.antiSpoof',
  total: 'diag.stage.total',
};

/** A face pipeline stage's name; a stage this screen does not know keeps its technical name. */
export function stageName(i18n: I18n, stage: string): string {
  return Object.prototype.hasOwnProperty.call(STAGE_KEYS, stage) ? i18n.t(STAGE_KEYS[stage as keyof typeof STAGE_KEYS]) : stage;
}

const LEDGER_RETRY_KEYS: Record<LedgerRetryErrorCode, PlainKey> = {
  not_found: 'ledger.retry.not_found',
  not_in_review: 'ledger.retry.not_in_review',
  superseded: 'ledger.retry.superseded',
  not_configured: 'ledger.retry.not_configured',
};

/** Why a manager's "send again" was refused, as a sentence. */
export function ledgerRetryRefusedKey(code: string): PlainKey {
  return keyForCode(LEDGER_RETRY_KEYS, code, 'ledger.retry.other');
}

type JobKind = (typeof JOB_KINDS)[number];

export const JOB_KIND_KEYS: Record<JobKind, PlainKey> = { 'face.register': 'jobs.kind.face.register', 'face.revoke': 'jobs.kind.face.revoke' };

/** What a manager is asked before discarding a job of a kind (what is lost). */
export const JOB_DISCARD_KEYS: Record<JobKind, PlainKey> = {
  'face.register': 'jobs.discardConfirm.face.register',
  'face.revoke': 'jobs.discardConfirm.face.revoke',
};

export const JOB_STATE_KEYS: Record<QueuedJobState, PlainKey> = {
  waiting: 'jobs.state.waiting',
  running: 'jobs.state.running',
  failed: 'jobs.state.failed',
};
