import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, saveConfig } from '../../../src/main/config/config-store';
import { defaultConfig, setupReasons } from '../../../src/shared/config/schema';
import { makeTempDir } from '../../support/temp-dir';

function writeJson(file: string, value: unknown): void {
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
}

describe('config loading', () => {
  it('starts from defaults in setup mode when there is no config at all', () => {
    const dir = makeTempDir();
    const loaded = loadConfig({ dataDir: dir });
    expect(loaded.issues).toEqual([]);
    expect(loaded.config).toEqual(defaultConfig());
    expect(setupReasons(loaded.config, false)).toContain('hotel.slug is not set');
  });

  it('refuses a value of the wrong type, names the field and keeps the other settings', () => {
    const dir = makeTempDir();
    writeJson(path.join(dir, 'config.json'), { hotel: { slug: 'hotel-killarney' }, camera: { fps: 'fast' } });
    const loaded = loadConfig({ dataDir: dir });
    expect(loaded.issues).toEqual([expect.objectContaining({ field: 'camera.fps' })]);
    expect(loaded.issues[0]?.message).toMatch(/number/i);
    expect(loaded.config.camera.fps).toBe(15);
    expect(loaded.config.hotel.slug).toBe('hotel-killarney');
  });

  it('reports unknown settings and broken JSON without crashing', () => {
    const dir = makeTempDir();
    writeJson(path.join(dir, 'config.json'), '{ "hotel": { "slug": ');
    expect(loadConfig({ dataDir: dir }).issues[0]?.message).toMatch(/not valid JSON/);
    writeJson(path.join(dir, 'config.json'), { hotel: { slug: 'h1', colour: 'blue' } });
    const loaded = loadConfig({ dataDir: dir });
    expect(loaded.issues[0]).toEqual({ field: 'hotel', message: 'unknown setting(s): colour' });
    expect(loaded.config.hotel.slug).toBe('h1');
  });

  it('applies precedence: --config file over the data folder file over defaults, then environment', () => {
    const dir = makeTempDir();
    writeJson(path.join(dir, 'config.json'), { hotel: { slug: 'from-data-dir', name: 'Data Dir Hotel' }, camera: { fps: 10 } });
    const flagFile = path.join(dir, 'fleet.json');
    writeJson(flagFile, { hotel: { slug: 'from-flag' } });
    const loaded = loadConfig({ dataDir: dir, configFile: flagFile, env: { HOTELMATE_CAMERA: 'file:/tmp/demo.mp4' } });
    expect(loaded.config.hotel.slug).toBe('from-flag');
    expect(loaded.config.hotel.name).toBe('Data Dir Hotel');
    expect(loaded.config.camera.fps).toBe(10);
    expect(loaded.config.camera.device).toBe('file:/tmp/demo.mp4');
    expect(loaded.config.ui.language).toBe('en');
  });

  it('saves atomically and reloads the same config', () => {
    const dir = makeTempDir();
    const config = { ...defaultConfig(), hotel: { slug: 'hotel-killarney', name: 'Killarney', timeZone: 'Europe/Dublin' } };
    saveConfig(path.join(dir, 'config.json'), config);
    expect(fs.readdirSync(dir).sort()).toEqual(['config.json', 'config.json.last-good']);
    expect(fs.statSync(path.join(dir, 'config.json')).mode & 0o777).toBe(0o600);
    expect(loadConfig({ dataDir: dir }).config).toEqual(config);
  });
});

