import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAppPaths, toUnpackedPath } from '../../../src/main/platform/paths';

const repoRoot = path.resolve(__dirname, '../../..');

describe('path helper', () => {
  it('development: everything resolves inside the repo, and the files that exist without a build are there', () => {
    const paths = createAppPaths({ isPackaged: false, appRoot: repoRoot, resourcesPath: '/unused', platform: process.platform });
    expect(paths.ffmpegBinary).toBe(path.join(repoRoot, 'node_modules/@ffmpeg-installer', `${process.platform}-${process.arch}`, 'ffmpeg'));
    expect(fs.existsSync(paths.ffmpegBinary)).toBe(true);
    expect(fs.existsSync(paths.onnxRuntimeBinding)).toBe(true);
    expect(paths.modelsDir).toBe(path.join(repoRoot, 'models'));
    expect(paths.preload).toBe(path.join(repoRoot, 'out/preload/index.js'));
    expect(paths.rendererIndexHtml).toBe(path.join(repoRoot, 'out/renderer/index.html'));
    expect(paths.faceWorker).toBe(path.join(repoRoot, 'out/main/face-worker.js'));
    expect(fs.existsSync(paths.linuxDesktopEntry)).toBe(true);
    // runtime resources come from resources/ in the repo; the chime is committed, the notices are built by npm run notices
    expect(paths.resourcesDir).toBe(path.join(repoRoot, 'resources'));
    expect(paths.punchSound).toBe(path.join(repoRoot, 'resources/sounds/punch.wav'));
    expect(fs.existsSync(paths.punchSound)).toBe(true);
    expect(paths.thirdPartyNotices).toBe(path.join(repoRoot, 'resources/notices/THIRD-PARTY-NOTICES.txt'));
    expect(paths.ffmpegSourceOffer).toBe(path.join(repoRoot, 'resources/notices/ffmpeg/SOURCE-OFFER.txt'));
    // under plain Node the default better-sqlite3 build is the right one
    expect(paths.betterSqliteBinding).toBeUndefined();
  });

  it('development under Electron: better-sqlite3 comes from the Electron-ABI build folder', () => {
    const paths = createAppPaths({ isPackaged: false, appRoot: repoRoot, resourcesPath: '/unused', platform: 'linux', electronAbi: '145' });
    expect(paths.betterSqliteBinding).toBe(path.join(repoRoot, 'build/native/electron-145/better_sqlite3.node'));
  });

  it('packaged on Linux: code from app.asar, binaries and models from app.asar.unpacked, native addon from resources', () => {
    const res = '/opt/HotelMate Kiosk/resources';
    const paths = createAppPaths({ isPackaged: true, appRoot: `${res}/app.asar`, resourcesPath: res, platform: 'linux', arch: 'x64', electronAbi: '145', exeDir: '/opt/HotelMate Kiosk' });
    expect(paths.preload).toBe(`${res}/app.asar/out/preload/index.js`);
    expect(paths.rendererIndexHtml).toBe(`${res}/app.asar/out/renderer/index.html`);
    expect(paths.ffmpegBinary).toBe(`${res}/app.asar.unpacked/node_modules/@ffmpeg-installer/linux-x64/ffmpeg`);
    expect(paths.modelsDir).toBe(`${res}/app.asar.unpacked/models`);
    expect(paths.modelFile('manifest.json')).toBe(`${res}/app.asar.unpacked/models/manifest.json`);
    expect(paths.faceWorker).toBe(`${res}/app.asar.unpacked/out/main/face-worker.js`);
    expect(paths.onnxRuntimeBinding).toBe(`${res}/app.asar.unpacked/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node`);
    expect(paths.betterSqliteBinding).toBe(`${res}/native/electron-145/better_sqlite3.node`);
    expect(paths.linuxDesktopEntry).toBe(`${res}/linux/hotelmate-kiosk.desktop`);
    expect(paths.resourcesDir).toBe(`${res}/app.asar.unpacked/resources`);
    expect(paths.punchSound).toBe(`${res}/app.asar.unpacked/resources/sounds/punch.wav`);
    expect(paths.thirdPartyNotices).toBe(`${res}/app.asar.unpacked/resources/notices/THIRD-PARTY-NOTICES.txt`);
    expect(paths.ffmpegLicence).toBe(`${res}/app.asar.unpacked/resources/notices/ffmpeg/COPYING.GPLv3`);
    expect(paths.exeConfigFile).toBe('/opt/HotelMate Kiosk/hotelmate-kiosk.json');
  });

  it('packaged on Windows: backslash paths and ffmpeg.exe', () => {
    const res = 'C:\\Program Files\\HotelMate Kiosk\\resources';
    const paths = createAppPaths({ isPackaged: true, appRoot: `${res}\\app.asar`, resourcesPath: res, platform: 'win32', arch: 'x64', electronAbi: '145' });
    expect(paths.ffmpegBinary).toBe(`${res}\\app.asar.unpacked\\node_modules\\@ffmpeg-installer\\win32-x64\\ffmpeg.exe`);
    expect(paths.preload).toBe(`${res}\\app.asar\\out\\preload\\index.js`);
    expect(paths.betterSqliteBinding).toBe(`${res}\\native\\electron-145\\better_sqlite3.node`);
    expect(paths.punchSound).toBe(`${res}\\app.asar.unpacked\\resources\\sounds\\punch.wav`);
    expect(paths.ffmpegSourceOffer).toBe(`${res}\\app.asar.unpacked\\resources\\notices\\ffmpeg\\SOURCE-OFFER.txt`);
  });

  it('rewrites the app.asar path @ffmpeg-installer reports to the unpacked copy', () => {
    expect(toUnpackedPath('/opt/k/resources/app.asar/node_modules/@ffmpeg-installer/linux-x64/ffmpeg')).toBe(
      '/opt/k/resources/app.asar.unpacked/node_modules/@ffmpeg-installer/linux-x64/ffmpeg',
    );
    expect(toUnpackedPath('C:\\k\\resources\\app.asar\\node_modules\\x.exe')).toBe('C:\\k\\resources\\app.asar.unpacked\\node_modules\\x.exe');
    // already unpacked, or no asar at all: unchanged
    expect(toUnpackedPath('/opt/k/resources/app.asar.unpacked/x')).toBe('/opt/k/resources/app.asar.unpacked/x');
    expect(toUnpackedPath('/home/dev/app.asarx/node_modules/x')).toBe('/home/dev/app.asarx/node_modules/x');
  });

  it('refuses a model name that climbs out of the models folder', () => {
    const paths = createAppPaths({ isPackaged: false, appRoot: repoRoot, resourcesPath: '/unused', platform: 'linux' });
    expect(() => paths.modelFile('../package.json')).toThrow(/leaves the models folder/);
  });
});
