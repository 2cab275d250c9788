/**
 * Runs the real afterPack hook (build/after-pack.cjs) against a stand-in Electron binary that carries
 * a genuine fuse wire (sentinel + version + states, as Electron embeds it), then reads the wire back
 * with @electron/fuses: proves the hardening fuses are actually flipped in what gets shipped, and
 * that a package without its third-party notices and ffmpeg source offer is refused.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot } from './builder-config';

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron's defaults: RunAsNode on, cookie encryption off, NODE_OPTIONS on, --inspect on,
// asar integrity off, only-asar off, browser V8 snapshot off, file:// privileges on, wasm traps on.
const DEFAULT_WIRE = '101100011';

type AfterPack = ((context: unknown) => Promise<void>) & { fuseSettings(platform: string): Record<string, boolean | undefined>; REQUIRED_NOTICES: string[] };
const afterPack = createRequire(__filename)(path.join(repoRoot, 'build/after-pack.cjs')) as AfterPack;

function fakeElectron(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const wire = Buffer.from([1, DEFAULT_WIRE.length, ...Buffer.from(DEFAULT_WIRE, 'ascii')]);
  fs.writeFileSync(file, Buffer.concat([Buffer.alloc(4096, 0x90), Buffer.from(SENTINEL, 'ascii'), wire, Buffer.alloc(4096, 0x90)]));
}

/** Writes the notices `npm run notices` puts into the package (resources/app.asar.unpacked/...). */
function packNotices(appOutDir: string, skip: string[] = []): void {
  for (const rel of afterPack.REQUIRED_NOTICES.filter((r) => !skip.includes(r))) {
    const file = path.join(appOutDir, 'resources', 'app.asar.unpacked', rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'notice text');
  }
}

// electron-builder's names for this config (executableName: hotelmate-kiosk; tests/build/installed-layout.test.ts).
const packager = { executableName: 'hotelmate-kiosk', appInfo: { productFilename: 'hotelmate-kiosk' } };

describe('afterPack fuses', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fuses-'));
    packNotices(dir);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const flipAndRead = async (platform: 'linux' | 'win32', binaryName: string) => {
    const binary = path.join(dir, binaryName);
    fakeElectron(binary);
    await afterPack({
      appOutDir: dir,
      electronPlatformName: platform,
      arch: 1,
      packager,
    });
    return getCurrentFuseWire(binary);
  };

  it('Linux: RunAsNode, NODE_OPTIONS and --inspect off; cookie encryption and only-asar on; the rest untouched', async () => {
    const wire = await flipAndRead('linux', 'hotelmate-kiosk');
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
    // asar integrity is not supported on Linux: left as Electron ships it
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.ENABLE);
  });

  it('Windows: the .exe is found by its file name and asar integrity validation is switched on', async () => {
    const wire = await flipAndRead('win32', 'hotelmate-kiosk.exe');
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
  });

  it('fails the build (rejects) when the binary has no fuse wire, instead of shipping unhardened', async () => {
    fs.writeFileSync(path.join(dir, 'hotelmate-kiosk'), Buffer.alloc(1024));
    await expect(
      afterPack({ appOutDir: dir, electronPlatformName: 'linux', packager }),
    ).rejects.toThrow(/sentinel/);
  });

  it('refuses a package without the notices or the ffmpeg source offer, before touching the binary', async () => {
    const binary = path.join(dir, 'hotelmate-kiosk');
    fakeElectron(binary);
    const before = fs.readFileSync(binary);
    fs.rmSync(path.join(dir, 'resources'), { recursive: true });
    packNotices(dir, ['resources/notices/ffmpeg/SOURCE-OFFER.txt']);
    await expect(afterPack({ appOutDir: dir, electronPlatformName: 'linux', packager })).rejects.toThrow(/no resources\/notices\/ffmpeg\/SOURCE-OFFER\.txt: run `npm run notices`/);
    expect(fs.readFileSync(binary).equals(before)).toBe(true);
    fs.rmSync(path.join(dir, 'resources'), { recursive: true });
    await expect(afterPack({ appOutDir: dir, electronPlatformName: 'linux', packager })).rejects.toThrow(/THIRD-PARTY-NOTICES\.txt/);
  });
});
