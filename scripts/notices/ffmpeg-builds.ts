/**
 * Which ffmpeg the installer ships and under what licence. The camera runs the ffmpeg executable
 * from `@ffmpeg-installer/<platform>-<arch>`; those are third-party static builds, all GPLv3 (one
 * npm manifest says LGPL-2.1, its binary says otherwise) and one (darwin-arm64) "nonfree and
 * unredistributable". This module identifies the build from the binary itself, refuses a build
 * nobody reviewed or one that may not be redistributed, and writes the written source offer that
 * GPLv3 section 6 requires next to the licence text (docs/licences.md explains the choice).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** One reviewed `@ffmpeg-installer` platform package. */
export interface ReviewedFfmpegBuild {
  /** npm package name, e.g. `@ffmpeg-installer/linux-x64`. */
  package: string;
  /** The exact reviewed package version (package-lock pins it). */
  version: string;
  /** What the binary calls itself (`ffmpeg -version`, first word after "version"). */
  ffmpegVersion: string;
  /** The FFmpeg source revision: the git commit in the version string, or the release. */
  revision: string;
  /** Who built the binary and where they published it. */
  builder: string;
  /** Where the corresponding source can be had upstream today, and what HotelMate must archive. */
  upstreamSource: string;
  /** Set when the build may not be shipped at all: the reason, shown when packaging stops. */
  refuse?: string;
}

const FFMPEG_GIT = 'https://git.ffmpeg.org/ffmpeg.git';
const LIBRARIES_NOTE =
  'plus the source of every library it links statically (each --enable-lib... in the configuration line above) at the version the builder used, and the build scripts';

/** Every @ffmpeg-installer platform package reviewed for licence and source (read from the binaries). */
export const REVIEWED_FFMPEG_BUILDS: readonly ReviewedFfmpegBuild[] = [
  {
    package: '@ffmpeg-installer/linux-x64',
    version: '4.1.0',
    ffmpegVersion: 'N-47683-g0e8eb07980-static',
    revision: 'git commit 0e8eb07980',
    builder: "John Van Sickle's static git build of 2018-12-10 (https://johnvansickle.com/ffmpeg/)",
    upstreamSource: `FFmpeg ${FFMPEG_GIT} at commit 0e8eb07980, ${LIBRARIES_NOTE}. The builder publishes only current builds, so HotelMate keeps an archived copy`,
  },
  {
    package: '@ffmpeg-installer/win32-x64',
    version: '4.1.0',
    ffmpegVersion: 'N-92722-gf22fcd4483',
    revision: 'git commit f22fcd4483',
    builder: 'Zeranoe FFmpeg build 20181217-f22fcd4 (ffmpeg.zeranoe.com, which closed in 2020)',
    upstreamSource: `FFmpeg ${FFMPEG_GIT} at commit f22fcd4483, ${LIBRARIES_NOTE}. The builder's site is gone, so HotelMate keeps an archived copy`,
  },
  {
    package: '@ffmpeg-installer/darwin-x64',
    version: '4.1.0',
    ffmpegVersion: 'N-92718-g092cb17983-tessus',
    revision: 'git commit 092cb17983',
    builder: 'evermeet.cx static build by Helmut K. C. Tessarek (https://evermeet.cx/ffmpeg/); its npm manifest says LGPL-2.1 but the binary is GPLv3',
    upstreamSource: `FFmpeg ${FFMPEG_GIT} at commit 092cb17983, ${LIBRARIES_NOTE}. HotelMate keeps an archived copy`,
  },
  {
    package: '@ffmpeg-installer/darwin-arm64',
    version: '4.1.5',
    ffmpegVersion: '4.4',
    revision: 'release 4.4',
    builder: 'osxexperts.net build',
    upstreamSource: 'none: see refuse',
    refuse:
      'it was configured with --enable-nonfree; FFmpeg itself reports its licence as "nonfree and unredistributable", so no installer may contain it. Build the macOS kiosk on an Intel Mac (darwin-x64) or supply a redistributable ffmpeg',
  },
];

