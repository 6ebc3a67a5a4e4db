// Production build of the slice benchmark harness: the app's slicer client and worker, the engine and
// the definitions from public/, nothing else.
import { defineConfig } from 'vite';
import { harnessViteConfig } from '../harness-vite-config.js';

export default defineConfig(harnessViteConfig('slice'));
