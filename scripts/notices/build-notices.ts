/**
 * `npm run notices` (also a step of `npm run dist`): writes the third-party notices the installer
 * ships, under resources/notices/ (git-ignored, rebuilt for every package):
 *
 *   THIRD-PARTY-NOTICES.txt   Electron and Chromium, ffmpeg, the face models and the libraries that
 *                             run them, every npm package that ships (generate-license-file, offline
 *                             from node_modules), and the bundler's runtime helpers
 *   ffmpeg/COPYING.GPLv3      the licence of the shipped ffmpeg
 *   ffmpeg/SOURCE-OFFER.txt   the written offer of its source, naming the exact build
 *
 * It refuses (exit 1, with the reason) an ffmpeg nobody reviewed or that may not be redistributed, a
 * model in models/manifest.json with no notice, a package whose licence text cannot be found, and a
 * production package missing from the output. Why these choices: docs/licences.md.
 *
 *   tsx scripts/notices/build-notices.ts [--out <dir>]
 */
import fs from 'node:fs';
import path from 'node:path';
import { getLicenseFileText, getProjectLicenses } from 'generate-license-file';
import { RELATIVE } from '../../src/main/platform/paths';
import { FACE_DETECTION_PACKAGE } from '../models/blazeface-tflite';
import { type ShippedFfmpeg, checkShippedFfmpeg, installedFfmpegPackages, sourceOfferText } from './ffmpeg-builds';

const LICENCES = 'build/notices/licences';

/** The repo-relative files this script writes: the path helper's names, so the app finds them. */
export const NOTICE_FILES = {
  notices: RELATIVE.thirdPartyNotices,
  ffmpegLicence: RELATIVE.ffmpegLicence,
  ffmpegSourceOffer: RELATIVE.ffmpegSourceOffer,
} as const;

/** The folder holding them (wiped and rewritten on every run). */
export const NOTICES_DIR = path.posix.dirname(RELATIVE.thirdPartyNotices);

/**
 * Packages whose own folder has no usable licence text (only an SPDX id, or several licence files):
 * the text to print instead, repo-relative. Keys are npm names, as generate-license-file's `replace`.
 */
export const LICENCE_REPLACEMENTS: Readonly<Record<string, string>> = {
  'onnxruntime-node': `${LICENCES}/MIT-onnxruntime.txt`,
  'onnxruntime-common': `${LICENCES}/MIT-onnxruntime.txt`,
  '@mediapipe/tasks-vision': `${LICENCES}/Apache-2.0.txt`,
  'https-proxy-agent': `${LICENCES}/MIT-tootallnate.txt`,
  'agent-base': `${LICENCES}/MIT-tootallnate.txt`,
  // rc is MIT OR BSD-2-Clause OR Apache-2.0 and ships all three: the kiosk takes it under MIT.
  rc: 'node_modules/rc/LICENSE.MIT',
  // The installer wrapper's JavaScript; the binaries are GPLv3 (their own section and files).
  '@ffmpeg-installer/ffmpeg': `${LICENCES}/LGPL-2.1.txt`,
  '@ffmpeg-installer/linux-x64': `${LICENCES}/GPL-3.0.txt`,
  '@ffmpeg-installer/win32-x64': `${LICENCES}/GPL-3.0.txt`,
  '@ffmpeg-installer/darwin-x64': `${LICENCES}/GPL-3.0.txt`,
};

/** A model (or model runtime) the app ships, and where its licence text comes from. */
export interface ModelSource {
  name: string;
  ships: string;
  /** Where it comes from; `{version:<package>}` is replaced by the installed version. */
  from: string;
  licence: string;
  /** Repo-relative licence text files, first existing one wins. */
  licenceText: string[];
  /** Does a models/manifest.json `source` field name this source? */
  covers(manifestSource: string): boolean;
}

