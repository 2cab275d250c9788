import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBuilderConfig, repoRoot, validateBuilderConfig } from './builder-config';

describe('electron-builder config', () => {
  it("passes electron-builder's own schema validation", async () => {
    const config = await loadBuilderConfig();
    await expect(validateBuilderConfig(config)).resolves.toBeUndefined();
    expect(config.appId).toBe('com.hotelmate.kiosk');
    expect(config.productName).toBe('HotelMate Kiosk');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    // Never rebuild in the project's node_modules: that would break the Node build `npm test` uses.
    expect(config.npmRebuild).toBe(false);
    // The pinned Electron version is the one installed.
    const electronPkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules/electron/package.json'), 'utf8')) as { version: string };
    expect(config.electronVersion).toBe(electronPkg.version);
  });

  it('the validation is real: an unknown option is refused', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'builder-'));
    try {
      const broken = { ...(await loadBuilderConfig()), linux: { target: ['AppImage'], kioskMode: true } };
      await expect(validateBuilderConfig(broken)).rejects.toThrow(/configuration\.linux should be/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every file the config points at exists: icons, entitlements, the hook, the autostart entry', async () => {
    const config = await loadBuilderConfig();
    for (const rel of [config.win.icon, config.mac.icon, config.mac.entitlements, config.afterPack, 'build/linux/hotelmate-kiosk.desktop']) {
      expect(fs.existsSync(path.join(repoRoot, rel)), rel).toBe(true);
    }
    const linuxIcons = fs.readdirSync(path.join(repoRoot, config.linux.icon));
    expect(linuxIcons).toEqual(expect.arrayContaining(['16x16.png', '32x32.png', '48x48.png', '256x256.png', '512x512.png']));
  });

  it('the native modules and ffmpeg the package needs are production dependencies (electron-builder only ships those)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    for (const name of ['better-sqlite3', 'onnxruntime-node', '@ffmpeg-installer/ffmpeg']) expect(pkg.dependencies[name], name).toBeDefined();
  });
});
