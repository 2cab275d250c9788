import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultDiagnosticsFile, parseCliArgs, resolveProvisioning } from '../../../src/main/platform/cli-args';
import { loadConfig } from '../../../src/main/config/config-store';
import { createAppPaths } from '../../../src/main/platform/paths';

describe('command-line flags', () => {
  it('reads --config, --data-dir (both spellings), --diagnostics with and without a file, --enable-dev-bridge', () => {
    const cli = parseCliArgs(['.', '--no-sandbox', '--config', 'fleet.json', '--data-dir=/var/lib/hm', '--diagnostics', '/media/usb/out.zip', '--enable-dev-bridge']);
    expect(cli.configFile).toBe(path.resolve('fleet.json'));
    expect(cli.dataDir).toBe('/var/lib/hm');
    expect(cli.diagnostics).toEqual({ outFile: '/media/usb/out.zip' });
    expect(cli.enableDevBridge).toBe(true);
    expect(cli.errors).toEqual([]);

    const bare = parseCliArgs(['--diagnostics', '--data-dir', '/d']);
    expect(bare.diagnostics).toEqual({ outFile: null });
    expect(bare.dataDir).toBe('/d');
    expect(bare.enableDevBridge).toBe(false);
  });

  it('reports a flag missing its value instead of swallowing the next flag', () => {
    const cli = parseCliArgs(['--config', '--enable-dev-bridge']);
    expect(cli.configFile).toBeUndefined();
    expect(cli.enableDevBridge).toBe(true);
    expect(cli.errors[0]).toMatch(/--config needs a value/);
  });

  it('names the default bundle after the kiosk and the UTC time, safely', () => {
    const file = defaultDiagnosticsFile('/tmp', 'lobby/../1', new Date('2026-03-01T09:05:07.123Z'));
    expect(path.basename(file)).toBe('hotelmate-diagnostics-lobby____1-2026-03-01T09-05-07-123Z.zip');
  });
});

describe('provisioning precedence, end to end through the config loader', () => {
  let root: string;
  let dataDir: string;
  let exeDir: string;
  let flagFile: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'provision-'));
    dataDir = path.join(root, 'data');
    exeDir = path.join(root, 'opt');
    flagFile = path.join(root, 'fleet.json');
    fs.mkdirSync(dataDir);
    fs.mkdirSync(exeDir);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const load = (argv: string[], env: Record<string, string> = {}) => {
    const paths = createAppPaths({ isPackaged: true, appRoot: path.join(exeDir, 'resources', 'app.asar'), resourcesPath: path.join(exeDir, 'resources'), platform: 'linux', exeDir });
    const provisioning = resolveProvisioning({
      cli: parseCliArgs(argv),
      defaultDataDir: path.join(root, 'unused-default'),
      exeConfigFile: paths.exeConfigFile,
      env,
      fileExists: fs.existsSync,
    });
    return { provisioning, loaded: loadConfig({ dataDir: provisioning.dataDir, configFile: provisioning.configFile, env }) };
  };
  const write = (file: string, value: unknown): void => fs.writeFileSync(file, JSON.stringify(value));

  it('defaults only, when no file exists anywhere', () => {
    const { loaded, provisioning } = load(['--data-dir', dataDir]);
    expect(provisioning.configFile).toBeUndefined();
    expect(loaded.config.hotel.slug).toBe('');
    expect(loaded.config.retention.syncedDays).toBe(90);
    expect(loaded.issues).toEqual([]);
  });

  it('flag file beats data-dir file beats defaults, field by field', () => {
    write(path.join(dataDir, 'config.json'), { hotel: { slug: 'from-data-dir', name: 'Data Dir Hotel' }, camera: { fps: 10 } });
    write(flagFile, { hotel: { slug: 'from-flag' }, retention: { syncedDays: 30 } });
    write(path.join(exeDir, 'hotelmate-kiosk.json'), { hotel: { slug: 'from-exe-dir' }, ui: { language: 'pl' } });
    const { loaded, provisioning } = load(['--data-dir', dataDir, '--config', flagFile]);
    expect(provisioning.configFile).toBe(flagFile);
    expect(loaded.config.hotel.slug).toBe('from-flag'); // flag file
    expect(loaded.config.hotel.name).toBe('Data Dir Hotel'); // data-dir file where the flag file is silent
    expect(loaded.config.camera.fps).toBe(10);
    expect(loaded.config.retention.syncedDays).toBe(30);
    expect(loaded.config.ui.language).toBe('en'); // the exe-dir file is ignored when --config is given
    expect(loaded.config.camera.width).toBe(640); // default
    expect(provisioning.notes.join('\n')).toMatch(/ignored .*hotelmate-kiosk\.json because --config was given/);
  });

  it('without --config, a hotelmate-kiosk.json next to the executable is the provisioning file', () => {
    write(path.join(dataDir, 'config.json'), { hotel: { slug: 'from-data-dir', name: 'Data Dir Hotel' } });
    write(path.join(exeDir, 'hotelmate-kiosk.json'), { hotel: { slug: 'from-exe-dir' }, ui: { language: 'pl' } });
    const { loaded } = load(['--data-dir', dataDir]);
    expect(loaded.config.hotel.slug).toBe('from-exe-dir');
    expect(loaded.config.hotel.name).toBe('Data Dir Hotel');
    expect(loaded.config.ui.language).toBe('pl');
  });

  it('environment variables override single fields on top of every file; HOTELMATE_DATA_DIR picks the folder', () => {
    write(path.join(dataDir, 'config.json'), { hotel: { slug: 'from-data-dir' } });
    write(flagFile, { hotel: { slug: 'from-flag' } });
    const { loaded, provisioning } = load(['--config', flagFile], { HOTELMATE_DATA_DIR: dataDir, HOTELMATE_HOTEL_SLUG: 'from-env' });
    expect(provisioning.dataDir).toBe(dataDir);
    expect(loaded.config.hotel.slug).toBe('from-env');
  });

  it('a bad value in the flag file is refused by field name and falls back, without losing the other fields', () => {
    write(path.join(dataDir, 'config.json'), { hotel: { slug: 'from-data-dir' } });
    write(flagFile, { hotel: { slug: 'from-flag' }, camera: { fps: 'fast' } });
    const { loaded } = load(['--data-dir', dataDir, '--config', flagFile]);
    expect(loaded.config.hotel.slug).toBe('from-flag');
    expect(loaded.config.camera.fps).toBe(15);
    expect(loaded.issues.map((i) => i.field)).toContain('camera.fps');
  });
});
