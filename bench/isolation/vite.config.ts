// Production build of the isolation benchmark harness: the app's printer worker, slicer worker, storage,
// engine and definitions.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export default defineConfig({
  root: resolve(root, 'bench', 'isolation'),
  publicDir: resolve(root, 'public'),
  worker: { format: 'es' },
  build: { target: 'es2022', emptyOutDir: true },
  logLevel: 'warn',
});
