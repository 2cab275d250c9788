/**
 * The services that exist only once the kiosk is configured: the clock service (ledger + sync)
 * and the realtime service, built for the current config and API token, rebuilt when either
 * changes, stopped on exit. Their events go to the event hub. While the kiosk is not configured
 * there are none, and the readers here answer with the unconfigured values the screens expect.
 */
import { type KioskConfig, setupReasons } from '../../shared/config/schema';
import type { ConnectionState, EffectiveStatus } from '../../shared/domain/types';
import type { EventHub } from '../channels/event-hub';
import type { ConfigHolder } from '../config/config-holder';
import { toLogFormat } from '../lib/errors';
import type { Logger } from '../logging/logger';
import type { RealtimeDomainEvent } from '../realtime/events';
import type { RealtimeService } from '../realtime/realtime-service';
import type { SecretStore } from '../secrets/secret-store';
import type { ClockService } from '../sync/clock-service';

/** The secret-store name of the HotelMate API token of the kiosk account. */
export const TOKEN_SECRET = 'api-token';

export interface KioskServicesDeps {
  logger: Logger;
  config: ConfigHolder;
  secrets: SecretStore;
  events: EventHub;
  /** Builds the ledger + sync service for a configured kiosk. */
  createClockService: (config: KioskConfig, token: string) => ClockService;
  /** Builds the realtime service, or null when Pusher is not configured. */
  createRealtimeService: (config: KioskConfig, token: string, clockService: ClockService) => RealtimeService | null;
  /** Called when the API becomes reachable again (retry queued face registrations, revocations). */
  onOnline?: () => void;
  /** Every accepted realtime event (leavers: a deactivated profile removes the person's face). */
  onRealtimeEvent?: (event: RealtimeDomainEvent) => void;
}

export interface KioskServices {
  /** The current clock service; null while the kiosk is not configured. */
  clockService(): ClockService | null;
  /** The current realtime service; null when not configured or Pusher is off. */
  realtime(): RealtimeService | null;
  /** The API token of the kiosk account, or null before sign-in. */
  apiToken(): string | null;
  saveApiToken(token: string): void;
  /** API, realtime and queue state for the status line; "unconfigured" while there is no clock service. */
  connection(): ConnectionState;
  /** Sends the current connection state to the screens. */
  publishConnection(): void;
  /** The clock service's effective status; off duty with nothing known while the kiosk is unconfigured. */
  effectiveStatus(staffId: number): EffectiveStatus;
  /**
   * The status to greet a person with: re-read from HotelMate within `budgetMs` when online, else
   * the last known one marked `cached` (see ClockService.refreshStatus). Never rejects.
   */
  refreshStatus(staffId: number, budgetMs: number): Promise<EffectiveStatus>;
  /**
   * Stops the current services and builds new ones for the current config and token. A call while
   * a rebuild for the same config and token is still under way joins it (signing in changes the
   * config, which rebuilds, and then asks for the rebuild a new token needs: one build, not two).
   * Never rejects for a realtime failure.
   */
  rebuild(): Promise<void>;
  /** Stops the services (failures are logged, never thrown). */
  stop(): Promise<void>;
}

/** What the services are built from: a change of any of these needs a rebuild. */
function servicesKey(config: KioskConfig, token: string | null): string {
  return JSON.stringify([config.hotel.slug, config.api, config.pusher, config.kiosk, token]);
}

/** A person's status while the kiosk is not configured: off duty, nothing known. */
const nothingKnown = (staffId: number): EffectiveStatus => ({ staffId, status: 'off_duty', breakStartedAt: null, pendingPunches: 0, updatedAt: null });

const UNCONFIGURED: ConnectionState = {
  api: 'unconfigured',
  apiMessage: null,
  realtime: 'disabled',
  pendingPunches: 0,
  needsReview: 0,
  lastSyncAt: null,
};

export function createKioskServices(deps: KioskServicesDeps): KioskServices {
  const log = deps.logger.child('services');
  let clockService: ClockService | null = null;
  let realtime: RealtimeService | null = null;
  let wiring: (() => void)[] = [];
  let lastApiState: ConnectionState['api'] = 'unconfigured';

  const apiToken = (): string | null => deps.secrets.get(TOKEN_SECRET);

  const connection = (): ConnectionState => {
    const base = clockService ? clockService.connection() : UNCONFIGURED;
    return { ...base, realtime: realtime ? realtime.state() : 'disabled' };
  };
  const publishConnection = (): void => deps.events.emit('app:connection', connection());

  const stop = async (): Promise<void> => {
    for (const off of wiring) off();
    wiring = [];
    await realtime?.stop().catch((error: unknown) => log.warn('realtime stop failed', { error: toLogFormat(error) }));
    await clockService?.stop().catch((error: unknown) => log.warn('clock stop failed', { error: toLogFormat(error) }));
    realtime = null;
    clockService = null;
  };

  const build = async (): Promise<void> => {
    await stop();
    const config = deps.config.get();
    const token = apiToken();
    if (!config.hotel.slug || !config.api.baseUrl || !token) {
      log.info('kiosk not configured yet: ledger and sync idle', { reasons: setupReasons(config, token !== null) });
      publishConnection();
      return;
    }
    const svc = deps.createClockService(config, token);
    clockService = svc;
    wiring.push(
      svc.onStatus((status) => deps.events.emit('clock:status', status)),
      svc.onConnection((state) => {
        if (state.api === 'online' && lastApiState !== 'online') deps.onOnline?.();
        lastApiState = state.api;
        publishConnection();
      }),
      svc.onBoard((board) => deps.events.emit('board:onDuty', board)),
    );
    await svc.start();
    realtime = deps.createRealtimeService(config, token, svc);
    if (realtime) {
      wiring.push(realtime.onState(() => publishConnection()));
      if (deps.onRealtimeEvent) wiring.push(realtime.onEvent(deps.onRealtimeEvent));
      await realtime.start().catch((error: unknown) => log.warn('realtime start failed', { error: toLogFormat(error) }));
    }
    publishConnection();
  };

  /** The rebuild under way (or queued), with the config and token it is for. */
  let pending: { key: string; done: Promise<void> } | null = null;
  let previous: Promise<void> = Promise.resolve();
  const rebuild = (): Promise<void> => {
    const key = servicesKey(deps.config.get(), apiToken());
    if (pending?.key === key) return pending.done;
    const done: Promise<void> = previous.then(build).finally(() => {
      if (pending?.done === done) pending = null;
    });
    pending = { key, done };
    previous = done.catch(() => undefined);
    return done;
  };

  return {
    clockService: () => clockService,
    realtime: () => realtime,
    apiToken,
    saveApiToken: (token) => deps.secrets.set(TOKEN_SECRET, token),
    connection,
    publishConnection,
    effectiveStatus: (staffId) => clockService?.effectiveStatus(staffId) ?? nothingKnown(staffId),
    refreshStatus: async (staffId, budgetMs) =>
      clockService?.refreshStatus(staffId, budgetMs) ?? { ...nothingKnown(staffId), freshness: { source: 'cached', asOf: null } },
    rebuild,
    stop,
  };
}
