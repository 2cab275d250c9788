/**
 * `npm run dev:web` keeps its kiosk data (keys, later the API token) outside the repository unless
 * told otherwise, and `.dev-data/` is git-ignored for anyone who points it back there.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEV_WEB_USAGE, isInside, parseDevWebArgs } from '../../scripts/dev-web-args';
import { repoRoot } from './builder-config';

const home = path.resolve('/home/dev');

describe('dev:web arguments', () => {
  it('defaults the data folder to ~/.hotelmate-kiosk-dev, outside the repository', () => {
    const args = parseDevWebArgs([], {}, home);
    expect(args.dataDir).toBe(path.join(home, '.hotelmate-kiosk-dev'));
    expect(isInside(args.dataDir, repoRoot)).toBe(false);
    expect(args).toMatchObject({ port: 0, camera: undefined, help: false });
  });

  it('--data-dir (both spellings) beats HOTELMATE_DATA_DIR, which beats the default', () => {
    expect(parseDevWebArgs([], { HOTELMATE_DATA_DIR: '/srv/k' }, home).dataDir).toBe(path.resolve('/srv/k'));
    expect(parseDevWebArgs(['--data-dir', '/tmp/a'], { HOTELMATE_DATA_DIR: '/srv/k' }, home).dataDir).toBe(path.resolve('/tmp/a'));
    expect(parseDevWebArgs(['--data-dir=/tmp/b'], {}, home).dataDir).toBe(path.resolve('/tmp/b'));
  });

  it('reads --camera, --port and --help; refuses a bad port with a message', () => {
    expect(parseDevWebArgs(['--camera', 'file:/v.mp4', '--port=5173'], {}, home)).toMatchObject({ camera: 'file:/v.mp4', port: 5173 });
    expect(parseDevWebArgs(['--help'], {}, home).help).toBe(true);
    expect(() => parseDevWebArgs(['--port', 'eighty'], {}, home)).toThrow('--port must be a number from 0 to 65535, not "eighty"');
    expect(DEV_WEB_USAGE).toMatch(/--data-dir <dir>[\s\S]*--camera <device>[\s\S]*--port <n>[\s\S]*Ctrl\+C stops it/);
  });

  it('knows when a folder is inside the repository', () => {
    expect(isInside(path.join(repoRoot, '.dev-data'), repoRoot)).toBe(true);
    expect(isInside(repoRoot, repoRoot)).toBe(true);
    expect(isInside(`${repoRoot}-other`, repoRoot)).toBe(false);
  });

  it('.dev-data/ and the generated notices are git-ignored', () => {
    const ignored = (rel: string): boolean => {
      try {
        execFileSync('git', ['check-ignore', '-q', '--no-index', rel], { cwd: repoRoot });
        return true;
      } catch {
        return false;
      }
    };
    expect(ignored('.dev-data/secrets.json')).toBe(true);
    expect(ignored('resources/notices/THIRD-PARTY-NOTICES.txt')).toBe(true);
    expect(ignored('resources/sounds/punch.wav')).toBe(false);
  });
});
