/**
 * Builds better-sqlite3 for Electron's ABI into build/native/electron-<abi>/better_sqlite3.node
 * (what the path helper hands to the Database's `nativeBinding` under Electron), working on a copy so
 * node_modules keeps the Node build that `npm test` loads. Tries the prebuilt binary first
 * (prebuild-install), then compiles (node-gyp against Electron's headers). Skips when already built.
 *
 * Usage: tsx scripts/native/prepare-electron-native.ts [--for-package] [--force]
 * HOTELMATE_NATIVE_OFFLINE=1 (or `npm --offline`) skips the download/compile attempts.
 * Without network it says so and exits 0 (development) or 1 (`--for-package`: a package without the
 * Electron build could not open its database). HOTELMATE_ELECTRON_SQLITE_BINDING=<file.node> copies
 * a binary built elsewhere instead (offline build machines).
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

export interface RunResult {
  code: number;
  output: string;
}

/** Runs a command; resolves with its exit code and combined output (never rejects). */
export type Runner = (command: string, args: string[], options: { cwd: string; timeoutMs: number }) => Promise<RunResult>;

export interface PrepareOptions {
  repoRoot: string;
  forPackage: boolean;
  force?: boolean;
  platform?: NodeJS.Platform;
  arch?: string;
  env?: Record<string, string | undefined>;
  run?: Runner;
  log?: (line: string) => void;
}

export interface PrepareResult {
  status: 'built' | 'skipped' | 'copied' | 'failed';
  /** Process exit code the CLI should use. */
  exitCode: number;
  target: string;
  electronVersion: string;
  abi: string;
  message: string;
}

interface Stamp {
  electron: string;
  abi: string;
  betterSqlite3: string;
  platform: string;
  arch: string;
  method: string;
  sha256: string;
}

