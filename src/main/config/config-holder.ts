/**
 * The running kiosk's configuration: validated updates (merge, validate, save atomically) and
 * change notifications so services can re-configure themselves without a restart.
 */
import { type ConfigIssue, type KioskConfig, mergeConfig, parseConfig } from '../../shared/config/schema';
import type { PublicConfig } from '../../shared/domain/admin';
import { createEmitter, type ListenerErrorReporter } from '../lib/emitter';
import { saveConfig } from './config-store';

export interface ConfigHolder {
  get(): KioskConfig;
  /** Applies a partial patch; on success saves and notifies. A bad value is refused by field. */
  update(patch: unknown): { ok: true; config: KioskConfig } | { ok: false; errors: ConfigIssue[] };
  onChange(listener: (next: KioskConfig, previous: KioskConfig) => void): () => void;
}

/** Holds the config; `reporter` logs a change listener that throws (the change itself still applies). */
export function createConfigHolder(initial: KioskConfig, file: string | null, reporter: ListenerErrorReporter): ConfigHolder {
  let current = initial;
  const changes = createEmitter<{ next: KioskConfig; previous: KioskConfig }>('config change', reporter);
  return {
    get: () => current,
    update(patch) {
      const parsed = parseConfig(mergeConfig(current, patch));
      if (!parsed.ok) return { ok: false, errors: parsed.issues };
      const previous = current;
      current = parsed.config;
      if (file) saveConfig(file, current);
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
    },
    ui: { language: config.ui.language, showBoard: config.ui.showBoard },
    retention: { syncedDays: config.retention.syncedDays },
  };
}

/** The config with secrets removed, for the diagnostics bundle. */
export function redactConfig(config: KioskConfig): Omit<KioskConfig, 'admin'> & { admin: { pinSet: boolean } } {
  const { admin, ...rest } = config;
  return { ...rest, admin: { pinSet: admin.pinHash !== null } };
}
