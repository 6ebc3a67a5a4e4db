// Builds the preview benchmark page on its own: it bundles the `gcode-preview` package for comparison,
// which must never reach the app's build.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: false },
  logLevel: 'warn',
});
