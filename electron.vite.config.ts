/**
 * electron-vite builds three bundles: main (Node, dependencies external so native modules and
 * onnxruntime load from node_modules), preload (sandboxed: one self-contained file) and the
 * renderer (React). The renderer has a second entry, the dev/test bridge client, which only the
 * bridge server's page loads.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // uuid is ESM-only: bundle it instead of require()-ing it from the CommonJS main bundle.
      externalizeDeps: { exclude: ['uuid'] },
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          'face-worker': resolve(__dirname, 'src/main/face/worker/face-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot require() packages: bundle everything it uses.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].js' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/renderer/index.html'),
          'bridge-client': resolve(__dirname, 'src/renderer/bridge-client.ts'),
        },
        output: {
          entryFileNames: (chunk) => (chunk.name === 'bridge-client' ? 'bridge-client.js' : 'assets/[name]-[hash].js'),
        },
      },
    },
  },
});
