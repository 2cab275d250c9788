import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultAutostartDir, isLinuxAutostartEnabled, quoteExecArg, setLinuxAutostart } from '../../../src/main/platform/autostart';

const template = path.resolve(__dirname, '../../../build/linux/hotelmate-kiosk.desktop');

describe('Linux autostart entry', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autostart-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('installs the shipped entry with the real executable, and removes it when disabled', () => {
    const autostartDir = path.join(dir, 'autostart');
    const file = setLinuxAutostart(true, { templateFile: template, executable: '/opt/HotelMate Kiosk/hotelmate-kiosk', args: ['--data-dir', '/var/lib/hotelmate'], autostartDir });
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toMatch(/^\[Desktop Entry\]/);
    expect(text).toContain('Exec="/opt/HotelMate Kiosk/hotelmate-kiosk" --data-dir /var/lib/hotelmate\n');
    expect(text).toContain('X-GNOME-Autostart-enabled=true');
    expect(text).not.toContain('@EXEC@');
    expect(isLinuxAutostartEnabled(autostartDir)).toBe(true);
    setLinuxAutostart(false, { templateFile: template, executable: 'x', autostartDir });
    expect(isLinuxAutostartEnabled(autostartDir)).toBe(false);
    // disabling twice is fine
    setLinuxAutostart(false, { templateFile: template, executable: 'x', autostartDir });
  });

  it('follows XDG_CONFIG_HOME', () => {
    expect(defaultAutostartDir({ XDG_CONFIG_HOME: '/srv/kiosk/.config' })).toBe('/srv/kiosk/.config/autostart');
    expect(defaultAutostartDir({ XDG_CONFIG_HOME: 'relative' })).toBe(path.join(os.homedir(), '.config', 'autostart'));
  });

  it('quotes Exec arguments per the Desktop Entry spec', () => {
    expect(quoteExecArg('/usr/bin/kiosk')).toBe('/usr/bin/kiosk');
    expect(quoteExecArg('/home/a b/Kiosk.AppImage')).toBe('"/home/a b/Kiosk.AppImage"');
    expect(quoteExecArg('$HOME"x`')).toBe('"\\$HOME\\"x\\`"');
    expect(quoteExecArg('50%')).toBe('50%%');
  });

  it('says clearly when the template is missing', () => {
    expect(() => setLinuxAutostart(true, { templateFile: path.join(dir, 'missing.desktop'), executable: 'x', autostartDir: dir })).toThrow(/autostart template .* is missing/);
  });
});
