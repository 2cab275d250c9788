/**
 * First step of `npm run dist`: stops at once, with a clear message, on a Node.js older than the
 * packaging tools declare (@electron/fuses, @electron/rebuild and node-abi want >= 22.12), instead of
 * failing half-way through a build. `npm install`, `npm test` and `npm run dev:web` keep working on
 * Node 20.19 (package.json engines), so this check belongs to packaging only.
 *
 *   tsx scripts/require-node.ts "npm run dist"
 */
import fs from 'node:fs';
import path from 'node:path';

/** The tools `npm run dist` runs whose `engines.node` sets the Node it needs. */
export const PACKAGING_TOOLS = ['@electron/fuses', '@electron/rebuild', 'node-abi'] as const;

/** `[major, minor, patch]` of a `22.12.0` / `v22.12.0` version. */
function parts(version: string): [number, number, number] {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  if (!match) throw new Error(`not a version: ${version}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** Negative, zero or positive as `a` is older than, equal to or newer than `b`. */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i += 1) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return 0;
}

/**
 * The highest `engines.node` minimum among the installed packages (each must be a plain
 * `>=X.Y.Z`; anything else throws, so a new form is noticed instead of ignored).
 */
export function minimumNode(repoRoot: string, packages: readonly string[] = PACKAGING_TOOLS): { version: string; by: string[] } {
  let version = '0.0.0';
  let by: string[] = [];
  for (const name of packages) {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { engines?: { node?: string } };
    const range = manifest.engines?.node;
    if (range === undefined) continue;
    const match = /^>=\s*(\d+\.\d+\.\d+)$/.exec(range.trim());
    if (!match) throw new Error(`${name} declares engines.node "${range}", which this check cannot read: update scripts/require-node.ts`);
    const minimum = match[1] as string;
    const order = compareVersions(minimum, version);
    if (order > 0) [version, by] = [minimum, [name]];
    else if (order === 0) by.push(name);
  }
  return { version, by };
}

/** The message to stop with, or null when `actual` is new enough. */
export function nodeTooOldMessage(command: string, actual: string, required: { version: string; by: string[] }): string | null {
  if (compareVersions(actual, required.version) >= 0) return null;
  return (
    `${command} needs Node.js ${required.version} or newer (${required.by.join(', ')} require it); this is Node.js ${actual.replace(/^v/, '')}.\n` +
    'Install a newer Node.js on the build machine (npm install, npm test and npm run dev:web keep working on 20.19).'
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  const command = process.argv[2] ?? 'This command';
  const message = nodeTooOldMessage(command, process.version, minimumNode(path.resolve(__dirname, '..')));
  if (message) {
    console.error(message);
    process.exit(1);
  }
}
