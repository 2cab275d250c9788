/**
 * The setup wizard's own channels (admin channels: open on first run before a PIN exists, behind
 * the PIN after): checking a hotel's address and short name on HotelMate before signing in, and
 * the test punch at the end. Neither writes anything, on HotelMate or on the kiosk.
 */
import { z } from 'zod';
import type { Result } from '../domain/result';
import { HOTEL_SLUG_PATTERN, type HotelCheck, type HotelCheckErrorCode, type TestPunchReport } from '../domain/setup';
import { request } from './define';

export const setupWizardRequests = {
  /** `GET /hotels/<slug>/face-config/` (public): is HotelMate there, does it know this hotel, is face attendance on. */
  'setup:checkHotel': request<Result<HotelCheck, HotelCheckErrorCode>>()(
    z.tuple([z.object({ apiBaseUrl: z.string().url().max(500), hotelSlug: z.string().regex(HOTEL_SLUG_PATTERN) }).strict()]),
  ),
  /** The dry-run punch: camera, face models, HotelMate with the kiosk account, Pusher. */
  'setup:testPunch': request<TestPunchReport>()(z.tuple([])),
};
