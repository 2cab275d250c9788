/**
 * Loads electron-builder.yml with electron-builder's own loader and answers "would this file be
 * packaged / unpacked / copied to resources?" with electron-builder's own matchers
 * (app-builder-lib's getMainFileMatchers, getNodeModuleFileMatcher, getFileMatchers), so the
 * packaging tests check what a real build would do, not a re-implementation.
 */
import fs from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../..');

export interface ExtraResource {
  from: string;
  to: string;
  filter?: string[];
}

/** The parts of the loaded config the tests read. */
export interface BuilderConfig {
  appId: string;
  productName: string;
  npmRebuild: boolean;
  afterPack: string;
  electronVersion: string;
  asarUnpack: string[];
  extraResources: ExtraResource[];
  linux: { target: string[]; icon: string };
  win: { target: { target: string }[]; icon: string };
  mac: { target: string[]; icon: string; entitlements: string };
  [key: string]: unknown;
}

type Stat = { isDirectory(): boolean; moduleFullFilePath?: string };
type Filter = (file: string, stat: Stat) => boolean;
interface Matcher {
  from: string;
  patterns: string[];
  createFilter(): Filter;
}
type MacroExpander = (pattern: string) => string;
interface FakePackager {
  info: { projectDir: string; buildResourcesDir: string; config: unknown; debugLogger: { isEnabled: boolean }; isPrepackedAppAsar: boolean };
}
interface FileMatcherModule {
  getMainFileMatchers(appDir: string, destination: string, macro: MacroExpander, platformOptions: unknown, packager: FakePackager, outDir: string, isElectronCompile: boolean): Matcher[];
  getNodeModuleFileMatcher(appDir: string, destination: string, macro: MacroExpander, platformOptions: unknown, info: FakePackager['info']): Matcher;
  getFileMatchers(config: unknown, name: string, destination: string, options: { macroExpander: MacroExpander; customBuildOptions: unknown; globalOutDir: string; defaultSrc: string }): Matcher[] | null;
  FileMatcher: new (from: string, to: string, macro: MacroExpander, patterns?: string[]) => Matcher;
}
interface ConfigModule {
  getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<unknown>;
  validateConfiguration(config: unknown, debug: unknown): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const configModule = require('app-builder-lib/out/util/config/config') as ConfigModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fileMatcher = require('app-builder-lib/out/fileMatcher') as FileMatcherModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

/** The config exactly as electron-builder loads it. */
export async function loadBuilderConfig(file = 'electron-builder.yml'): Promise<BuilderConfig> {
  return (await configModule.getConfig(repoRoot, path.join(repoRoot, file), null)) as BuilderConfig;
}

/** electron-builder's schema validation; rejects with its message on an invalid config. */
export async function validateBuilderConfig(config: unknown): Promise<void> {
  await configModule.validateConfiguration(config, new DebugLogger(false));
}

export type TargetPlatform = 'linux' | 'win32' | 'darwin';
const SECTION: Record<TargetPlatform, 'linux' | 'win' | 'mac'> = { linux: 'linux', win32: 'win', darwin: 'mac' };

export interface PackagingMatchers {
  /** Is this repo-relative file copied into the app (app.asar or app.asar.unpacked)? */
  packs(rel: string): boolean;
  /** Is it unpacked from the archive (a real file on disk)? */
  unpacks(rel: string): boolean;
  /** The repo-relative source extraResources copies to `resources/<rel>`, or null. */
  extraResourceSource(rel: string): string | null;
}

/**
 * electron-builder's matchers for a build on `platform` (macros expanded as a build on that
 * platform would: `${platform}` is the build machine's OS, electron-builder's own rule).
 */
export function packagingMatchers(config: BuilderConfig, platform: TargetPlatform, arch = 'x64'): PackagingMatchers {
  const macro: MacroExpander = (pattern) => pattern.replace(/\$\{arch\}/g, arch).replace(/\$\{platform\}/g, platform).replace(/\$\{os\}/g, SECTION[platform]);
  const platformOptions = config[SECTION[platform]];
  const dest = '/tmp/package/resources/app';
  const outDir = path.join(repoRoot, 'dist');
  const info = { projectDir: repoRoot, buildResourcesDir: 'build', config, debugLogger: { isEnabled: false }, isPrepackedAppAsar: false };
  const main = fileMatcher.getMainFileMatchers(repoRoot, dest, macro, platformOptions, { info }, outDir, false).map((m) => m.createFilter());
  const modules = fileMatcher.getNodeModuleFileMatcher(repoRoot, dest, macro, platformOptions, info).createFilter();
  const unpackMatcher = fileMatcher.getFileMatchers(config, 'asarUnpack', dest, { macroExpander: macro, customBuildOptions: platformOptions, globalOutDir: outDir, defaultSrc: repoRoot });
  const unpack = unpackMatcher?.[0]?.createFilter() ?? (() => false);
  // Files inside node_modules are matched by their path relative to the app, as the copier does.
  const stat = (rel: string): Stat => ({ isDirectory: () => false, moduleFullFilePath: rel.startsWith('node_modules/') ? rel : undefined });
  const abs = (rel: string): string => path.join(repoRoot, rel);
  return {
    packs: (rel) => (rel.startsWith('node_modules/') ? modules(abs(rel), stat(rel)) : main.some((filter) => filter(abs(rel), stat(rel)))),
    unpacks: (rel) => unpack(abs(rel), stat(rel)),
    extraResourceSource(rel) {
      for (const entry of config.extraResources) {
        if (rel === entry.to) return entry.from;
        if (!rel.startsWith(`${entry.to}/`)) continue;
        const sub = rel.slice(entry.to.length + 1);
        const from = path.join(repoRoot, entry.from);
        const matcher = new fileMatcher.FileMatcher(from, '/tmp/package/resources', macro, entry.filter ?? []);
        if (!entry.filter || matcher.createFilter()(path.join(from, sub), { isDirectory: () => false })) return `${entry.from}/${sub}`;
      }
      return null;
    },
  };
}

interface AppInfoLike {
  productName: string;
  sanitizedProductName: string;
  productFilename: string;
  version: string;
  id: string;
  name: string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { AppInfo } = require('app-builder-lib/out/appInfo') as { AppInfo: new (info: unknown, buildVersion: null, platformOptions: unknown) => AppInfoLike };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getWindowsInstallationDirName } = require('app-builder-lib/out/targets/targetUtil') as { getWindowsInstallationDirName(appInfo: AppInfoLike, useProductName: boolean): string };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getEffectiveOptions } = require('app-builder-lib/out/options/CommonWindowsInstallerConfiguration') as {
  getEffectiveOptions(options: unknown, packager: { appInfo: AppInfoLike; expandMacro(pattern: string): string }): { shortcutName: string; isCreateStartMenuShortcut: boolean; menuCategory: string | null };
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { expandMacro } = require('app-builder-lib/out/util/macroExpander') as { expandMacro(pattern: string, arch: string | null, appInfo: AppInfoLike, extra?: Record<string, string>, sanitized?: boolean): string };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getArtifactArchName, Arch } = require('builder-util') as { getArtifactArchName(arch: number, ext: string): string; Arch: Record<string, number> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { UUID } = require('builder-util-runtime') as { UUID: { v5(name: string, namespace: unknown): string; parse(uuid: string): unknown } };

/** What an installed kiosk looks like on disk, as electron-builder 26 (app-builder-lib) names it. */
export interface InstalledLayout {
  windows: {
    installer: string;
    perMachine: boolean;
    installDir: string;
    exe: string;
    uninstaller: string;
    startMenuShortcut: string | null;
    uninstallDisplayName: string;
    uninstallRegistryKey: string;
  };
  linux: { appImage: string; deb: string; installDir: string; executable: string; command: string; desktopEntry: string };
  mac: { dmg: string; app: string };
}

/** Computes the installed layout with app-builder-lib's own naming code (NsisTarget, FpmTarget, LinuxTargetHelper). */
export function installedLayout(config: BuilderConfig): InstalledLayout {
  const metadata = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
  const info = { metadata, devMetadata: metadata, config, framework: { defaultAppIdPrefix: 'com.electron.' } };
  const appInfo = new AppInfo(info, null, null);
  const nsis = (config.nsis ?? {}) as { oneClick?: boolean; perMachine?: boolean; artifactName?: string; uninstallDisplayName?: string; createStartMenuShortcut?: boolean };
  const oneClick = nsis.oneClick !== false;
  const perMachine = nsis.perMachine === true;
  const dirName = getWindowsInstallationDirName(appInfo, !oneClick || perMachine);
  const installDir = perMachine || !oneClick ? `C:\\Program Files\\${dirName}` : `%LOCALAPPDATA%\\Programs\\${dirName}`;
  const common = getEffectiveOptions(nsis, { appInfo, expandMacro: (pattern) => expandMacro(pattern, null, appInfo) });
  // The uninstaller's name is fixed by the NSIS template (common.nsh: UNINSTALL_FILENAME).
  const commonNsh = fs.readFileSync(path.join(path.dirname(require.resolve('app-builder-lib/package.json')), 'templates/nsis/common.nsh'), 'utf8');
  const uninstallPattern = /!define UNINSTALL_FILENAME "([^"]+)"/.exec(commonNsh)?.[1] ?? '';
  const guid = UUID.v5(appInfo.id, UUID.parse('50e065bc-3134-11e6-9bab-38c9862bdaf3'));
  const startMenu = perMachine ? 'C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs' : '%APPDATA%\\Microsoft\\Windows\\Start Menu\\Programs';
  const artifact = (pattern: string, ext: string, arch: string | null): string => expandMacro(pattern, arch, appInfo, { ext, os: ext });
  const x64 = Arch.x64 as number;
  const linuxDir = `/opt/${appInfo.sanitizedProductName}`;
  const executable = (config.linux as { executableName?: string }).executableName ?? (config.executableName as string);
  const appImage = (config.appImage as { artifactName?: string } | undefined)?.artifactName ?? '${productName}-${version}-${arch}.${ext}';
  const dmg = (config.dmg as { artifactName?: string } | undefined)?.artifactName ?? '${productName}-${version}-${arch}.${ext}';
  return {
    windows: {
      installer: artifact(nsis.artifactName ?? '${productName} Setup ${version}.${ext}', 'exe', null),
      perMachine,
      installDir,
      exe: `${installDir}\\${appInfo.productFilename}.exe`,
      uninstaller: `${installDir}\\${uninstallPattern.replace('${PRODUCT_FILENAME}', appInfo.productFilename)}`,
      startMenuShortcut: common.isCreateStartMenuShortcut ? `${startMenu}\\${common.menuCategory ? `${common.menuCategory}\\` : ''}${common.shortcutName}.lnk` : null,
      uninstallDisplayName: expandMacro(nsis.uninstallDisplayName ?? '${productName} ${version}', null, appInfo, {}, false),
      uninstallRegistryKey: `${perMachine ? 'HKLM' : 'HKCU'}\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\${guid}`,
    },
    linux: {
      appImage: artifact(appImage, 'AppImage', getArtifactArchName(x64, 'AppImage')),
      deb: artifact('${name}_${version}_${arch}.${ext}', 'deb', getArtifactArchName(x64, 'deb')),
      installDir: linuxDir,
      executable: `${linuxDir}/${executable}`,
      command: `/usr/bin/${executable}`,
      desktopEntry: `/usr/share/applications/${executable}.desktop`,
    },
    mac: { dmg: artifact(dmg, 'dmg', '<arch>'), app: `/Applications/${appInfo.productFilename}.app` },
  };
}
