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
    expect(fs.readdirSync(dir)).toEqual(['config.json']);
    expect(loadConfig({ dataDir: dir }).config).toEqual(config);
  });
});
