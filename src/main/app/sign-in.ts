/**
 * Setup's "sign in with the kiosk account": `POST /api/staff/login/` for the account's token, then
 * a check that the account belongs to the hotel being set up (a token only works for its own hotel).
 */
import type { Result } from '../../shared/domain/result';
import type { SignedInAccount, SignInErrorCode, SignInRequest } from '../../shared/domain/setup';
import type { Logger } from '../logging/logger';
import { createHotelMateClient } from '../hotelmate/client';

/** The signed-in account with its API token (which stays in main), or why signing in failed. */
export type KioskAccountSignIn = Result<SignedInAccount & { token: string }, SignInErrorCode>;

/** Signs in; resolves an error value for bad credentials, an unreachable server, a foreign hotel or an odd answer, never rejects for those. */
export async function signInKioskAccount(input: SignInRequest, logger: Logger, timeoutMs = 15000): Promise<KioskAccountSignIn> {
  const client = createHotelMateClient({
    baseUrl: input.apiBaseUrl,
    hotelSlug: input.hotelSlug,
    getToken: () => null,
    timeoutMs,
    logger: logger.child('hotelmate'),
  });
  const outcome = await client.login(input.username, input.password);
  if (!outcome.ok) {
    if (outcome.kind === 'network' || outcome.kind === 'timeout') {
      return { ok: false, error: { code: 'unreachable', message: `Cannot reach ${input.apiBaseUrl}: ${outcome.message}. Check the API URL and the network.` } };
    }
    if (outcome.kind === 'http' && (outcome.status === 400 || outcome.status === 401 || outcome.status === 404)) {
      return { ok: false, error: { code: 'bad_credentials', message: outcome.message || 'Invalid username or password' } };
    }
    return { ok: false, error: { code: 'bad_response', message: `The server answered unexpectedly (${outcome.kind}${'status' in outcome ? ` ${outcome.status}` : ''}): ${outcome.message}` } };
  }
  const data = outcome.data;
  const accountHotel = data.hotel?.slug ?? data.hotel_slug ?? null;
  if (accountHotel !== null && accountHotel !== input.hotelSlug) {
    return {
      ok: false,
      error: { code: 'wrong_hotel', message: `The account ${data.username} belongs to hotel "${accountHotel}", not "${input.hotelSlug}".` },
    };
  }
  logger.info('kiosk account signed in', { account: data.username, hotel: accountHotel });
  return { ok: true, token: data.token, accountName: data.username, hotelName: data.hotel?.name ?? data.hotel_name ?? input.hotelSlug };
}
