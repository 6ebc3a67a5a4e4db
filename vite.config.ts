import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { servePrecompressedEngine } from './wasm/serve-precompressed.js';

export default defineConfig({
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  plugins: [
    servePrecompressedEngine(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      manifest: false,
      // Every build asset is precached (the wasm engine in engine/, the printer definitions in
      // definitions/, icons, the manifest), so a reload works offline. A new version waits for the
      // user's click (src/app/app-update.ts); claiming clients only affects the very first install.
      workbox: {
        globPatterns: ['**/*.{js,mjs,css,html,svg,png,ico,webp,woff2,wasm,json,txt,bin,data,webmanifest}'],
        // The engine's .br/.gz copies are the same bytes on the wire: precache the wasm once.
        globIgnores: ['**/*.br', '**/*.gz'],
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        // Vite's hashed file names carry their revision; everything else is checked by content.
        dontCacheBustURLsMatching: /^assets\/.+-[\w-]{8}\.\w+$/,
        clientsClaim: true,
        cleanupOutdatedCaches: true,
        navigateFallback: 'index.html',
      },
    }),
  ],
});
