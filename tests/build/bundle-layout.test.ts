/**
 * The path helper's idea of where electron-vite writes the preload, renderer and face worker must
 * match electron.vite.config.ts, or the packaged-files proof would be checking the wrong files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RELATIVE } from '../../src/main/platform/paths';
import { repoRoot } from './builder-config';

interface BuildSection {
  outDir: string;
  rollupOptions: { input: Record<string, string>; output?: { entryFileNames?: string } };
}
interface ViteConfig {
  main: { build: BuildSection };
  preload: { build: BuildSection };
  renderer: { root: string; build: BuildSection };
}

describe('bundle layout', () => {
  it('preload, renderer and face worker land where the path helper looks', async () => {
    const config = ((await import(path.join(repoRoot, 'electron.vite.config.ts'))) as { default: ViteConfig }).default;
    // main: every input becomes <outDir>/<name>.js
    expect(Object.keys(config.main.build.rollupOptions.input)).toContain('face-worker');
    expect(`${config.main.build.outDir}/face-worker.js`).toBe(RELATIVE.faceWorker);
    // preload: [name].js, input "index"
    expect(config.preload.build.rollupOptions.output?.entryFileNames).toBe('[name].js');
    expect(`${config.preload.build.outDir}/${Object.keys(config.preload.build.rollupOptions.input)[0]}.js`).toBe(RELATIVE.preload);
    // renderer: index.html from the renderer root lands at <outDir>/index.html
    const html = config.renderer.build.rollupOptions.input.index ?? '';
    expect(path.relative(config.renderer.root, html)).toBe('index.html');
    expect(`${config.renderer.build.outDir}/index.html`).toBe(RELATIVE.renderer);
  });
});

describe('renderer icon (no favicon 404)', () => {
  it('index.html links the app icon, and the CSP lets the page load it', () => {
    const html = fs.readFileSync(path.join(repoRoot, 'src/renderer/index.html'), 'utf8');
    const href = /<link rel="icon" type="image\/png" href="([^"]+)"/.exec(html)?.[1];
    expect(href).toBeDefined();
    const icon = path.resolve(repoRoot, 'src/renderer', href as string);
    expect(path.relative(repoRoot, icon).split(path.sep).join('/')).toMatch(/^build\/icons\/\d+x\d+\.png$/);
    expect(fs.readFileSync(icon).subarray(1, 4).toString('latin1')).toBe('PNG');
    // Vite emits it as a same-origin asset (or a data: URL when small): img-src must allow both
    const imgSrc = /img-src ([^;]+);/.exec(html)?.[1]?.split(/\s+/) ?? [];
    expect(imgSrc).toEqual(expect.arrayContaining(["'self'", 'data:']));
  });
});
