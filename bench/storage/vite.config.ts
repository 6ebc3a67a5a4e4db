// Builds the storage benchmark page on its own (it is not part of the app).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  build: { target: 'es2022', sourcemap: false },
  logLevel: 'warn',
});
