/**
 * Start with the machine: a login item on Windows and macOS (Electron), the XDG autostart entry on
 * Linux (src/main/platform/autostart.ts). AppImages start through $APPIMAGE, not the mount path.
 */
import path from 'node:path';
import { app } from 'electron';
import type { Logger } from '../logging/logger';
import type { AppPaths } from '../platform/paths';
import { setLinuxAutostart } from '../platform/autostart';

export interface AutostartOptions {
  paths: AppPaths;
  logger: Logger;
  /** Extra arguments for the autostarted kiosk (e.g. `--data-dir`). */
  args?: string[];
  platform?: NodeJS.Platform;
  env?: Record<string, string | undefined>;
}

/** Turns autostart on or off. Never throws: a failure is logged and reported as false. */
export function setAutostart(enabled: boolean, options: AutostartOptions): boolean {
  const log = options.logger.child('autostart');
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  try {
    if (platform === 'linux') {
      const executable = env.APPIMAGE ?? app.getPath('exe');
      const file = setLinuxAutostart(enabled, { templateFile: options.paths.linuxDesktopEntry, executable, args: options.args, env });
      log.info(enabled ? 'autostart entry installed' : 'autostart entry removed', { file });
      return true;
    }
    app.setLoginItemSettings({ openAtLogin: enabled, path: app.getPath('exe'), args: options.args ?? [], name: path.basename(app.getPath('exe')) });
    log.info(enabled ? 'login item set' : 'login item removed', { platform });
    return true;
  } catch (error) {
    log.error('could not change autostart', { enabled, error: error instanceof Error ? error.message : String(error) });
    return false;
  }
}
