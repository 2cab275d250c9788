/**
 * The setup wizard's rules, pure: its steps in order, what makes each step's answer acceptable
 * (as plain-language message keys per field), and the sentence for each test-punch check.
 */
import { MAX_PIN_DIGITS, MIN_PIN_DIGITS } from '../../../../shared/domain/admin';
import { HOTEL_SLUG_PATTERN, type SetupCheck, type SignInErrorCode } from '../../../../shared/domain/setup';
import { keyForCode } from '../../i18n/codes';
import type { PlainKey } from '../../i18n/i18n';

export const WIZARD_STEPS = ['language', 'pin', 'hotel', 'account', 'timezone', 'camera', 'liveness', 'test'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

/** Digits only, at most the longest PIN. Pure. */
export function pinDigits(value: string): string {
  return value.replace(/\D/g, '').slice(0, MAX_PIN_DIGITS);
}

/** Why a new PIN (typed twice) cannot be used (main enforces the same rule), or null. Pure. */
export function newPinProblem(pin: string, again: string): { field: 'pin' | 'again'; key: PlainKey } | null {
  if (pin.length < MIN_PIN_DIGITS || pin.length > MAX_PIN_DIGITS || !/^\d+$/.test(pin)) return { field: 'pin', key: 'setup.pinInvalid' };
  if (pin !== again) return { field: 'again', key: 'setup.pinMismatch' };
  return null;
}

/** Whether a text is an http(s) address. Pure. */
export function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** The hotel step's field problems before anything is sent. Pure. */
export function hotelProblems(apiBaseUrl: string, hotelSlug: string): { apiBaseUrl?: PlainKey; hotelSlug?: PlainKey } {
  const problems: { apiBaseUrl?: PlainKey; hotelSlug?: PlainKey } = {};
  if (!isWebAddress(apiBaseUrl)) problems.apiBaseUrl = 'setup.field.apiUrl';
  if (!HOTEL_SLUG_PATTERN.test(hotelSlug)) problems.hotelSlug = 'setup.field.slug';
  return problems;
}

/**
 * The wizard field a rejected request names ("Invalid 0.apiBaseUrl: Invalid URL" from main's
 * argument check), or null. Pure.
 */
export function fieldOfRejection(error: unknown): 'apiBaseUrl' | 'hotelSlug' | null {
  const message = error instanceof Error ? error.message : String(error);
  const where = /Invalid [\w.]*?(apiBaseUrl|hotelSlug)\b/.exec(message)?.[1];
  return where === 'apiBaseUrl' || where === 'hotelSlug' ? where : null;
}

const SIGN_IN_ERROR_KEYS: Record<SignInErrorCode, PlainKey> = {
  bad_credentials: 'setup.err.bad_credentials',
  unreachable: 'setup.err.unreachable',
  wrong_hotel: 'setup.err.wrong_hotel',
  bad_response: 'setup.err.bad_response',
  insecure_url: 'setup.err.insecure_url',
};

/** What to tell the installer about a failed sign-in (main logs its own detail). Pure. */
export function signInFailureKey(code: string): PlainKey {
  return keyForCode(SIGN_IN_ERROR_KEYS, code, 'setup.err.bad_response');
}

/** The sentence for each test-punch outcome, by `<check>.<code>`; anything else gets `check.other`. */
const CHECK_TEXT: Readonly<Record<string, PlainKey>> = {
  'camera.pictures': 'check.camera.pictures',
  'camera.no_pictures': 'check.camera.no_pictures',
  'camera.no_device': 'check.camera.no_device',
  'camera.unavailable': 'check.camera.unavailable',
  'camera.stopped': 'check.camera.stopped',
  'faceModels.face_found': 'check.faceModels.face_found',
  'faceModels.no_face': 'check.faceModels.no_face',
  'faceModels.no_answer': 'check.faceModels.no_answer',
  'faceModels.no_camera': 'check.faceModels.no_camera',
  'hotelmate.reachable': 'check.hotelmate.reachable',
  'hotelmate.unreachable': 'wizard.err.unreachable',
  'hotelmate.not_found': 'wizard.err.not_found',
  'hotelmate.bad_response': 'wizard.err.bad_response',
  'hotelmate.not_configured': 'check.notConfigured',
  'faceAttendance.enabled': 'check.faceAttendance.enabled',
  'faceAttendance.disabled': 'check.faceAttendance.disabled',
  'faceAttendance.no_hotelmate': 'check.noHotelMate',
  'faceAttendance.not_configured': 'check.notConfigured',
  'account.accepted': 'check.account.accepted',
  'account.refused': 'check.account.refused',
  'account.not_signed_in': 'check.account.not_signed_in',
  'account.no_hotelmate': 'check.noHotelMate',
  'account.not_configured': 'check.notConfigured',
  'account.unreachable': 'wizard.err.unreachable',
  'pusher.connected': 'check.pusher.connected',
  'pusher.off': 'check.pusher.off',
  'pusher.not_configured': 'check.pusher.not_configured',
  'pusher.connecting': 'check.pusher.not_connected',
  'pusher.unavailable': 'check.pusher.not_connected',
  'pusher.offline': 'check.pusher.not_connected',
};

/** The plain sentence for a check's outcome (never its code). Pure. */
export function checkTextKey(check: SetupCheck): PlainKey {
  return CHECK_TEXT[`${check.id}.${check.code}`] ?? 'check.other';
}

/** The step to go back to for a failed check. Pure. */
export function stepForCheck(check: SetupCheck): WizardStep {
  switch (check.id) {
    case 'camera':
    case 'faceModels':
      return 'camera';
    case 'hotelmate':
    case 'faceAttendance':
      return 'hotel';
    case 'account':
      return 'account';
    case 'pusher':
      return 'test';
  }
}
