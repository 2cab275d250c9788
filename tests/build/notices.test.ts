/**
 * The third-party notices `npm run notices` writes (a step of `npm run dist`), built from the real
 * node_modules and the real ffmpeg binary: every production package npm itself lists is named with
 * its version, the models, Electron/Chromium and ffmpeg are there with their licences, the source
 * offer names the exact ffmpeg build, and the script refuses what must not ship.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RELATIVE } from '../../src/main/platform/paths';
import { NOTICE_FILES, buildNotices, productionPackages } from '../../scripts/notices/build-notices';
import { REVIEWED_FFMPEG_BUILDS, checkShippedFfmpeg, readFfmpegBinaryInfo } from '../../scripts/notices/ffmpeg-builds';
import { repoRoot } from './builder-config';

const LINUX_FFMPEG = path.join(repoRoot, 'node_modules/@ffmpeg-installer/linux-x64/ffmpeg');

/** `name@version` of every package in `npm ls --omit=dev --all` (npm's own idea of what ships). */
function npmProductionPackages(): Set<string> {
  type Tree = { version?: string; missing?: boolean; dependencies?: Record<string, Tree> };
  const tree = JSON.parse(execFileSync('npm', ['ls', '--omit=dev', '--all', '--json'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as Tree;
  const found = new Set<string>();
  const walk = (node: Tree): void => {
    for (const [name, child] of Object.entries(node.dependencies ?? {})) {
      if (child.missing || !child.version) continue;
      found.add(`${name}@${child.version}`);
      walk(child);
    }
  };
  walk(tree);
  return found;
}

/** Bare package imports in src/ (what the bundles and the packaged main process load). */
function packagesImportedBySource(): Set<string> {
  const found = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.tsx?$/.test(entry.name)) {
        const text = fs.readFileSync(full, 'utf8');
        for (const match of text.matchAll(/^\s*import\s+(?!type\b)[^'"]*['"]([^'".][^'"]*)['"]/gm)) {
          const spec = match[1] as string;
          if (spec.startsWith('node:')) continue;
          found.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string));
        }
      }
    }
  };
  walk(path.join(repoRoot, 'src'));
  return found;
}

describe('third-party notices (npm run notices)', () => {
  let out: string;
  let notices: string;
  let offer: string;
  let warnings: string[];
  beforeAll(async () => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'notices-'));
    warnings = [];
    await buildNotices({ repoRoot, outDir: out, warn: (message) => warnings.push(message) });
    const read = (rel: string): string => fs.readFileSync(path.join(out, path.posix.relative('resources/notices', rel)), 'utf8');
    notices = read(NOTICE_FILES.notices);
    offer = read(NOTICE_FILES.ffmpegSourceOffer);
  }, 180_000);
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it('names every production dependency npm lists, with its version', () => {
    const expected = npmProductionPackages();
    expect(expected.size).toBeGreaterThan(50);
    const missing = [...expected].filter((id) => !notices.includes(`\n - ${id}\n`));
    expect(missing).toEqual([]);
    // the script's own completeness check agrees with npm
    expect([...productionPackages(repoRoot)].sort()).toEqual([...expected].sort());
  });

  it('everything the source imports is a production dependency, so code bundled into out/ is covered too', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const builtins = new Set(createRequire(__filename)('node:module').builtinModules as string[]);
    const notShipped = [...packagesImportedBySource()].filter((name) => name !== 'electron' && !builtins.has(name) && !(name in manifest.dependencies));
    expect(notShipped).toEqual([]);
  });

  it('covers the face models, the libraries that run them, Electron and Chromium, each with its licence', () => {
    for (const [what, licence] of [
      ['face-api.js', 'MIT'],
      ['BlazeFace', 'Apache-2.0'],
      ['MediaPipe Tasks Vision', 'Apache-2.0'],
      ['ONNX Runtime', 'MIT'],
      ['MiniFASNet', 'Apache-2.0'],
    ]) {
      expect(notices).toMatch(new RegExp(`- [^\\n]*${what}[^\\n]*\\n(    .*\\n)*    licence:  ${licence}\\n`));
    }
    expect(notices).toContain('Copyright (c) Microsoft Corporation');
    expect(notices).toContain('Apache License\n                           Version 2.0, January 2004');
    expect(notices).toContain('Copyright (c) Electron contributors');
    expect(notices).toContain('LICENSES.chromium.html');
    // no package is reduced to a bare SPDX id without its text
    const bare = /\n - (.+)\n\nThis package contains the following license:\n\n([\w.+-]+)\n/.exec(notices);
    expect(bare?.slice(1, 3) ?? null).toBeNull();
  });

  it('ships the GPLv3 text and a written offer naming the exact ffmpeg build with its sha256', () => {
    const gpl = fs.readFileSync(path.join(out, 'ffmpeg', 'COPYING.GPLv3'), 'utf8');
    expect(gpl).toContain('GNU GENERAL PUBLIC LICENSE\n                       Version 3, 29 June 2007');
    const sha = crypto.createHash('sha256').update(fs.readFileSync(LINUX_FFMPEG)).digest('hex');
    expect(offer).toContain(`sha256:                 ${sha}`);
    expect(offer).toContain('@ffmpeg-installer/linux-x64 4.1.0');
    expect(offer).toContain('N-47683-g0e8eb07980-static (FFmpeg git commit 0e8eb07980)');
    expect(offer).toMatch(/configuration: +--enable-gpl --enable-version3 .*--enable-libx264/);
    expect(offer).toMatch(/Written offer\n\nFor at least three years/);
    expect(notices).toContain('@ffmpeg-installer/linux-x64 4.1.0: ffmpeg N-47683-g0e8eb07980-static (GPL version 3 or later)');
    // the contact in electron-builder.yml is still a placeholder: the build says so
    expect(warnings.join('\n')).toMatch(/support@hotelmate\.example.*placeholder/);
  });

  it('writes exactly the files the path helper and the afterPack check expect', () => {
    const afterPack = createRequire(__filename)(path.join(repoRoot, 'build/after-pack.cjs')) as { REQUIRED_NOTICES: string[] };
    expect(afterPack.REQUIRED_NOTICES).toEqual([RELATIVE.thirdPartyNotices, RELATIVE.ffmpegLicence, RELATIVE.ffmpegSourceOffer]);
    for (const rel of afterPack.REQUIRED_NOTICES) expect(fs.statSync(path.join(out, path.posix.relative('resources/notices', rel))).size).toBeGreaterThan(1000);
  });
});

