/**
 * Start-with-the-machine on Linux: installs (or removes) the kiosk's XDG autostart entry, made from
 * build/linux/hotelmate-kiosk.desktop with the real executable filled in. Plain Node (Windows and
 * macOS use Electron's login items, in src/main/shell/autostart.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const AUTOSTART_FILE_NAME = 'hotelmate-kiosk.desktop';

export interface LinuxAutostartOptions {
  /** The template shipped with the app (AppPaths.linuxDesktopEntry). */
  templateFile: string;
  /** What to start: `$APPIMAGE` for an AppImage, else the executable path. */
  executable: string;
  args?: readonly string[];
  /** Default `$XDG_CONFIG_HOME/autostart` or `~/.config/autostart`. */
  autostartDir?: string;
  env?: Record<string, string | undefined>;
}

/** `$XDG_CONFIG_HOME/autostart`, falling back to `~/.config/autostart`. */
export function defaultAutostartDir(env: Record<string, string | undefined> = process.env): string {
  const configHome = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(os.homedir(), '.config');
  return path.join(configHome, 'autostart');
}

/** Quotes one Exec argument as the Desktop Entry spec requires. */
export function quoteExecArg(arg: string): string {
  if (arg !== '' && !/[\s"'\\`$<>~|&;*?#()]/.test(arg)) return arg.replace(/%/g, '%%');
  return `"${arg.replace(/[\\"`$]/g, (c) => `\\${c}`).replace(/%/g, '%%')}"`;
}

/**
 * Writes the autostart entry (enabled) or removes it (disabled). Resolves nothing; throws a readable
 * Error when the template is missing or the folder cannot be written. Returns the entry's path.
 */
export function setLinuxAutostart(enabled: boolean, options: LinuxAutostartOptions): string {
  const dir = options.autostartDir ?? defaultAutostartDir(options.env);
  const file = path.join(dir, AUTOSTART_FILE_NAME);
  if (!enabled) {
    fs.rmSync(file, { force: true });
    return file;
  }
  let template: string;
  try {
    template = fs.readFileSync(options.templateFile, 'utf8');
  } catch (error) {
    throw new Error(`The autostart template ${options.templateFile} is missing (${(error as Error).message}); reinstall the kiosk`);
  }
  if (!template.includes('@EXEC@')) throw new Error(`The autostart template ${options.templateFile} has no Exec placeholder`);
  const exec = [options.executable, ...(options.args ?? [])].map(quoteExecArg).join(' ');
  fs.mkdirSync(dir, { recursive: true });
  const temp = `${file}.tmp`;
  fs.writeFileSync(temp, template.replace('@EXEC@', exec), { mode: 0o644 });
  fs.renameSync(temp, file);
  return file;
}

/** Whether the autostart entry exists. */
export function isLinuxAutostartEnabled(autostartDir: string = defaultAutostartDir()): boolean {
  return fs.existsSync(path.join(autostartDir, AUTOSTART_FILE_NAME));
}