/** The face models and the libraries that run them (issue: every one of them named with its licence). */
export const MODEL_SOURCES: readonly ModelSource[] = [
  {
    name: 'face-api.js face detector, 68-point landmarks and face recognition weights',
    ships: 'models/face-api-*.onnx (the weights converted to ONNX at build time)',
    from: '@vladmandic/face-api {version:@vladmandic/face-api}, weights first published with face-api.js by Vincent Mühler',
    licence: 'MIT',
    licenceText: ['node_modules/@vladmandic/face-api/LICENSE'],
    covers: (source) => source.startsWith('@vladmandic/face-api'),
  },
  {
    name: 'BlazeFace short-range face detector (Google)',
    ships: 'models/blazeface_short_range_meta.tflite (with TFLite metadata added)',
    from: FACE_DETECTION_PACKAGE.replace(/@(?=[^@]*$)/, ' '),
    licence: 'Apache-2.0',
    licenceText: [`${LICENCES}/Apache-2.0.txt`],
    covers: (source) => source.startsWith('@mediapipe/face_detection'),
  },
  {
    name: 'MediaPipe Tasks Vision (Google): the framing guide in the kiosk window, JavaScript and WebAssembly',
    ships: 'out/renderer (bundled) with its vision_wasm_internal.wasm',
    from: '@mediapipe/tasks-vision {version:@mediapipe/tasks-vision}',
    licence: 'Apache-2.0',
    licenceText: [`${LICENCES}/Apache-2.0.txt`],
    covers: () => false,
  },
  {
    name: 'ONNX Runtime (Microsoft): runs the face models in the main process',
    ships: 'node_modules/onnxruntime-node (native library)',
    from: 'onnxruntime-node {version:onnxruntime-node}; its own third-party notices: ThirdPartyNotices.txt in the ONNX Runtime repository',
    licence: 'MIT',
    licenceText: [`${LICENCES}/MIT-onnxruntime.txt`],
    covers: () => false,
  },
  {
    name: 'MiniFASNet face anti-spoofing (liveness) models, Silent-Face-Anti-Spoofing by Minivision',
    ships: 'the anti-spoofing model files in models/ (vendored under models/upstream/minifasnet)',
    from: 'models/upstream/minifasnet',
    licence: 'Apache-2.0',
    licenceText: ['models/upstream/minifasnet/LICENSE', `${LICENCES}/Apache-2.0.txt`],
    covers: (source) => /minifasnet/i.test(source),
  },
];

export interface NoticesOptions {
  repoRoot: string;
  /** Where to write; defaults to `<repoRoot>/resources/notices` (NOTICES_DIR). */
  outDir?: string;
  /** Warnings (e.g. a placeholder contact address); default console.warn. */
  warn?: (message: string) => void;
}

export interface NoticesResult {
  outDir: string;
  /** Every `name@version` the npm section names. */
  packages: string[];
  ffmpeg: ShippedFfmpeg[];
}