/** What an ffmpeg binary says about itself (read from its bytes, so it works for any platform's binary). */
export interface FfmpegBinaryInfo {
  /** e.g. `N-47683-g0e8eb07980-static`. */
  version: string;
  /** FFmpeg's own licence string, e.g. `GPL version 3 or later`. */
  licence: string;
  /** The ./configure line it was built with. */
  configuration: string;
}

/** The NUL-terminated string that follows `needle` in the binary, or null. */
function cStringAfter(binary: Buffer, needle: string): string | null {
  const at = binary.indexOf(needle, 0, 'latin1');
  if (at < 0) return null;
  const end = binary.indexOf(0, at);
  return binary.toString('latin1', at + needle.length, end < 0 ? binary.length : end);
}

/** The ./configure line embedded in the binary: the NUL-delimited string made only of `--options`. */
function configureLine(binary: Buffer): string | null {
  const option = /^--[a-z0-9-]+(=\S*)?$/;
  for (let at = binary.indexOf('--enable-', 0, 'latin1'); at >= 0; at = binary.indexOf('--enable-', at + 1, 'latin1')) {
    const start = binary.lastIndexOf(0, at) + 1;
    const end = binary.indexOf(0, at);
    const text = binary.toString('latin1', start, end < 0 ? binary.length : end).trim();
    const words = text.split(/\s+/);
    if (words.length >= 3 && words.every((word) => option.test(word))) return text;
    if (end < 0) break;
    at = end;
  }
  return null;
}

/**
 * Reads version, licence and configuration out of an ffmpeg executable's bytes. Throws when the file
 * does not look like an FFmpeg build (none of the strings every FFmpeg binary embeds).
 */
export function readFfmpegBinaryInfo(binary: Buffer): FfmpegBinaryInfo {
  const version = cStringAfter(binary, 'FFmpeg version ')?.trim().split(/\s+/)[0];
  const licence = cStringAfter(binary, 'libavutil license: ')?.trim();
  const configuration = configureLine(binary);
  if (!version || !licence || configuration === null) throw new Error('not an FFmpeg executable: no version, licence or configuration string inside');
  return { version, licence, configuration };
}

/** One ffmpeg executable that will ship, identified and checked. */
export interface ShippedFfmpeg {
  reviewed: ReviewedFfmpegBuild;
  info: FfmpegBinaryInfo;
  /** Path of the executable relative to the app folder (`node_modules/@ffmpeg-installer/...`). */
  appRelativePath: string;
  sha256: string;
}

/**
 * Identifies the ffmpeg executable in one installed `@ffmpeg-installer/<platform>-<arch>` folder and
 * checks it may ship: a reviewed package version, the binary that review saw, GPLv3 (what the
 * licence file and source offer cover), never nonfree. Throws a message naming what to do otherwise.
 */
export function checkShippedFfmpeg(packageDir: string, reviewed: readonly ReviewedFfmpegBuild[] = REVIEWED_FFMPEG_BUILDS): ShippedFfmpeg {
  const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { name: string; version: string };
  const id = `${manifest.name}@${manifest.version}`;
  const entry = reviewed.find((build) => build.package === manifest.name && build.version === manifest.version);
  if (!entry) throw new Error(`${id} has not been reviewed: read its binary's licence and source, then add it to REVIEWED_FFMPEG_BUILDS in scripts/notices/ffmpeg-builds.ts`);
  if (entry.refuse) throw new Error(`${id} cannot be shipped: ${entry.refuse}`);
  const executable = ['ffmpeg', 'ffmpeg.exe'].map((name) => path.join(packageDir, name)).find((file) => fs.existsSync(file));
  if (!executable) throw new Error(`${id} has no ffmpeg executable in ${packageDir}`);
  const binary = fs.readFileSync(executable);
  const info = readFfmpegBinaryInfo(binary);
  if (/nonfree/i.test(info.licence) || /--enable-nonfree\b/.test(info.configuration)) {
    throw new Error(`${id} cannot be shipped: its ffmpeg is "${info.licence}" (configured with --enable-nonfree)`);
  }
  if (info.version !== entry.ffmpegVersion) {
    throw new Error(`${id} contains ffmpeg ${info.version}, but the reviewed build is ${entry.ffmpegVersion}: review the new binary and update REVIEWED_FFMPEG_BUILDS`);
  }
  if (!/^GPL version 3 or later$/.test(info.licence)) {
    throw new Error(`${id}: ffmpeg reports "${info.licence}", but the shipped licence text and source offer are for GPL version 3 or later`);
  }
  return {
    reviewed: entry,
    info,
    appRelativePath: `node_modules/${manifest.name}/${path.basename(executable)}`,
    sha256: crypto.createHash('sha256').update(binary).digest('hex'),
  };
}

