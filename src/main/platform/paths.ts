/**
 * The one place that knows where every runtime file lives, in development (the repo root) and inside
 * an electron-builder package (app.asar, app.asar.unpacked, resources/). Pure: the shell passes
 * `app.isPackaged`, `app.getAppPath()` and `process.resourcesPath`; tests pass both layouts.
 */
import path from 'node:path';

export interface AppPathsInput {
  /** `app.isPackaged` (false under electron-vite dev/preview and under plain Node). */
  isPackaged: boolean;
  /** Dev: the repo root. Packaged: `app.getAppPath()`, i.e. `<resources>/app.asar`. */
  appRoot: string;
  /** `process.resourcesPath` (only meaningful when packaged). */
  resourcesPath: string;
  platform: NodeJS.Platform;
  /** Defaults to the running process's arch. */
  arch?: string;
  /**
   * `process.versions.modules` when running inside Electron (its NODE_MODULE_VERSION); leave
   * undefined under plain Node so better-sqlite3 loads its normal build.
   */
  electronAbi?: string;
  /** Folder of the executable (`path.dirname(app.getPath('exe'))`), for the fleet config file. */
  exeDir?: string;
}

/** Runtime file locations. Every path is absolute. */
export interface AppPaths {
  readonly isPackaged: boolean;
  /** Folder of the face models (models/*.onnx and models/manifest.json); unpacked from the asar. */
  readonly modelsDir: string;
  /** The ffmpeg executable from @ffmpeg-installer; unpacked (a binary cannot run from inside an asar). */
  readonly ffmpegBinary: string;
  /**
   * better-sqlite3's addon built for Electron's ABI (for the Database's `nativeBinding` option), or
   * undefined under plain Node, where node_modules' own build is the right one.
   */
  readonly betterSqliteBinding: string | undefined;
  /** onnxruntime-node's addon for this platform (loaded by onnxruntime itself; listed for packaging checks). */
  readonly onnxRuntimeBinding: string;
  /** The sandboxed preload bundle. */
  readonly preload: string;
  /** The built renderer entry. */
  readonly rendererIndexHtml: string;
  /** The face worker script (worker_threads entry); unpacked so a worker can load it from disk. */
  readonly faceWorker: string;
  /** Runtime resources shipped with the app (resources/ in the repo); unpacked, so they are plain files. */
  readonly resourcesDir: string;
  /** The confirmation chime played when a punch is saved (resources/sounds/punch.wav). */
  readonly punchSound: string;
  /** Third-party notices, generated at build time by scripts/notices/build-notices.ts. */
  readonly thirdPartyNotices: string;
  /** The licence of the shipped ffmpeg (GPLv3). */
  readonly ffmpegLicence: string;
  /** The written offer of the shipped ffmpeg's source code. */
  readonly ffmpegSourceOffer: string;
  /** Window / tray icon. */
  readonly icon: string;
  /** The Linux autostart entry template (build/linux/hotelmate-kiosk.desktop in the repo). */
  readonly linuxDesktopEntry: string;
  /** A fleet config file dropped next to the executable, or null when exeDir is unknown. */
  readonly exeConfigFile: string | null;
  /** Resolves one model file by name (e.g. `manifest.json`, `arcface.onnx`). */
  modelFile(name: string): string;
}

/** File name of the fleet provisioning file dropped next to the executable. */
export const EXE_CONFIG_FILE_NAME = 'hotelmate-kiosk.json';

/** Repo-relative locations; the packaged app keeps the same relative layout inside app.asar. */
export const RELATIVE = {
  models: 'models',
  preload: 'out/preload/index.js',
  renderer: 'out/renderer/index.html',
  faceWorker: 'out/main/face-worker.js',
  resources: 'resources',
  punchSound: 'resources/sounds/punch.wav',
  thirdPartyNotices: 'resources/notices/THIRD-PARTY-NOTICES.txt',
  ffmpegLicence: 'resources/notices/ffmpeg/COPYING.GPLv3',
  ffmpegSourceOffer: 'resources/notices/ffmpeg/SOURCE-OFFER.txt',
  icon: 'build/icons/512x512.png',
  linuxDesktopEntry: 'build/linux/hotelmate-kiosk.desktop',
  nativeBuildDir: 'build/native',
} as const;

