/**
 * The `app:info` state: who this kiosk is and whether it can punch (setup reasons and the problems
 * it found with itself; a blocking problem keeps it out of kiosk mode), with the language staff
 * picked on the idle screen, which lasts until the admin changes the default.
 */
import { setupReasons } from '../../shared/config/schema';
import type { KioskProblem } from '../../shared/domain/problems';
import type { KioskInfo, Language } from '../../shared/domain/types';
import type { EventHub } from '../channels/event-hub';
import type { ConfigHolder } from '../config/config-holder';

export interface KioskInfoSource {
  info(): KioskInfo;
  /** Staff's choice on the idle screen (not saved: the config holds the default). */
  setLanguage(next: Language): void;
}

export interface KioskInfoDeps {
  config: ConfigHolder;
  /** Whether the kiosk account's API token is stored. */
  hasToken: () => boolean;
  /** What the kiosk found wrong with itself (damaged database, missing models...); blocking ones stop punching. */
  problems: () => KioskProblem[];
  /** Whether the admin area is protected by a PIN (or must stay closed without one); default: the config has a PIN hash. */
  hasPin?: () => boolean;
  versions: Record<string, string>;
}

export function createKioskInfoSource(deps: KioskInfoDeps): KioskInfoSource {
  let language: Language = deps.config.get().ui.language;
  return {
    info() {
      const config = deps.config.get();
      const reasons = setupReasons(config, deps.hasToken(), deps.hasPin?.() ?? config.admin.pinHash !== null);
      const problems = deps.problems();
      return {
        mode: reasons.length === 0 && !problems.some((p) => p.blocking) ? 'kiosk' : 'setup',
        setupReasons: reasons,
        problems,
        hotelName: config.hotel.name || config.hotel.slug || 'HotelMate',
        hotelSlug: config.hotel.slug,
        timeZone: config.hotel.timeZone,
        language,
        showBoard: config.ui.showBoard,
        greetingTimeoutSeconds: config.ui.greetingTimeoutSeconds,
        sound: config.ui.sound,
        highContrast: config.ui.highContrast,
        kioskId: config.kiosk.id,
        versions: deps.versions,
      };
    },
    setLanguage(next) {
      language = next;
    },
  };
}

/** Sends the current kiosk info to the screens (after a config change, a new PIN or a sign-in). */
export function publishKioskInfo(events: EventHub, info: KioskInfoSource): void {
  events.emit('app:info', info.info());
}
