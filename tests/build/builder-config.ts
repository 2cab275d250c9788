/**
 * Loads electron-builder.yml with electron-builder's own loader and answers "would this file be
 * packaged / unpacked / copied to resources?" with electron-builder's own matchers
 * (app-builder-lib's getMainFileMatchers, getNodeModuleFileMatcher, getFileMatchers), so the
 * packaging tests check what a real build would do, not a re-implementation.
 */
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
