// Production build of the slice benchmark harness: the app's slicer client and worker, the engine and
// the definitions from public/, nothing else.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export default defineConfig({
  root: resolve(root, 'bench', 'slice'),
  publicDir: resolve(root, 'public'),
  worker: { format: 'es' },
  build: { target: 'es2022', emptyOutDir: true },
  logLevel: 'warn',
});
