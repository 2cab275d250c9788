/**
 * Setup channel: signing in with the kiosk account, which stores its token and (re)starts the
 * services for the hotel. An API URL the config would refuse (not https, outside the lab flag) is
 * refused before the password is sent anywhere.
 */
import { apiUrlProblem } from '../../shared/config/schema';
import type { Result } from '../../shared/domain/result';
import type { SignedInAccount, SignInErrorCode, SignInRequest } from '../../shared/domain/setup';
import type { RequestHandlers } from '../../shared/ipc/contract';
import type { EventHub } from '../channels/event-hub';
import type { ConfigHolder } from '../config/config-holder';
import type { KioskServices } from '../lifecycle/kiosk-services';
import { type KioskInfoSource, publishKioskInfo } from './kiosk-info';

/** Signs in with HotelMate: the account, its hotel and the token, or why not. */
export type SignIn = (request: SignInRequest) => Promise<Result<SignedInAccount & { token: string }, SignInErrorCode>>;

export interface SetupHandlerDeps {
  config: ConfigHolder;
  events: EventHub;
  info: KioskInfoSource;
  services: Pick<KioskServices, 'saveApiToken' | 'rebuild'>;
  signIn: SignIn;
}

export function setupHandlers(deps: SetupHandlerDeps): Pick<RequestHandlers, 'setup:signIn'> {
  return {
    'setup:signIn': async (request) => {
      const urlProblem = apiUrlProblem(request.apiBaseUrl, deps.config.get().api.allowInsecureHttp);
      if (urlProblem) return { ok: false, error: { code: 'insecure_url', message: `api.baseUrl ${urlProblem}`, field: 'apiBaseUrl' } };
      const result = await deps.signIn(request);
      if (!result.ok) return result;
      deps.services.saveApiToken(result.token);
      const update = deps.config.update({
        hotel: { slug: request.hotelSlug, name: result.hotelName },
        api: { baseUrl: request.apiBaseUrl, accountName: result.accountName },
      });
      if (!update.ok) {
        return { ok: false, error: { code: 'bad_response', message: update.errors.map((e) => `${e.field}: ${e.message}`).join('; ') } };
      }
      // Same config values as before but a new token: rebuild explicitly.
      await deps.services.rebuild();
      publishKioskInfo(deps.events, deps.info);
      return { ok: true, accountName: result.accountName, hotelName: result.hotelName };
    },
  };
}