interface Manifest {
  name: string;
  version: string;
  productName?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;

/** The installed version of a package, resolved from the repo root. */
function installedVersion(repoRoot: string, name: string): string {
  return readJson<Manifest>(path.join(repoRoot, 'node_modules', name, 'package.json')).version;
}

/** `name@version` of every package `npm install --omit=dev` would put in node_modules (what ships). */
export function productionPackages(repoRoot: string): Set<string> {
  const found = new Set<string>();
  const seenDirs = new Set<string>();
  const visit = (dir: string): void => {
    if (seenDirs.has(dir)) return;
    seenDirs.add(dir);
    const manifest = readJson<Manifest>(path.join(dir, 'package.json'));
    if (dir !== repoRoot) found.add(`${manifest.name}@${manifest.version}`);
    // Peers ship when installed (npm ls lists them); optional ones and optional peers may be absent.
    const optional = { ...manifest.optionalDependencies, ...manifest.peerDependencies };
    for (const name of Object.keys({ ...manifest.dependencies, ...optional })) {
      let resolved: string | null = null;
      for (let from = dir; ; from = path.dirname(from)) {
        const candidate = path.join(from, 'node_modules', name);
        if (fs.existsSync(path.join(candidate, 'package.json'))) {
          resolved = candidate;
          break;
        }
        if (path.dirname(from) === from) break;
      }
      if (resolved) visit(resolved);
      else if (!(name in optional)) throw new Error(`${manifest.name} needs ${name}, which is not installed: run npm install`);
    }
  };
  visit(repoRoot);
  return found;
}

/** The first existing licence text of a model source. */
function modelLicenceText(repoRoot: string, source: ModelSource): string {
  const file = source.licenceText.map((rel) => path.join(repoRoot, rel)).find((candidate) => fs.existsSync(candidate));
  if (!file) throw new Error(`No licence text for ${source.name}: looked for ${source.licenceText.join(', ')}`);
  return fs.readFileSync(file, 'utf8').trim();
}

/** Refuses a model file in models/manifest.json that no MODEL_SOURCES entry covers. */
function checkModelsCovered(repoRoot: string): void {
  const manifestFile = path.join(repoRoot, 'models', 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new Error('models/manifest.json is missing: run npm run models:build first');
  const files = readJson<{ files: Record<string, { source?: string }> }>(manifestFile).files;
  const uncovered = Object.entries(files).filter(([, entry]) => !MODEL_SOURCES.some((source) => source.covers(entry.source ?? '')));
  if (uncovered.length > 0) {
    const list = uncovered.map(([file, entry]) => `${file} (source "${entry.source ?? '?'}")`).join(', ');
    throw new Error(`models/manifest.json lists ${list}, which no notice covers: add it to MODEL_SOURCES in scripts/notices/build-notices.ts`);
  }
}

const rule = (title: string): string => `\n${'='.repeat(100)}\n${title}\n${'='.repeat(100)}\n`;

function electronSection(repoRoot: string): string {
  const version = installedVersion(repoRoot, 'electron');
  const licence = fs.readFileSync(path.join(repoRoot, 'node_modules/electron/LICENSE'), 'utf8').trim();
  return [
    rule('Part 1. Electron and Chromium'),
    `The kiosk runs on Electron ${version} (MIT licence, below), which contains Chromium, Node.js and their`,
    'third-party components. Their licences ship with Electron itself: LICENSE.electron.txt and',
    'LICENSES.chromium.html next to the kiosk executable (macOS: inside the app bundle, in Contents/Resources).',
    '',
    licence,
  ].join('\n');
}

function ffmpegSection(builds: readonly ShippedFfmpeg[]): string {
  const lines = [rule('Part 2. FFmpeg'), 'The camera is read by the ffmpeg program, run as a separate process. It is licensed under the GNU'];
  lines.push('General Public License version 3 or later: the licence text is ffmpeg/COPYING.GPLv3 and the written');
  lines.push('offer of its source code is ffmpeg/SOURCE-OFFER.txt, both in this folder.', '');
  for (const build of builds) lines.push(`  ${build.reviewed.package} ${build.reviewed.version}: ffmpeg ${build.info.version} (${build.info.licence})`);
  if (builds.length === 0) lines.push('  (no ffmpeg binary is installed for this platform)');
  return lines.join('\n');
}

function modelsSection(repoRoot: string): string {
  const lines = [rule('Part 3. Face models and the libraries that run them'), ''];
  const texts = new Map<string, string[]>();
  for (const source of MODEL_SOURCES) {
    const from = source.from.replace(/\{version:([^}]+)\}/g, (_, name: string) => installedVersion(repoRoot, name));
    lines.push(`- ${source.name}`, `    ships as: ${source.ships}`, `    from:     ${from}`, `    licence:  ${source.licence}`, '');
    const text = modelLicenceText(repoRoot, source);
    texts.set(text, [...(texts.get(text) ?? []), source.name]);
  }
  for (const [text, names] of texts) lines.push(`The licence of: ${names.join('; ')}`, '', text, '', '-'.repeat(100), '');
  return lines.join('\n');
}

function bundlerSection(repoRoot: string): string {
  const full = fs.readFileSync(path.join(repoRoot, 'node_modules/vite/LICENSE.md'), 'utf8');
  const own = full.split(/^# Licenses of bundled dependencies/m)[0]?.replace(/^# Vite core license\s*/m, '').trim() ?? '';
  return [rule('Part 5. Bundler runtime'), `The kiosk window's JavaScript contains small runtime helpers from Vite ${installedVersion(repoRoot, 'vite')}:`, '', own].join('\n');
}

/**
 * Writes the notices folder and resolves what it names. Rejects with a message naming the fix when
 * something that ships has no licence, or an ffmpeg may not ship.
 */
export async function buildNotices(options: NoticesOptions): Promise<NoticesResult> {
  const { repoRoot } = options;
  const warn = options.warn ?? ((message: string) => console.warn(message));
  const outDir = options.outDir ?? path.join(repoRoot, NOTICES_DIR);
  const app = readJson<Manifest>(path.join(repoRoot, 'package.json'));
  const productName = app.productName ?? app.name;

  const ffmpeg = installedFfmpegPackages(path.join(repoRoot, 'node_modules')).map((dir) => checkShippedFfmpeg(dir));
  checkModelsCovered(repoRoot);

  const replace = Object.fromEntries(Object.entries(LICENCE_REPLACEMENTS).map(([name, rel]) => [name, path.join(repoRoot, rel)]));
  const packageJson = path.join(repoRoot, 'package.json');
  const licences = await getProjectLicenses(packageJson, { replace });
  const bare = licences.filter((licence) => /^[\w.+-]+$/.test(licence.content.trim()));
  if (bare.length > 0) {
    const names = bare.flatMap((licence) => licence.dependencies).join(', ');
    throw new Error(`No licence text, only an SPDX id, for ${names}: add the text to LICENCE_REPLACEMENTS in scripts/notices/build-notices.ts`);
  }
  const packages = licences.flatMap((licence) => licence.dependencies).sort();
  const missing = [...productionPackages(repoRoot)].filter((id) => !packages.includes(id));
  if (missing.length > 0) throw new Error(`These shipped packages are missing from the notices (no licence found?): ${missing.join(', ')}`);
  const npmText = await getLicenseFileText(packageJson, { replace, lineEnding: 'lf' });

  const notices = [
    `${productName} ${app.version}: third-party notices`,
    '',
    `${productName} contains the software listed below, each under its own licence. Generated at build`,
    'time by scripts/notices/build-notices.ts (generate-license-file, read from node_modules).',
    electronSection(repoRoot),
    ffmpegSection(ffmpeg),
    modelsSection(repoRoot),
    rule('Part 4. npm packages shipped in the app (production dependencies)'),
    npmText.trim(),
    bundlerSection(repoRoot),
    '',
  ].join('\n');

  const contact = await maintainerContact(repoRoot);
  if (/\.example\b/.test(contact)) warn(`notices: the source offer names ${contact}, a placeholder: set linux.maintainer in electron-builder.yml to a real address before shipping`);
  const write = (rel: string, text: string): void => {
    const file = path.join(outDir, path.posix.relative(NOTICES_DIR, rel));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  };
  fs.rmSync(outDir, { recursive: true, force: true });
  write(NOTICE_FILES.notices, notices);
  write(NOTICE_FILES.ffmpegLicence, fs.readFileSync(path.join(repoRoot, LICENCES, 'GPL-3.0.txt'), 'utf8'));
  write(NOTICE_FILES.ffmpegSourceOffer, sourceOfferText({ productName, appVersion: app.version, contact, builds: ffmpeg }));
  return { outDir, packages, ffmpeg };
}

/** The package maintainer from electron-builder.yml (who answers source requests). */
async function maintainerContact(repoRoot: string): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { getConfig } = require('app-builder-lib/out/util/config/config') as { getConfig(dir: string, file: string, extra: null): Promise<{ linux?: { maintainer?: string } }> };
  const config = await getConfig(repoRoot, path.join(repoRoot, 'electron-builder.yml'), null);
  const maintainer = config.linux?.maintainer;
  if (!maintainer) throw new Error('electron-builder.yml has no linux.maintainer: the ffmpeg source offer needs a contact address');
  return maintainer;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  const index = process.argv.indexOf('--out');
  const root = path.resolve(__dirname, '..', '..');
  buildNotices({ repoRoot: root, outDir: index >= 0 ? path.resolve(process.argv[index + 1] as string) : undefined })
    .then((result) => {
      const builds = result.ffmpeg.map((build) => `${build.reviewed.package} (ffmpeg ${build.info.version})`).join(', ') || 'none';
      console.log(`notices: ${result.packages.length} npm packages, ffmpeg ${builds} -> ${path.relative(process.cwd(), result.outDir) || '.'}`);
    })
    .catch((error: unknown) => {
      console.error(`notices: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
}
