/**
 * The running kiosk's configuration: validated updates (merge, validate, save durably, and only then
 * change the config in memory and notify) so memory and disk never disagree, and change
 * notifications so services can re-configure themselves without a restart. The kiosk id is fixed
 * once assigned (at the first start): no update may change it.
 */
import { type ConfigIssue, type KioskConfig, mergeConfig, parseConfig } from '../../shared/config/schema';
import type { PublicConfig } from '../../shared/domain/admin';
import type { DurableFs } from '../lib/durable-file';
import { createEmitter, type ListenerErrorReporter } from '../lib/emitter';
import { errorMessage, toLogFormat } from '../lib/errors';
import { saveConfig } from './config-store';

export type ConfigUpdateResult = { ok: true; config: KioskConfig } | { ok: false; errors: ConfigIssue[] };

export interface ConfigHolder {
  get(): KioskConfig;
  /**
   * Applies a partial patch: validates, saves, and only when the save succeeded changes the config
   * in memory and notifies. A bad value is refused by field; a failed save (full disk, read-only
   * folder) is refused as field `(file)` and changes nothing.
   */
  update(patch: unknown): ConfigUpdateResult;
  onChange(listener: (next: KioskConfig, previous: KioskConfig) => void): () => void;
}

/** Where the holder reports a failing change listener and a failed save (a `Logger` fits). */
export interface ConfigHolderReporter extends ListenerErrorReporter {
  warn(message: string, fields?: Record<string, unknown>): void;
}

/** The schema's default kiosk id: the id is not assigned yet (the first start assigns one). */
export const UNASSIGNED_KIOSK_ID = 'kiosk';

/** The refusal of a change to the kiosk id (it is in every punch sent to HotelMate). */
export const KIOSK_ID_FIXED: ConfigIssue = { field: 'kiosk.id', message: 'the kiosk id is fixed when the kiosk is installed' };

/** Holds the config; `file` null keeps it in memory only (tests). `fs` lets tests make the save fail. */
export function createConfigHolder(initial: KioskConfig, file: string | null, reporter: ConfigHolderReporter, options: { fs?: DurableFs } = {}): ConfigHolder {
  let current = initial;
  const changes = createEmitter<{ next: KioskConfig; previous: KioskConfig }>('config change', reporter);
  return {
    get: () => current,
    update(patch) {
      const parsed = parseConfig(mergeConfig(current, patch));
      if (!parsed.ok) return { ok: false, errors: parsed.issues };
      if (parsed.config.kiosk.id !== current.kiosk.id && current.kiosk.id !== UNASSIGNED_KIOSK_ID) return { ok: false, errors: [KIOSK_ID_FIXED] };
      if (file) {
        try {
          if (!saveConfig(file, parsed.config, options.fs)) reporter.warn('the last good copy of the config could not be refreshed', { file });
        } catch (error) {
          reporter.error('the config could not be saved; nothing was changed', { file, error: toLogFormat(error) });
          return { ok: false, errors: [{ field: '(file)', message: `the settings could not be saved (${errorMessage(error)}); nothing was changed` }] };
        }
      }
      const previous = current;
      current = parsed.config;
      changes.emit({ next: current, previous });
      return { ok: true, config: current };
    },
    onChange: (listener) => changes.subscribe(({ next, previous }) => listener(next, previous)),
  };
}

/** The config as admin screens may see it: never the token or the PIN hash. */
export function toPublicConfig(config: KioskConfig, hasToken: boolean): PublicConfig {
  return {
    hotel: { ...config.hotel },
    api: { baseUrl: config.api.baseUrl, hasToken, accountName: config.api.accountName },
    pusher: {
      enabled: config.pusher.enabled,
      key: config.pusher.key,
      cluster: config.pusher.cluster,
      host: config.pusher.host,
      port: config.pusher.port,
      useTLS: config.pusher.useTLS,
    },
    camera: { device: config.camera.device, width: config.camera.width, height: config.camera.height, fps: config.camera.fps },
    recognition: {
      threshold: config.recognition.threshold,
      margin: config.recognition.margin,
      agreeFrames: config.recognition.agreeFrames,
      liveness: config.recognition.liveness,
      auditSnapshots: config.recognition.auditSnapshots,
    },
    ui: { language: config.ui.language, showBoard: config.ui.showBoard, sound: config.ui.sound, highContrast: config.ui.highContrast },
    retention: { syncedDays: config.retention.syncedDays },
  };
}

/** The config with secrets removed, for the diagnostics bundle. */
export function redactConfig(config: KioskConfig): Omit<KioskConfig, 'admin'> & { admin: { pinSet: boolean } } {
  const { admin, ...rest } = config;
  return { ...rest, admin: { pinSet: admin.pinHash !== null } };
}
