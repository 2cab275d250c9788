/**
 * The electron-vite build (npm run test:e2e builds it first): out/main, out/preload and out/renderer
 * exist, and every package the CommonJS main bundle require()s resolves from the app and is loadable
 * by require() (an ESM-only package would crash Electron's main process at start).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/kiosk-harness';

const OUT = path.join(REPO_ROOT, 'out');
const requireFromApp = createRequire(path.join(REPO_ROOT, 'package.json'));

function requiredPackages(file: string): string[] {
  const code = fs.readFileSync(file, 'utf8');
  const names = new Set<string>();
  for (const match of code.matchAll(/require\("([^"]+)"\)/g)) {
    const name = match[1] as string;
    if (name.startsWith('.') || name.startsWith('node:') || name === 'electron') continue;
    names.add(name);
  }
  return [...names].sort();
}

describe('electron-vite build output', () => {
  it('writes the main, preload and renderer bundles', () => {
    for (const file of ['main/index.js', 'main/face-worker.js', 'preload/index.js', 'renderer/index.html', 'renderer/bridge-client.js']) {
      expect(fs.existsSync(path.join(OUT, file)), file).toBe(true);
    }
  });

  it('main and the face worker only require packages that resolve and are CommonJS-loadable', () => {
    const packages = [...new Set([...requiredPackages(path.join(OUT, 'main/index.js')), ...requiredPackages(path.join(OUT, 'main/face-worker.js'))])];
    expect(packages).toContain('better-sqlite3');
    for (const name of packages) {
      const resolved = requireFromApp.resolve(name);
      const pkgDir = resolved.slice(0, resolved.lastIndexOf(`node_modules${path.sep}${name.split('/')[0]}`) + `node_modules${path.sep}`.length + name.length);
      const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { type?: string };
      const esmOnly = pkg.type === 'module' && !resolved.endsWith('.cjs');
      expect({ name, esmOnly }).toEqual({ name, esmOnly: false });
    }
  });

  it('the sandboxed preload requires nothing but electron', () => {
    expect(requiredPackages(path.join(OUT, 'preload/index.js'))).toEqual([]);
  });
});
