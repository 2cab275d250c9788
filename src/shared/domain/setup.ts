/** Setup's "sign in with the kiosk account": what the screen sends and what it learns. */

/** The kiosk account's credentials and the hotel being set up (`POST /api/staff/login/`). */
export interface SignInRequest {
  apiBaseUrl: string;
  hotelSlug: string;
  username: string;
  password: string;
}

/** `insecure_url`: plain http:// to another machine without the lab flag (the password would cross the network in clear). */
export type SignInErrorCode = 'bad_credentials' | 'unreachable' | 'wrong_hotel' | 'bad_response' | 'insecure_url';

/** The signed-in account as the setup screen shows it (the token stays in main). */
export interface SignedInAccount {
  accountName: string;
  hotelName: string;
}

/** The hotel slug rule of the config schema (lower-case letters, digits, `-` and `_`). */
export const HOTEL_SLUG_PATTERN = /^[a-z0-9][a-z0-9_-]{0,99}$/;

/** Why the hotel check of the setup wizard failed: HotelMate not reached, no such hotel, or an odd answer. */
export type HotelCheckErrorCode = 'unreachable' | 'not_found' | 'bad_response';

/** What the setup wizard learns about a hotel from HotelMate's public face settings (nothing is written). */
export interface HotelCheck {
  faceAttendanceEnabled: boolean;
}

/** One part of the setup wizard's test punch. */
export type SetupCheckId = 'camera' | 'faceModels' | 'hotelmate' | 'account' | 'faceAttendance' | 'pusher';

export type SetupCheckResult = 'ok' | 'failed' | 'skipped';

/** A check's outcome with a code the screen turns into a sentence (never shown as is). */
export interface SetupCheck {
  id: SetupCheckId;
  result: SetupCheckResult;
  code: string;
}

/**
 * The setup wizard's test punch: a dry run through every part a punch needs (camera, face models,
 * HotelMate and the kiosk account, Pusher) that writes nothing, neither on HotelMate nor here.
 */
export interface TestPunchReport {
  /** True when no check failed (skipped ones are fine). */
  ok: boolean;
  checks: SetupCheck[];
  /** ISO time the test finished. */
  at: string;
}
