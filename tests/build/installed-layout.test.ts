/**
 * docs/install.md and the README tell installers where the kiosk lands. This computes those names
 * with electron-builder 26's own code (app-builder-lib: AppInfo, the NSIS install-folder and shortcut
 * rules, the deb/AppImage naming, the NSIS templates) for electron-builder.yml, and checks the guide
 * says exactly that, so a config change that moves the executable cannot leave the guide stale.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { installedLayout, loadBuilderConfig, repoRoot } from './builder-config';

const guide = fs.readFileSync(path.join(repoRoot, 'docs/install.md'), 'utf8');
const version = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
const generic = (name: string): string => name.split(version).join('<version>');

describe('installed layout (electron-builder 26, executableName: hotelmate-kiosk)', () => {
  it('Windows NSIS: per-machine into Program Files\\hotelmate-kiosk, hotelmate-kiosk.exe, its uninstaller and Start menu entry', async () => {
    const { windows } = installedLayout(await loadBuilderConfig());
    expect(windows).toMatchObject({
      installer: `HotelMate Kiosk-Setup-${version}.exe`,
      perMachine: true,
      installDir: 'C:\\Program Files\\hotelmate-kiosk',
      exe: 'C:\\Program Files\\hotelmate-kiosk\\hotelmate-kiosk.exe',
      uninstaller: 'C:\\Program Files\\hotelmate-kiosk\\Uninstall hotelmate-kiosk.exe',
      startMenuShortcut: 'C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs\\HotelMate Kiosk.lnk',
      uninstallDisplayName: `HotelMate Kiosk ${version}`,
    });
    for (const text of [windows.installer, windows.installDir, windows.exe, windows.uninstaller, windows.startMenuShortcut as string, windows.uninstallDisplayName, windows.uninstallRegistryKey]) {
      expect(guide, text).toContain(generic(text));
    }
    // the old, wrong folder name is gone from the guide
    expect(guide).not.toContain('C:\\Program Files\\HotelMate Kiosk');
  });

  it('Linux: the .deb installs /opt/HotelMate Kiosk/hotelmate-kiosk with /usr/bin/hotelmate-kiosk; AppImage and deb file names', async () => {
    const { linux } = installedLayout(await loadBuilderConfig());
    expect(linux).toEqual({
      appImage: `HotelMate Kiosk-${version}-x86_64.AppImage`,
      deb: `hotelmate-kiosk_${version}_amd64.deb`,
      installDir: '/opt/HotelMate Kiosk',
      executable: '/opt/HotelMate Kiosk/hotelmate-kiosk',
      command: '/usr/bin/hotelmate-kiosk',
      desktopEntry: '/usr/share/applications/hotelmate-kiosk.desktop',
    });
    for (const text of Object.values(linux)) expect(guide, text).toContain(generic(text));
  });

  it('macOS: the .dmg and the app bundle name', async () => {
    const { mac } = installedLayout(await loadBuilderConfig());
    expect(mac.app).toBe('/Applications/hotelmate-kiosk.app');
    expect(guide).toContain(generic(mac.dmg));
  });
});