describe('a damaged config.json', () => {
  const good = { ...defaultConfig(), hotel: { slug: 'hotel-killarney', name: 'Killarney', timeZone: 'Europe/Dublin' } };
  const at = new Date('2026-03-01T09:00:00.000Z');

  it.each([
    ['invalid JSON', (file: string) => fs.writeFileSync(file, '{ "hotel": ')],
    ['an empty file', (file: string) => fs.writeFileSync(file, '')],
    ['not an object', (file: string) => fs.writeFileSync(file, '[1, 2]')],
    ['a folder', (file: string) => fs.mkdirSync(file)],
  ])('%s is moved aside, never rewritten, and the kiosk runs on the last good copy', (_what, damage) => {
    const dir = makeTempDir();
    const file = path.join(dir, 'config.json');
    saveConfig(file, good);
    fs.rmSync(file);
    damage(file);
    const loaded = loadConfig({ dataDir: dir, now: at });
    expect(loaded.config).toEqual(good);
    expect(loaded.damage).toMatchObject({ restoredFrom: 'last-good', movedTo: `${file}.corrupt-2026-03-01T09-00-00-000Z` });
    expect(fs.existsSync(`${file}.corrupt-2026-03-01T09-00-00-000Z`)).toBe(true);
    // config.json is the last good copy again, so the next start is a normal one
    expect(loadConfig({ dataDir: dir }).damage).toBeNull();
    expect(loadConfig({ dataDir: dir }).config).toEqual(good);
  });

  it('a hand edit saved by Windows Notepad (a byte order mark, CRLF line ends) is read as it is, not set aside as damaged', () => {
    const dir = makeTempDir();
    const file = path.join(dir, 'config.json');
    saveConfig(file, good);
    const edited = { ...good, ui: { ...good.ui, showBoard: false } };
    fs.writeFileSync(file, `\uFEFF${JSON.stringify(edited, null, 2).replace(/\n/g, '\r\n')}\r\n`);
    const fleet = path.join(dir, 'hotelmate-kiosk.json');
    fs.writeFileSync(fleet, `\uFEFF{\r\n  "camera": { "fps": 10 }\r\n}\r\n`);
    const loaded = loadConfig({ dataDir: dir, configFile: fleet, now: at });
    expect(loaded.damage).toBeNull();
    expect(loaded.issues).toEqual([]);
    expect(loaded.config.ui.showBoard).toBe(false);
    expect(loaded.config.camera.fps).toBe(10);
    expect(fs.readdirSync(dir).filter((name) => name.includes('.corrupt-'))).toEqual([]);
  });

  it('without a last good copy runs on the defaults and says so (the file is still kept aside)', () => {
    const dir = makeTempDir();
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, 'garbage');
    const loaded = loadConfig({ dataDir: dir, now: at });
    expect(loaded.config).toEqual(defaultConfig());
    expect(loaded.damage).toMatchObject({ restoredFrom: 'defaults' });
    expect(loaded.issues.map((i) => i.message).join()).toMatch(/runs on the defaults/);
    expect(fs.readFileSync(`${file}.corrupt-2026-03-01T09-00-00-000Z`, 'utf8')).toBe('garbage');
  });

  it('keeps a last good copy for a kiosk that had none yet (an older version)', () => {
    const dir = makeTempDir();
    writeJson(path.join(dir, 'config.json'), { hotel: { slug: 'hotel-killarney' } });
    loadConfig({ dataDir: dir });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'config.json.last-good'), 'utf8'))).toEqual({ hotel: { slug: 'hotel-killarney' } });
  });

  it('a damaged last good copy is made good again at start, so a config.json damaged later still falls back to the settings, not the defaults', () => {
    const dir = makeTempDir();
    const file = path.join(dir, 'config.json');
    saveConfig(file, good);
    fs.writeFileSync(`${file}.last-good`, '{ "hotel": ');
    expect(loadConfig({ dataDir: dir }).damage).toBeNull();
    fs.writeFileSync(file, '');
    const loaded = loadConfig({ dataDir: dir, now: at });
    expect(loaded.damage).toMatchObject({ restoredFrom: 'last-good' });
    expect(loaded.config).toEqual(good);
  });

  it('a damaged provisioning file is reported and left alone (it is not the kiosk\'s)', () => {
    const dir = makeTempDir();
    const fleet = path.join(dir, 'fleet.json');
    fs.writeFileSync(fleet, '{ nope');
    const loaded = loadConfig({ dataDir: dir, configFile: fleet });
    expect(loaded.issues[0]?.message).toMatch(/fleet\.json is not valid JSON/);
    expect(fs.readFileSync(fleet, 'utf8')).toBe('{ nope');
  });
});

describe('API URL rule', () => {
  it.each([
    ['https://hotel.example.com/api', null],
    ['http://127.0.0.1:8080/api', null],
    ['http://localhost/api', null],
    ['http://hotel.example.com/api', /https/],
    ['file:///etc/passwd', /never allowed/],
    ['javascript:alert(1)', /never allowed/],
    ['ftp://hotel.example.com/api', /never allowed/],
  ])('%s', (url, expected) => {
    const dir = makeTempDir();
    writeJson(path.join(dir, 'config.json'), { api: { baseUrl: url } });
    const loaded = loadConfig({ dataDir: dir });
    if (expected === null) {
      expect(loaded.config.api.baseUrl).toBe(url);
    } else {
      expect(loaded.config.api.baseUrl).toBe('');
      expect(loaded.issues.find((i) => i.field === 'api.baseUrl')?.message).toMatch(expected);
    }
  });

  it('plain http to another machine only with the lab flag', () => {
    const dir = makeTempDir();
    writeJson(path.join(dir, 'config.json'), { api: { baseUrl: 'http://lab-server.local/api', allowInsecureHttp: true } });
    expect(loadConfig({ dataDir: dir }).config.api.baseUrl).toBe('http://lab-server.local/api');
  });
});
