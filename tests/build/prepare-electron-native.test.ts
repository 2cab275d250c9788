/**
 * The native-module preparation script on a throw-away repo layout, with the download/compile step
 * replaced by a runner that behaves like prebuild-install / node-gyp (this machine has no internet):
 * proves the build lands in build/native/electron-<abi>, node_modules' Node build is untouched, a
 * second run skips, and failures exit 0 for development but 1 for packaging.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Runner, electronAbi, prepareElectronNative } from '../../scripts/native/prepare-electron-native';
import { repoRoot } from './builder-config';

const hash = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('prepare-electron-native', () => {
  let root: string;
  let nodeBuild: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'native-'));
    const modules = path.join(root, 'node_modules');
    fs.mkdirSync(path.join(modules, 'better-sqlite3', 'build', 'Release'), { recursive: true });
    fs.mkdirSync(path.join(modules, 'better-sqlite3', 'src'), { recursive: true });
    fs.mkdirSync(path.join(modules, 'electron'), { recursive: true });
    fs.writeFileSync(path.join(modules, 'better-sqlite3', 'package.json'), JSON.stringify({ name: 'better-sqlite3', version: '12.11.1' }));
    fs.writeFileSync(path.join(modules, 'better-sqlite3', 'binding.gyp'), '{}');
    fs.writeFileSync(path.join(modules, 'better-sqlite3', 'src', 'better_sqlite3.cpp'), '// source');
    nodeBuild = path.join(modules, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    fs.writeFileSync(nodeBuild, 'NODE-ABI-115 build');
    fs.writeFileSync(path.join(modules, 'electron', 'package.json'), JSON.stringify({ name: 'electron', version: '41.7.1' }));
    fs.writeFileSync(path.join(root, 'package.json'), '{}');
    // node-abi resolves from the project; use the real one
    fs.symlinkSync(path.join(repoRoot, 'node_modules', 'node-abi'), path.join(modules, 'node-abi'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const abi = electronAbi(repoRoot, '41.7.1');
  const target = (): string => path.join(root, 'build', 'native', `electron-${abi}`, 'better_sqlite3.node');

  /** Behaves like a successful prebuild-install: writes build/Release/better_sqlite3.node in its cwd. */
  const prebuildWorks: Runner = async (command, args, { cwd }) => {
    if (!command.endsWith('prebuild-install')) return { code: 1, output: 'not reached' };
    expect(args).toEqual(expect.arrayContaining(['--runtime', 'electron', '--target', '41.7.1']));
    expect(fs.existsSync(path.join(cwd, 'build'))).toBe(false); // the copy starts without the Node build
    fs.mkdirSync(path.join(cwd, 'build', 'Release'), { recursive: true });
    fs.writeFileSync(path.join(cwd, 'build', 'Release', 'better_sqlite3.node'), `ELECTRON-ABI-${abi} build`);
    return { code: 0, output: 'prebuild-install info install Successfully installed prebuilt binary!' };
  };
  const offline: Runner = async (command) => ({ code: 1, output: `${path.basename(command)} ERR! getaddrinfo ENOTFOUND github.com` });

  it('Electron 41.7.1 is ABI 145', () => {
    expect(abi).toBe('145');
  });

  it('puts the Electron build in build/native/electron-<abi> and leaves the Node build in node_modules alone', async () => {
    const before = hash(nodeBuild);
    const result = await prepareElectronNative({ repoRoot: root, forPackage: true, run: prebuildWorks, log: () => undefined });
    expect(result).toMatchObject({ status: 'built', exitCode: 0, abi });
    expect(fs.readFileSync(target(), 'utf8')).toBe(`ELECTRON-ABI-${abi} build`);
    expect(hash(nodeBuild)).toBe(before);
    const stamp = JSON.parse(fs.readFileSync(path.join(path.dirname(target()), 'stamp.json'), 'utf8')) as Record<string, string>;
    expect(stamp).toMatchObject({ electron: '41.7.1', abi, betterSqlite3: '12.11.1', method: 'prebuild-install' });
  });

  it('skips when already built, rebuilds when better-sqlite3 changes or the file was tampered with', async () => {
    await prepareElectronNative({ repoRoot: root, forPackage: false, run: prebuildWorks, log: () => undefined });
    let calls = 0;
    const counting: Runner = async (...args) => {
      calls += 1;
      return prebuildWorks(...args);
    };
    expect((await prepareElectronNative({ repoRoot: root, forPackage: false, run: counting, log: () => undefined })).status).toBe('skipped');
    expect(calls).toBe(0);
    fs.writeFileSync(target(), 'truncated');
    expect((await prepareElectronNative({ repoRoot: root, forPackage: false, run: counting, log: () => undefined })).status).toBe('built');
    fs.writeFileSync(path.join(root, 'node_modules', 'better-sqlite3', 'package.json'), JSON.stringify({ name: 'better-sqlite3', version: '12.12.0' }));
    expect((await prepareElectronNative({ repoRoot: root, forPackage: false, run: counting, log: () => undefined })).status).toBe('built');
    expect(calls).toBe(2);
  });

  it('falls back to node-gyp against Electron headers when no prebuilt binary exists', async () => {
    const gypOnly: Runner = async (command, args, { cwd }) => {
      if (command.endsWith('prebuild-install')) return { code: 1, output: 'prebuild-install warn install No prebuilt binaries found' };
      expect(args).toEqual(expect.arrayContaining(['rebuild', '--target=41.7.1', '--dist-url=https://electronjs.org/headers']));
      fs.mkdirSync(path.join(cwd, 'build', 'Release'), { recursive: true });
      fs.writeFileSync(path.join(cwd, 'build', 'Release', 'better_sqlite3.node'), 'compiled');
      return { code: 0, output: 'gyp info ok' };
    };
    const result = await prepareElectronNative({ repoRoot: root, forPackage: true, run: gypOnly, log: () => undefined });
    expect(result.status).toBe('built');
    expect(fs.readFileSync(target(), 'utf8')).toBe('compiled');
  });

  it('offline: a clear message, exit 0 for development and 1 for packaging, nothing half-written', async () => {
    const lines: string[] = [];
    const dev = await prepareElectronNative({ repoRoot: root, forPackage: false, run: offline, log: (l) => lines.push(l) });
    expect(dev).toMatchObject({ status: 'failed', exitCode: 0 });
    expect(dev.message).toMatch(/prebuild-install exited with 1: .*ENOTFOUND/);
    expect(dev.message).toMatch(/Tests and `npm run dev:web` do not need it/);
    const pkg = await prepareElectronNative({ repoRoot: root, forPackage: true, run: offline, log: () => undefined });
    expect(pkg).toMatchObject({ status: 'failed', exitCode: 1 });
    expect(pkg.message).toMatch(/HOTELMATE_ELECTRON_SQLITE_BINDING/);
    expect(fs.existsSync(target())).toBe(false);
    expect(lines.join('\n')).toMatch(/Could not build better-sqlite3 for Electron 41\.7\.1 \(ABI 145\)/);
  });

  it('HOTELMATE_NATIVE_OFFLINE=1 makes no download or compile attempt at all', async () => {
    let calls = 0;
    const result = await prepareElectronNative({ repoRoot: root, forPackage: false, env: { HOTELMATE_NATIVE_OFFLINE: '1' }, run: async () => ((calls += 1), { code: 0, output: '' }), log: () => undefined });
    expect(result).toMatchObject({ status: 'failed', exitCode: 0 });
    expect(calls).toBe(0);
  });

  it('offline build machines can hand in a binary built elsewhere', async () => {
    const supplied = path.join(root, 'from-usb.node');
    fs.writeFileSync(supplied, 'built on another machine');
    const result = await prepareElectronNative({ repoRoot: root, forPackage: true, run: offline, env: { HOTELMATE_ELECTRON_SQLITE_BINDING: supplied }, log: () => undefined });
    expect(result).toMatchObject({ status: 'copied', exitCode: 0 });
    expect(fs.readFileSync(target(), 'utf8')).toBe('built on another machine');
  });
});