/** The installed platform packages under `<nodeModules>/@ffmpeg-installer` (every one of them ships). */
export function installedFfmpegPackages(nodeModules: string): string[] {
  const scope = path.join(nodeModules, '@ffmpeg-installer');
  if (!fs.existsSync(scope)) return [];
  return fs
    .readdirSync(scope)
    .filter((name) => name !== 'ffmpeg' && fs.existsSync(path.join(scope, name, 'package.json')))
    .sort()
    .map((name) => path.join(scope, name));
}

export interface SourceOfferInput {
  productName: string;
  appVersion: string;
  /** Who answers source requests (the package maintainer from electron-builder.yml). */
  contact: string;
  builds: readonly ShippedFfmpeg[];
}

/** The written offer (GPLv3 section 6) shipped as notices/ffmpeg/SOURCE-OFFER.txt. */
export function sourceOfferText(input: SourceOfferInput): string {
  const lines = [
    `FFmpeg in ${input.productName} ${input.appVersion}: licence and written offer of source code`,
    '',
    `${input.productName} starts the ffmpeg program listed below as a separate process to read the`,
    'camera. That ffmpeg is free software by the FFmpeg developers and others, licensed under the GNU',
    'General Public License version 3 or later; the full licence is in COPYING.GPLv3 beside this file.',
    'It comes with NO WARRANTY, to the extent permitted by law. You may copy, change and share it under',
    'that licence. The rest of the kiosk is not a part of ffmpeg and is not covered by its licence.',
    '',
  ];
  for (const build of input.builds) {
    lines.push(
      'The ffmpeg executable in this installation',
      `  file (inside the app):  resources/app.asar.unpacked/${build.appRelativePath}`,
      `  sha256:                 ${build.sha256}`,
      `  npm package:            ${build.reviewed.package} ${build.reviewed.version}`,
      `  ffmpeg version:         ${build.info.version} (FFmpeg ${build.reviewed.revision})`,
      `  built by:               ${build.reviewed.builder}`,
      `  licence (as reported):  ${build.info.licence}`,
      `  configuration:          ${build.info.configuration}`,
      `  corresponding source:   ${build.reviewed.upstreamSource}.`,
      '',
    );
  }
  lines.push(
    'Written offer',
    '',
    `For at least three years after HotelMate last distributes this version of ${input.productName},`,
    'and for as long as HotelMate offers spare parts or customer support for it, HotelMate will give',
    'anyone who possesses this ffmpeg executable a complete machine-readable copy of its Corresponding',
    'Source (as defined in the GNU GPL version 3: the FFmpeg source at the revision above, the source of',
    'every library linked into it, and the scripts used to build it), either on a durable physical',
    'medium customarily used for software interchange for a charge no more than the cost of physically',
    'performing the transfer, or by download from a network server at no charge.',
    '',
    `To ask for it, write to ${input.contact}, naming "${input.productName} ${input.appVersion}" and the`,
    'sha256 above.',
    '',
  );
  return lines.join('\n');
}
