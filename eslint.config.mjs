// Lint: typescript-eslint's recommended rules, plus the project's architecture, enforced on every
// import (eslint-plugin-import-x resolves each one to a file, then checks where it points):
// - only the thin Electron shell may import 'electron' (everything else must run under plain Node);
// - renderer, preload, shared and main stay apart (shared: pure TypeScript, no node, no DOM globals
//   imported; renderer: shared and its own code; preload: shared and electron);
// - main's folders are layered (MAIN_LAYERS): a folder imports only folders of earlier layers, so no
//   two folders of main can ever import each other; no import cycles between files either.
import path from 'node:path';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const SHELL_FILES = ['src/main/index.ts', 'src/main/window.ts', 'src/main/ipc/**', 'src/main/shell/**', 'src/preload/**'];

/**
 * Main's folders, lowest first. A folder may import `src/shared`, its own files and the folders of
 * the layers before its own, never one of its own layer or later. `index.ts` and `window.ts` at the
 * root of main (the Electron entry) may import any of them. A new folder must be added here.
 */
const MAIN_LAYERS = [
  ['lib'], // Clock, emitter, errors, assertNever: shared only
  ['logging'],
  ['db', 'config', 'secrets', 'platform', 'hotelmate'], // db: lib, logging, shared only
  ['jobs', 'ledger', 'reference', 'camera', 'admin', 'upgrade'], // upgrade: data written by earlier versions
  ['face', 'diagnostics'],
  ['sync', 'privacy'],
  ['realtime'],
  ['channels'], // the validating router and the event hub
  ['lifecycle'], // clock + realtime services for the current config and token
  ['handlers'], // request handlers by domain, registered in one place
  ['app', 'bridge', 'ipc', 'shell'], // composition, dev/test bridge, Electron IPC, Electron shell
];

const mainLayerZones = MAIN_LAYERS.flatMap((layer, index) => {
  const below = MAIN_LAYERS.slice(0, index).flat();
  return layer.map((folder) => ({
    target: `src/main/${folder}`,
    from: 'src/main',
    except: [`./${folder}`, ...below.map((name) => `./${name}`)],
    message: `src/main/${folder} may import only src/shared${below.length > 0 ? ` and ${below.join(', ')}` : ''} (see MAIN_LAYERS in eslint.config.mjs).`,
  }));
});

const processZones = [
  { target: 'src/shared', from: 'src', except: ['./shared'], message: 'src/shared is pure TypeScript: it imports nothing from main, preload or renderer.' },
  { target: 'src/renderer', from: 'src', except: ['./renderer', './shared'], message: 'The renderer reaches main only through window.kiosk (the contract in src/shared).' },
  { target: 'src/preload', from: 'src', except: ['./preload', './shared'], message: 'The preload is derived from the contract in src/shared.' },
  { target: 'src/main', from: 'src/renderer', message: 'Main never imports the renderer.' },
  { target: 'src/main', from: 'src/preload', message: 'Main never imports the preload.' },
];

const electronOnlyInShell = {
  name: 'electron',
  message: 'Only the Electron shell (src/main/index.ts, window.ts, ipc/, shell/, preload/) may import electron.',
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'models/**', 'test-artifacts/**', 'bench-results/**', 'build/native/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.mjs', '.js', '.json', '.node'] })],
      'import-x/extensions': ['.ts', '.tsx', '.mjs', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': ['error', { paths: [electronOnlyInShell] }],
    },
  },
  { files: SHELL_FILES, rules: { 'no-restricted-imports': 'off' } },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: path.dirname(new URL(import.meta.url).pathname), zones: [...processZones, ...mainLayerZones] }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: ['src/shared/**', 'src/renderer/**', 'src/preload/**'],
    rules: { 'import-x/no-nodejs-modules': 'error' },
  },
  {
    // The sandboxed preload is one bundled file: electron and the shared contract only, no packages.
    files: ['src/preload/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!electron$)[^.]', message: 'The preload imports only electron and src/shared.' }] }],
    },
  },
  {
    files: ['tests/**', 'bench/**', 'scripts/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
