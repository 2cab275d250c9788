/** App and system channels: kiosk info and connection state, language, renderer logs, exit and "forget this kiosk". */
import type { RequestHandlers } from '../../shared/ipc/contract';
import type { EventHub } from '../channels/event-hub';
import type { KioskServices } from '../lifecycle/kiosk-services';
import type { Logger } from '../logging/logger';
import type { KioskInfoSource } from './kiosk-info';

export interface AppHandlerDeps {
  logger: Logger;
  events: EventHub;
  info: KioskInfoSource;
  services: Pick<KioskServices, 'connection'>;
  /** Stops every service and wipes the kiosk's data folder. */
  forgetKiosk: () => Promise<void>;
  /** Leaves the app (the shell quits; the dev server and tests ignore it). */
  exit: () => void;
}

type AppChannels = 'app:info' | 'app:connection' | 'app:setLanguage' | 'log:renderer' | 'app:forgetKiosk' | 'app:exit';

export function appHandlers(deps: AppHandlerDeps): Pick<RequestHandlers, AppChannels> {
  const log = deps.logger.child('system');
  const rendererLog = deps.logger.child('renderer');
  return {
    'app:info': () => deps.info.info(),
    'app:connection': () => deps.services.connection(),
    'app:setLanguage': (next) => {
      deps.info.setLanguage(next);
      deps.events.emit('app:language', next);
      return { ok: true };
    },
    // Logged under its own name (`kiosk:renderer`); the logger escapes newlines and control
    // characters, so a message from the page can never forge a line of main's own.
    'log:renderer': (entry) => {
      rendererLog[entry.level](entry.message, entry.stack ? { stack: entry.stack } : undefined);
    },
    'app:forgetKiosk': async () => {
      log.warn('forget this kiosk requested from the admin area');
      await deps.forgetKiosk();
      deps.exit();
      return { ok: true };
    },
    'app:exit': () => {
      log.info('exit requested from the admin area');
      deps.exit();
      return { ok: true };
    },
  };
}
