/** Shared pieces of the realtime tests: a recording ClockService fake and config for a local soketi. */
import { kioskConfigSchema, type KioskConfig } from '../../../src/shared/config/schema';
import type { ClockService } from '../../../src/main/sync/clock-service';
import type { ServerStatusUpdate } from '../../../src/shared/domain/types';
import type { RealtimeService } from '../../../src/main/realtime/realtime-service';
import type { RealtimeState } from '../../../src/shared/domain/types';

export const SLUG = 'hotel-killarney';

/** Records what the realtime service asks of the clock service. */
export function recordingClockService(): Pick<ClockService, 'applyServerStatus' | 'catchUp'> & { statuses: ServerStatusUpdate[]; catchUps: string[] } {
  const statuses: ServerStatusUpdate[] = [];
  const catchUps: string[] = [];
  return {
    statuses,
    catchUps,
    applyServerStatus: (update) => {
      statuses.push(update);
    },
    catchUp: async (reason) => {
      catchUps.push(reason);
    },
  };
}

export function soketiConfig(server: { port: number; key: string }, patch: { privateChannels?: boolean; apiBaseUrl?: string } = {}): KioskConfig {
  return kioskConfigSchema.parse({
    hotel: { slug: SLUG, name: 'Hotel Killarney' },
    api: { baseUrl: patch.apiBaseUrl ?? 'http://127.0.0.1:9/api', timeoutMs: 2000 },
    pusher: { enabled: true, key: server.key, host: '127.0.0.1', port: server.port, useTLS: false, privateChannels: patch.privateChannels ?? false },
  });
}

/** Resolves when the service reaches the state (rejects after timeoutMs). */
export function waitForState(service: RealtimeService, wanted: RealtimeState, timeoutMs = 15000): Promise<void> {
  if (service.state() === wanted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`state stayed ${service.state()}, wanted ${wanted}`));
    }, timeoutMs);
    const off = service.onState((state) => {
      if (state !== wanted) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}
