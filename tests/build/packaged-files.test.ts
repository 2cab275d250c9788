/**
 * Proves the package is complete without building it: every runtime file the app loads through the
 * path helper (src/main/platform/paths.ts) — preload, renderer, face worker, ffmpeg, native addons,
 * every model in models/manifest.json, icon, autostart entry, the resources/ folder (punch sound,
 * third-party notices, ffmpeg licence and source offer) — is selected by electron-builder.yml,
 * unpacked from the archive when it must be a real file, or produced by extraResources, for Linux,
 * Windows and macOS, as judged by electron-builder's own file matchers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AppPaths, createAppPaths } from '../../src/main/platform/paths';
import { type TargetPlatform, loadBuilderConfig, packagingMatchers, repoRoot } from './builder-config';

const ABI = '145';

interface Asset {
  name: string;
  packaged: string;
  dev: string;
}

function assets(packaged: AppPaths, dev: AppPaths, models: string[]): Asset[] {
  const keys = [
    'preload',
    'rendererIndexHtml',
    'faceWorker',
    'ffmpegBinary',
    'onnxRuntimeBinding',
    'betterSqliteBinding',
    'icon',
    'linuxDesktopEntry',
    'punchSound',
    'thirdPartyNotices',
    'ffmpegLicence',
    'ffmpegSourceOffer',
  ] as const;
  const list: Asset[] = keys.map((key) => ({ name: key, packaged: packaged[key] as string, dev: dev[key] as string }));
  for (const model of ['manifest.json', ...models]) list.push({ name: `model ${model}`, packaged: packaged.modelFile(model), dev: dev.modelFile(model) });
  return list;
}

type Placement = { where: 'asar' | 'unpacked' | 'resources'; rel: string };

function placement(file: string, resourcesPath: string, p: typeof path.posix): Placement {
  const asar = p.join(resourcesPath, 'app.asar') + p.sep;
  const unpacked = p.join(resourcesPath, 'app.asar.unpacked') + p.sep;
  const toPosix = (s: string): string => s.split(p.sep).join('/');
  if (file.startsWith(unpacked)) return { where: 'unpacked', rel: toPosix(file.slice(unpacked.length)) };
  if (file.startsWith(asar)) return { where: 'asar', rel: toPosix(file.slice(asar.length)) };
  if (file.startsWith(resourcesPath + p.sep)) return { where: 'resources', rel: toPosix(file.slice(resourcesPath.length + 1)) };
  throw new Error(`${file} is outside the package`);
}

const models = Object.keys((JSON.parse(fs.readFileSync(path.join(repoRoot, 'models/manifest.json'), 'utf8')) as { files: Record<string, unknown> }).files);

const targets: { platform: TargetPlatform; resources: string; p: typeof path.posix }[] = [
  // where electron-builder installs it (tests/build/installed-layout.test.ts)
  { platform: 'linux', resources: '/opt/HotelMate Kiosk/resources', p: path.posix },
  { platform: 'win32', resources: 'C:\\Program Files\\hotelmate-kiosk\\resources', p: path.win32 },
  { platform: 'darwin', resources: '/Applications/hotelmate-kiosk.app/Contents/Resources', p: path.posix },
];

/** Development paths for the same platform, with the repo root in posix form for comparison. */
function devRel(dev: string): string {
  return path.posix.relative(repoRoot, dev);
}

