// Production build of the soak benchmark harness: the app's printer worker, printer client and storage.
import { defineConfig } from 'vite';
import { harnessViteConfig } from '../harness-vite-config.js';

export default defineConfig(harnessViteConfig('soak'));
