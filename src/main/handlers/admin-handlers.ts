/** Admin channels: the PIN session (status, unlock, lock, new PIN), the kiosk's config without its secrets, and a manager's way out of a problem. */
import type { ConfigFieldError } from '../../shared/domain/admin';
import type { ProblemAction } from '../../shared/domain/problems';
import type { Result } from '../../shared/domain/result';
import type { RequestHandlers } from '../../shared/ipc/contract';
import type { AdminSession } from '../admin/admin-session';
import type { EventHub } from '../channels/event-hub';
import { type ConfigHolder, toPublicConfig } from '../config/config-holder';
import type { KioskServices } from '../lifecycle/kiosk-services';
import { type KioskInfoSource, publishKioskInfo } from './kiosk-info';

export interface AdminHandlerDeps {
  admin: AdminSession;
  config: ConfigHolder;
  events: EventHub;
  info: KioskInfoSource;
  services: Pick<KioskServices, 'apiToken'>;
  /** Runs a problem screen action (restore the database...); resolves whether the kiosk restarts for it. */
  resolveProblem: (action: ProblemAction) => Promise<Result<{ restarting: boolean }, 'not_possible' | 'failed'>>;
}

type AdminChannels = 'admin:status' | 'admin:unlock' | 'admin:lock' | 'admin:setPin' | 'admin:resolveProblem' | 'config:get' | 'config:update';

/**
 * Why a config patch from the admin screens is refused before validation: the PIN hash changes
 * only through the PIN screen, the kiosk id (in every punch sent to HotelMate) never after
 * installation, and the lab flag for plain http only in the config file (someone at the screen must
 * not be able to send the token unencrypted). Null when the patch may be applied.
 */
export function refusedConfigFields(patch: Record<string, unknown>): ConfigFieldError[] | null {
  if ('admin' in patch) return [{ field: 'admin', message: 'use the PIN screen to change the PIN' }];
  const kiosk = patch.kiosk;
  if (kiosk !== null && typeof kiosk === 'object' && 'id' in kiosk) {
    return [{ field: 'kiosk.id', message: 'the kiosk id is fixed when the kiosk is installed' }];
  }
  const api = patch.api;
  if (api !== null && typeof api === 'object' && 'allowInsecureHttp' in api) {
    return [{ field: 'api.allowInsecureHttp', message: 'plain http is allowed only in the config file, for a lab' }];
  }
  return null;
}

export function adminHandlers(deps: AdminHandlerDeps): Pick<RequestHandlers, AdminChannels> {
  const hasToken = (): boolean => deps.services.apiToken() !== null;
  return {
    'admin:status': () => deps.admin.status(),
    'admin:unlock': (pin) => deps.admin.unlock(pin),
    'admin:lock': () => {
      deps.admin.lock('locked from the admin area');
      return { ok: true };
    },
    'admin:setPin': async (pin) => {
      const result = await deps.admin.setPin(pin);
      if (result.ok) publishKioskInfo(deps.events, deps.info);
      return result;
    },
    'admin:resolveProblem': (action) => deps.resolveProblem(action),
    'config:get': () => toPublicConfig(deps.config.get(), hasToken()),
    'config:update': (patch) => {
      const refused = refusedConfigFields(patch);
      if (refused) return { ok: false, errors: refused };
      const result = deps.config.update(patch);
      if (!result.ok) return { ok: false, errors: result.errors };
      return { ok: true, config: toPublicConfig(result.config, hasToken()) };
    },
  };
}