describe('packaged file list', () => {
  it('models/manifest.json lists the models the face service loads', () => {
    expect(models.length).toBeGreaterThan(0);
    for (const model of models) expect(model).toMatch(/\.(onnx|tflite|json|bin)$/);
  });

  for (const target of targets) {
    it(`${target.platform}: every runtime asset is packaged where the path helper looks for it`, async () => {
      const config = await loadBuilderConfig();
      const match = packagingMatchers(config, target.platform);
      const packaged = createAppPaths({ isPackaged: true, appRoot: target.p.join(target.resources, 'app.asar'), resourcesPath: target.resources, platform: target.platform, arch: 'x64', electronAbi: ABI });
      // Development layout for the same platform (posix separators; the repo is the app root).
      const dev = createAppPaths({ isPackaged: false, appRoot: repoRoot, resourcesPath: '/unused', platform: target.platform, arch: 'x64', electronAbi: ABI });
      const problems: string[] = [];
      for (const asset of assets(packaged, dev, models)) {
        const where = placement(asset.packaged, target.resources, target.p);
        const source = devRel(asset.dev.split(path.win32.sep).join('/'));
        if (where.where === 'resources') {
          const from = match.extraResourceSource(where.rel);
          if (from === null) problems.push(`${asset.name}: resources/${where.rel} is produced by no extraResources entry`);
          else if (from !== source) problems.push(`${asset.name}: packaged from ${from} but development loads ${source}`);
          continue;
        }
        if (where.rel !== source) problems.push(`${asset.name}: the package has ${where.rel}, development loads ${source}`);
        if (!match.packs(where.rel)) problems.push(`${asset.name}: ${where.rel} is not selected by files`);
        if (where.where === 'unpacked' && !match.unpacks(where.rel)) problems.push(`${asset.name}: ${where.rel} must be a real file but asarUnpack misses it`);
      }
      expect(problems).toEqual([]);
    });
  }

  it('the checker catches mistakes (no test that cannot fail)', async () => {
    const config = await loadBuilderConfig();
    const linux = packagingMatchers(config, 'linux');
    const withoutModels = packagingMatchers({ ...config, asarUnpack: config.asarUnpack.filter((p) => p !== 'models/**') }, 'linux');
    expect(linux.unpacks('models/face-api-recognition.onnx')).toBe(true);
    expect(withoutModels.unpacks('models/face-api-recognition.onnx')).toBe(false);
    // sources, build scripts, source maps and the Node build of better-sqlite3 stay out
    expect(linux.packs('out/preload/index.js')).toBe(true);
    expect(linux.packs('src/main/index.ts')).toBe(false);
    expect(linux.packs('build/generate-icons.ts')).toBe(false);
    expect(linux.packs('out/main/index.js.map')).toBe(false);
    expect(linux.packs('node_modules/better-sqlite3/build/Release/better_sqlite3.node')).toBe(false);
    expect(linux.packs('node_modules/better-sqlite3/lib/database.js')).toBe(true);
    // only the build machine's onnxruntime binaries
    expect(linux.packs('node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node')).toBe(true);
    expect(linux.packs('node_modules/onnxruntime-node/bin/napi-v6/win32/x64/onnxruntime_binding.node')).toBe(false);
    expect(linux.extraResourceSource('native/electron-145/better_sqlite3.node')).toBe('build/native/electron-145/better_sqlite3.node');
    expect(linux.extraResourceSource('native/electron-145/obj/x.o')).toBeNull();
    // the notices and the ffmpeg source offer are real files in the install folder, and only because of resources/**
    const withoutResources = packagingMatchers({ ...config, asarUnpack: config.asarUnpack.filter((p) => p !== 'resources/**') }, 'linux');
    expect(linux.unpacks('resources/notices/ffmpeg/SOURCE-OFFER.txt')).toBe(true);
    expect(withoutResources.unpacks('resources/notices/ffmpeg/SOURCE-OFFER.txt')).toBe(false);
  });

  it('only the shell reads process.resourcesPath: everything else goes through the path helper', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.tsx?$/.test(entry.name) && fs.readFileSync(full, 'utf8').includes('process.resourcesPath')) offenders.push(path.relative(repoRoot, full).split(path.sep).join('/'));
      }
    };
    walk(path.join(repoRoot, 'src'));
    expect(offenders.filter((f) => !/^src\/main\/(index\.ts|window\.ts|shell\/|platform\/)/.test(f))).toEqual([]);
  });
});

/** Relative imports of a TypeScript module, resolved to files, and its bare (package) imports. */
function importsOf(file: string): { local: string[]; packages: string[] } {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/^\s*import\s+(?!type\b)[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1] as string);
  const local: string[] = [];
  const packages: string[] = [];
  for (const spec of specs) {
    if (spec.startsWith('node:')) continue;
    if (spec.startsWith('.')) {
      const base = path.resolve(path.dirname(file), spec);
      const found = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
      if (found) local.push(found);
    } else {
      packages.push(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string));
    }
  }
  return { local, packages };
}

/** Packages a package's runtime JavaScript requires (its main file's folder, scanned for require/import). */
function runtimeRequires(pkg: string): string[] {
  const dir = path.join(repoRoot, 'node_modules', pkg);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { main?: string };
  const mainDir = path.dirname(path.join(dir, manifest.main ?? 'index.js'));
  const found = new Set<string>();
  for (const name of fs.readdirSync(mainDir)) {
    if (!/\.(c?js)$/.test(name)) continue;
    const text = fs.readFileSync(path.join(mainDir, name), 'utf8');
    for (const m of text.matchAll(/require\(["']([^"'./][^"']*)["']\)/g)) {
      const spec = m[1] as string;
      if (spec.startsWith('node:') || ['worker_threads', 'fs', 'path', 'os', 'util', 'events', 'crypto', 'module', 'url', 'child_process'].includes(spec)) continue;
      found.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string));
    }
  }
  return [...found];
}

describe('the unpacked face worker can load its packages', () => {
  it('every package the worker needs at run time (and what those require) is unpacked with its package.json and code', async () => {
    const config = await loadBuilderConfig();
    const match = packagingMatchers(config, 'linux');
    const seen = new Set<string>();
    const packages = new Set<string>();
    const queue = [path.join(repoRoot, 'src/main/face/worker/face-worker.ts')];
    while (queue.length > 0) {
      const file = queue.pop() as string;
      if (seen.has(file)) continue;
      seen.add(file);
      const { local, packages: bare } = importsOf(file);
      queue.push(...local);
      bare.forEach((p) => packages.add(p));
    }
    for (const pkg of [...packages]) runtimeRequires(pkg).forEach((p) => packages.add(p));
    expect([...packages]).toContain('onnxruntime-node');
    const problems: string[] = [];
    for (const pkg of packages) {
      const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules', pkg, 'package.json'), 'utf8')) as { main?: string };
      for (const rel of [`node_modules/${pkg}/package.json`, path.posix.join(`node_modules/${pkg}`, manifest.main ?? 'index.js')]) {
        if (!match.packs(rel)) problems.push(`${rel} is not packaged`);
        if (!match.unpacks(rel)) problems.push(`${rel} is not unpacked, so the unpacked worker cannot require ${pkg}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
