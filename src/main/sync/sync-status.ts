/** The sync's view of HotelMate (online, offline, paused, unconfigured) with the last sync and error, announced when it changes. */
import type { ApiState } from '../../shared/domain/types';
import { createEmitter, type Subscribe } from '../lib/emitter';
import type { ApiOutcome } from '../hotelmate/client';
import type { Logger } from '../logging/logger';

export interface SyncState {
  api: ApiState;
  /** Readable reason when paused/offline (the server's 401/403 message, the network error). */
  message: string | null;
  lastSyncAt: string | null;
  lastError: string | null;
}

export interface SyncStatus {
  get(): SyncState;
  /** Applies a change; listeners hear of it only when something actually changed. */
  update(patch: Partial<SyncState>): void;
  /**
   * Learns reachability from an answer: any HTTP answer means HotelMate is reachable, no answer
   * (network error, timeout) means offline. A pause is kept until it is lifted.
   */
  observe(outcome: ApiOutcome<unknown>): void;
  onChange: Subscribe<SyncState>;
}

/** Creates the status: `online` when a client is configured (until an answer says otherwise), else `unconfigured`. */
export function createSyncStatus(configured: boolean, logger: Logger): SyncStatus {
  let state: SyncState = { api: configured ? 'online' : 'unconfigured', message: null, lastSyncAt: null, lastError: null };
  const changes = createEmitter<SyncState>('sync.state', logger);

  const update = (patch: Partial<SyncState>): void => {
    const next = { ...state, ...patch };
    if (next.api === state.api && next.message === state.message && next.lastSyncAt === state.lastSyncAt && next.lastError === state.lastError)
      return;
    const wasOnline = state.api === 'online';
    state = next;
    if (!wasOnline && next.api === 'online') logger.info('HotelMate reachable again');
    changes.emit(state);
  };

  return {
    get: () => state,
    update,
    observe(outcome) {
      if (state.api === 'paused') return;
      if (outcome.ok || outcome.kind === 'http' || outcome.kind === 'bad_response') update({ api: 'online', message: null });
      else update({ api: 'offline', message: `HotelMate unreachable (${outcome.message})` });
    },
    onChange: changes.subscribe,
  };
}
