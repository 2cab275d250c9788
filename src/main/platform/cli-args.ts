/**
 * Command-line flags for fleet provisioning and support (`--config`, `--data-dir`, `--diagnostics`,
 * `--enable-dev-bridge`, `--restore-backup`) and the precedence rule that turns them, a file dropped next to the
 * executable and the defaults into the data folder and config file the kiosk uses.
 */
import path from 'node:path';

export interface CliOptions {
  /** `--config <file>`: provisioning file merged over the data folder's config.json. */
  configFile?: string;
  /** `--data-dir <dir>`: where the database, secrets, logs and config live. */
  dataDir?: string;
  /** `--diagnostics [out.zip]`: write the support bundle and exit. `outFile` null = default name. */
  diagnostics?: { outFile: string | null };
  /** `--enable-dev-bridge`: serve the IPC contract on 127.0.0.1 (support/testing only). */
  enableDevBridge: boolean;
  /** `--restore-backup`: bring kiosk.db back from its best copy before starting (docs/operations.md). */
  restoreBackup: boolean;
  /** Problems with our own flags (missing values); the kiosk logs them and carries on. */
  errors: string[];
}

const VALUE_FLAGS = new Set(['--config', '--data-dir']);

/**
 * Parses argv (pass `process.argv.slice(1)` or similar: unknown arguments such as Chromium switches
 * or the app path are ignored). Accepts `--flag value` and `--flag=value`. Never throws.
 */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = { enableDevBridge: false, restoreBackup: false, errors: [] };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const takeValue = (): string | undefined => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('-')) return undefined;
      i += 1;
      return next;
    };
    if (VALUE_FLAGS.has(name)) {
      const value = takeValue();
      if (!value) {
        options.errors.push(`${name} needs a value (e.g. ${name}${name === '--config' ? ' /etc/hotelmate/kiosk.json' : ' /var/lib/hotelmate'})`);
        continue;
      }
      if (name === '--config') options.configFile = path.resolve(value);
      else options.dataDir = path.resolve(value);
    } else if (name === '--diagnostics') {
      const value = takeValue();
      options.diagnostics = { outFile: value ? path.resolve(value) : null };
    } else if (name === '--enable-dev-bridge') {
      options.enableDevBridge = true;
    } else if (name === '--restore-backup') {
      options.restoreBackup = true;
    }
  }
  return options;
}

/** Default bundle name when `--diagnostics` has no file: `hotelmate-diagnostics-<kiosk>-<UTC stamp>.zip`. */
export function defaultDiagnosticsFile(dir: string, kioskId: string, now: Date): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const safeId = kioskId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60) || 'kiosk';
  return path.join(dir, `hotelmate-diagnostics-${safeId}-${stamp}.zip`);
}

export interface ProvisioningInput {
  cli: CliOptions;
  /** `app.getPath('userData')`: the data folder when nothing else says otherwise. */
  defaultDataDir: string;
  /** `<exe dir>/hotelmate-kiosk.json` from the path helper, or null. */
  exeConfigFile: string | null;
  env: Record<string, string | undefined>;
  fileExists: (file: string) => boolean;
}

export interface Provisioning {
  dataDir: string;
  /** The file merged over `<dataDir>/config.json` (pass to loadConfig's `configFile`), if any. */
  configFile?: string;
  /** Human-readable account of what was chosen and why, for the log and diagnostics. */
  notes: string[];
}

/**
 * Applies the documented precedence (docs/install.md, "Provisioning"):
 * - data folder: `--data-dir` > `HOTELMATE_DATA_DIR` > the OS default (userData);
 * - config: `--config <file>` > `<exe dir>/hotelmate-kiosk.json` > `<dataDir>/config.json` > defaults.
 *   Only one provisioning file is used; it is merged over config.json, then `HOTELMATE_*` variables
 *   override single fields (src/main/config/config-store.ts).
 */
export function resolveProvisioning(input: ProvisioningInput): Provisioning {
  const notes: string[] = [];
  let dataDir = input.defaultDataDir;
  if (input.cli.dataDir) {
    dataDir = input.cli.dataDir;
    notes.push(`data folder from --data-dir: ${dataDir}`);
  } else if (input.env.HOTELMATE_DATA_DIR) {
    dataDir = path.resolve(input.env.HOTELMATE_DATA_DIR);
    notes.push(`data folder from HOTELMATE_DATA_DIR: ${dataDir}`);
  } else {
    notes.push(`data folder: ${dataDir}`);
  }
  let configFile: string | undefined;
  if (input.cli.configFile) {
    configFile = input.cli.configFile;
    notes.push(`provisioning file from --config: ${configFile}`);
    if (input.exeConfigFile && input.fileExists(input.exeConfigFile)) {
      notes.push(`ignored ${input.exeConfigFile} because --config was given`);
    }
  } else if (input.exeConfigFile && input.fileExists(input.exeConfigFile)) {
    configFile = input.exeConfigFile;
    notes.push(`provisioning file next to the app: ${configFile}`);
  }
  return configFile ? { dataDir, configFile, notes } : { dataDir, notes };
}
