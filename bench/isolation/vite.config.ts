// Production build of the isolation benchmark harness: the app's printer worker, slicer worker, storage,
// engine and definitions.
import { defineConfig } from 'vite';
import { harnessViteConfig } from '../harness-vite-config.js';

export default defineConfig(harnessViteConfig('isolation'));