describe('ffmpeg licence checks', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ffmpeg-pkg-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A stand-in platform package whose "binary" embeds the strings a real FFmpeg build carries. */
  function fakePackage(name: string, version: string, strings: { version: string; licence: string; configuration: string }): string {
    const pkg = path.join(dir, name.replace('/', '__'), version);
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name, version }));
    const nul = Buffer.from([0]);
    const parts = [`FFmpeg version ${strings.version}`, `libavutil license: ${strings.licence}`, strings.configuration].map((s) => Buffer.concat([Buffer.from(s, 'latin1'), nul]));
    fs.writeFileSync(path.join(pkg, 'ffmpeg'), Buffer.concat([Buffer.alloc(64, 0x90), nul, ...parts, Buffer.alloc(64, 0x90)]));
    return pkg;
  }

  it('reads version, licence and configure line from the real linux binary', () => {
    const info = readFfmpegBinaryInfo(fs.readFileSync(LINUX_FFMPEG));
    expect(info).toMatchObject({ version: 'N-47683-g0e8eb07980-static', licence: 'GPL version 3 or later' });
    expect(info.configuration.split(' ')).toEqual(expect.arrayContaining(['--enable-gpl', '--enable-version3', '--enable-libx264']));
    expect(checkShippedFfmpeg(path.dirname(LINUX_FFMPEG)).appRelativePath).toBe('node_modules/@ffmpeg-installer/linux-x64/ffmpeg');
    expect(() => readFfmpegBinaryInfo(fs.readFileSync(path.join(repoRoot, 'package.json')))).toThrow(/not an FFmpeg executable/);
  });

  it('refuses the nonfree darwin-arm64 build, an unreviewed package, a changed binary and a nonfree binary', () => {
    const gpl = { version: 'N-1-gabc', licence: 'GPL version 3 or later', configuration: '--enable-gpl --enable-version3 --enable-libx264' };
    expect(() => checkShippedFfmpeg(fakePackage('@ffmpeg-installer/darwin-arm64', '4.1.5', gpl))).toThrow(/cannot be shipped: .*--enable-nonfree/);
    expect(() => checkShippedFfmpeg(fakePackage('@ffmpeg-installer/linux-x64', '9.9.9', gpl))).toThrow(/has not been reviewed/);
    expect(() => checkShippedFfmpeg(fakePackage('@ffmpeg-installer/linux-x64', '4.1.0', gpl))).toThrow(/contains ffmpeg N-1-gabc, but the reviewed build is N-47683/);
    const reviewed = [{ ...REVIEWED_FFMPEG_BUILDS[0]!, ffmpegVersion: 'N-1-gabc' }];
    const nonfree = { ...gpl, licence: 'nonfree and unredistributable', configuration: `${gpl.configuration} --enable-nonfree` };
    expect(() => checkShippedFfmpeg(fakePackage('@ffmpeg-installer/linux-x64', '4.1.0', nonfree), reviewed)).toThrow(/nonfree and unredistributable/);
    const lgpl = { ...gpl, licence: 'LGPL version 2.1 or later', configuration: '--disable-gpl --enable-shared --enable-pic' };
    expect(() => checkShippedFfmpeg(fakePackage('@ffmpeg-installer/linux-x64', '4.1.0', lgpl), reviewed)).toThrow(/source offer are for GPL version 3/);
    expect(checkShippedFfmpeg(fakePackage('@ffmpeg-installer/linux-x64', '4.1.0', gpl), reviewed).info.version).toBe('N-1-gabc');
  });

  it('refuses a model in models/manifest.json that no notice covers', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'notices-root-'));
    try {
      fs.copyFileSync(path.join(repoRoot, 'package.json'), path.join(root, 'package.json'));
      fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'));
      fs.mkdirSync(path.join(root, 'models'));
      const manifest = { files: { 'mystery.onnx': { source: 'somewhere on the internet', licence: '?' } } };
      fs.writeFileSync(path.join(root, 'models', 'manifest.json'), JSON.stringify(manifest));
      await expect(buildNotices({ repoRoot: root, outDir: path.join(root, 'out') })).rejects.toThrow(/mystery\.onnx \(source "somewhere on the internet"\), which no notice covers/);
      expect(fs.existsSync(path.join(root, 'out'))).toBe(false);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('npm run dist', () => {
  it('checks Node first and writes the notices before electron-builder packs them', () => {
    const scripts = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const steps = (scripts.dist ?? '').split('&&').map((step) => step.trim());
    expect(steps[0]).toMatch(/^tsx scripts\/require-node\.ts/);
    const notices = steps.findIndex((step) => step === 'npm run notices');
    const builder = steps.findIndex((step) => step.startsWith('electron-builder'));
    expect(notices).toBeGreaterThan(0);
    expect(builder).toBeGreaterThan(notices);
    expect(scripts.notices).toBe('tsx scripts/notices/build-notices.ts');
  });
});