const defaultRunner: Runner = (command, args, options) =>
  new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, shell: process.platform === 'win32', env: process.env });
    let output = '';
    const append = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: 127, output: `${output}\n${error.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
  });

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

/** Electron's NODE_MODULE_VERSION for a version, from node-abi (installed with the build tools). */
export function electronAbi(repoRoot: string, electronVersion: string): string {
  const requireFromRepo = createRequire(path.join(repoRoot, 'package.json'));
  const nodeAbi = requireFromRepo('node-abi') as { getAbi(target: string, runtime: string): string };
  return nodeAbi.getAbi(electronVersion, 'electron');
}

function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function copyPackage(from: string, to: string): void {
  fs.cpSync(from, to, {
    recursive: true,
    // The Node build stays where it is; the copy builds its own.
    filter: (source) => path.relative(from, source).split(path.sep)[0] !== 'build',
  });
}

/**
 * Prepares the Electron build of better-sqlite3. Resolves with what happened and the exit code;
 * never rejects for a download or compile failure (those are reported in `message`).
 */
export async function prepareElectronNative(options: PrepareOptions): Promise<PrepareResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const run = options.run ?? defaultRunner;
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const modules = path.join(options.repoRoot, 'node_modules');
  const electronVersion = readJson<{ version: string }>(path.join(modules, 'electron', 'package.json')).version;
  const sqliteDir = path.join(modules, 'better-sqlite3');
  const sqliteVersion = readJson<{ version: string }>(path.join(sqliteDir, 'package.json')).version;
  const abi = electronAbi(options.repoRoot, electronVersion);
  const outDir = path.join(options.repoRoot, 'build', 'native', `electron-${abi}`);
  const target = path.join(outDir, 'better_sqlite3.node');
  const stampFile = path.join(outDir, 'stamp.json');
  const base = { target, electronVersion, abi };
  const failExit = options.forPackage ? 1 : 0;

  if (!options.force && fs.existsSync(target) && fs.existsSync(stampFile)) {
    const stamp = readJson<Partial<Stamp>>(stampFile);
    if (stamp.electron === electronVersion && stamp.betterSqlite3 === sqliteVersion && stamp.platform === platform && stamp.arch === arch && stamp.sha256 === sha256(target)) {
      const message = `better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (ABI ${abi}) is already built: ${path.relative(options.repoRoot, target)}`;
      log(message);
      return { ...base, status: 'skipped', exitCode: 0, message };
    }
  }

  const finish = (built: string, method: string): PrepareResult => {
    fs.mkdirSync(outDir, { recursive: true });
    fs.copyFileSync(built, `${target}.tmp`);
    fs.renameSync(`${target}.tmp`, target);
    const stamp: Stamp = { electron: electronVersion, abi, betterSqlite3: sqliteVersion, platform, arch, method, sha256: sha256(target) };
    fs.writeFileSync(stampFile, `${JSON.stringify(stamp, null, 2)}\n`);
    const message = `better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (ABI ${abi}, ${platform}-${arch}) ready via ${method}: ${path.relative(options.repoRoot, target)}`;
    log(message);
    return { ...base, status: method === 'copy' ? 'copied' : 'built', exitCode: 0, message };
  };

  const supplied = env.HOTELMATE_ELECTRON_SQLITE_BINDING;
  if (supplied) {
    if (!fs.existsSync(supplied)) {
      const message = `HOTELMATE_ELECTRON_SQLITE_BINDING points to ${supplied}, which does not exist`;
      log(message);
      return { ...base, status: 'failed', exitCode: failExit, message };
    }
    return finish(supplied, 'copy');
  }

  if (env.HOTELMATE_NATIVE_OFFLINE === '1' || env.npm_config_offline === 'true') {
    const message = `Offline (HOTELMATE_NATIVE_OFFLINE=1 or npm --offline): not downloading or compiling better-sqlite3 for Electron ${electronVersion} (ABI ${abi}). ${
      options.forPackage ? 'Packaging needs it: set HOTELMATE_ELECTRON_SQLITE_BINDING or go online.' : 'Tests and `npm run dev:web` do not need it.'
    }`;
    log(message);
    return { ...base, status: 'failed', exitCode: failExit, message };
  }

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'electron-sqlite-'));
  const copy = path.join(work, 'better-sqlite3');
  try {
    copyPackage(sqliteDir, copy);
    const builtFile = path.join(copy, 'build', 'Release', 'better_sqlite3.node');
    const bin = (name: string): string => path.join(modules, '.bin', platform === 'win32' ? `${name}.cmd` : name);
    const attempts: { method: string; command: string; args: string[] }[] = [
      {
        method: 'prebuild-install',
        command: bin('prebuild-install'),
        args: ['--runtime', 'electron', '--target', electronVersion, '--arch', arch, '--platform', platform, '--verbose'],
      },
      {
        method: 'node-gyp',
        command: bin('node-gyp'),
        args: ['rebuild', '--release', `--target=${electronVersion}`, `--arch=${arch}`, '--dist-url=https://electronjs.org/headers'],
      },
    ];
    const failures: string[] = [];
    for (const attempt of attempts) {
      log(`building better-sqlite3 for Electron ${electronVersion} (ABI ${abi}) with ${attempt.method}...`);
      const result = await run(attempt.command, attempt.args, { cwd: copy, timeoutMs: 10 * 60_000 });
      if (result.code === 0 && fs.existsSync(builtFile)) return finish(builtFile, attempt.method);
      const lastLine = result.output.trim().split('\n').filter(Boolean).slice(-1)[0] ?? '(no output)';
      failures.push(`${attempt.method} exited with ${result.code}: ${lastLine}`);
    }
    const message = [
      `Could not build better-sqlite3 for Electron ${electronVersion} (ABI ${abi}); both routes need the internet or a C++ toolchain:`,
      ...failures.map((f) => `  - ${f}`),
      options.forPackage
        ? 'A package built now could not open its database. Connect to the internet (or install a C++ toolchain), or set HOTELMATE_ELECTRON_SQLITE_BINDING to a better_sqlite3.node built for this Electron, then run `npm run dist` again.'
        : 'Tests and `npm run dev:web` do not need it (they run under Node). `npm start` will fail to open the database until it is built: run this script again when online.',
    ].join('\n');
    log(message);
    return { ...base, status: 'failed', exitCode: failExit, message };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  const args = process.argv.slice(2);
  prepareElectronNative({ repoRoot: path.resolve(__dirname, '../..'), forPackage: args.includes('--for-package'), force: args.includes('--force') })
    .then((result) => {
      process.exitCode = result.exitCode;
    })
    .catch((error: unknown) => {
      console.error(`prepare-electron-native failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = args.includes('--for-package') ? 1 : 0;
    });
}