/** Where extraResources puts things inside `<resources>/` of a package (see electron-builder.yml). */
export const PACKAGED_RESOURCES = {
  native: 'native',
  icon: 'icons/512x512.png',
  linuxDesktopEntry: 'linux/hotelmate-kiosk.desktop',
} as const;

/** Folder name of an Electron-ABI build of better-sqlite3 (scripts/native/prepare-electron-native.ts). */
export function electronNativeDirName(abi: string): string {
  return `electron-${abi}`;
}

/**
 * Rewrites a path inside `app.asar` to the same path inside `app.asar.unpacked` (what
 * @ffmpeg-installer reports is inside the archive, but the unpacked copy is the one that can run).
 * Paths outside an asar come back unchanged.
 */
export function toUnpackedPath(file: string): string {
  return file.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

/** Resolves every runtime path for the given layout. Pure: never touches the disk. */
export function createAppPaths(input: AppPathsInput): AppPaths {
  const p = input.platform === 'win32' ? path.win32 : path.posix;
  const arch = input.arch ?? process.arch;
  const appRoot = input.appRoot;
  const inApp = (rel: string): string => p.join(appRoot, rel);
  // Files that must exist as real files on disk: in a package they live next to the archive.
  const unpacked = (rel: string): string =>
    input.isPackaged ? p.join(toUnpackedPath(p.join(appRoot, p.sep)), rel) : p.join(appRoot, rel);
  const inResources = (rel: string, devRel: string): string =>
    input.isPackaged ? p.join(input.resourcesPath, rel) : p.join(appRoot, devRel);

  const ffmpegName = input.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg';
  const modelsDir = unpacked(RELATIVE.models);
  const abi = input.electronAbi;
  const betterSqliteBinding =
    abi === undefined
      ? undefined
      : input.isPackaged
        ? p.join(input.resourcesPath, PACKAGED_RESOURCES.native, electronNativeDirName(abi), 'better_sqlite3.node')
        : p.join(appRoot, RELATIVE.nativeBuildDir, electronNativeDirName(abi), 'better_sqlite3.node');

  return {
    isPackaged: input.isPackaged,
    modelsDir,
    ffmpegBinary: unpacked(`node_modules/@ffmpeg-installer/${input.platform}-${arch}/${ffmpegName}`),
    betterSqliteBinding,
    onnxRuntimeBinding: unpacked(`node_modules/onnxruntime-node/bin/napi-v6/${input.platform}/${arch}/onnxruntime_binding.node`),
    preload: inApp(RELATIVE.preload),
    rendererIndexHtml: inApp(RELATIVE.renderer),
    faceWorker: unpacked(RELATIVE.faceWorker),
    resourcesDir: unpacked(RELATIVE.resources),
    punchSound: unpacked(RELATIVE.punchSound),
    thirdPartyNotices: unpacked(RELATIVE.thirdPartyNotices),
    ffmpegLicence: unpacked(RELATIVE.ffmpegLicence),
    ffmpegSourceOffer: unpacked(RELATIVE.ffmpegSourceOffer),
    icon: inResources(PACKAGED_RESOURCES.icon, RELATIVE.icon),
    linuxDesktopEntry: inResources(PACKAGED_RESOURCES.linuxDesktopEntry, RELATIVE.linuxDesktopEntry),
    exeConfigFile: input.exeDir ? p.join(input.exeDir, EXE_CONFIG_FILE_NAME) : null,
    modelFile: (name: string) => {
      const resolved = p.join(modelsDir, name);
      if (!resolved.startsWith(p.join(modelsDir, p.sep))) throw new Error(`Model name ${name} leaves the models folder`);
      return resolved;
    },
  };
}
