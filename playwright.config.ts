import { defineConfig } from '@playwright/test';
import { dirname, join } from 'node:path';
import { PLAYWRIGHT_BROWSER_FLAGS } from './scripts/find-browser.mjs';

// The end-to-end tests run against the production build served locally, so the real service worker runs.
// scripts/run-e2e.mjs finds the browser and passes it in SLICEPORT_BROWSER.
const port = Number(process.env.SLICEPORT_E2E_PORT ?? 4174);
const outDir = process.env.SLICEPORT_DIST ?? 'dist';
const jsonReport = process.env.SLICEPORT_E2E_REPORT ?? 'test-results/e2e.json';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: jsonReport }]],
  // Failure artifacts next to the report, so runs with their own report path never clean each other's.
  outputDir: join(dirname(jsonReport), 'e2e-artifacts'),
  use: {
    baseURL: `http://localhost:${port}`,
    launchOptions: {
      executablePath: process.env.SLICEPORT_BROWSER,
      args: [...PLAYWRIGHT_BROWSER_FLAGS],
    },
    headless: true,
    trace: 'off',
  },
  webServer: {
    command: `npx vite preview --port ${port} --strictPort --outDir ${outDir}`,
    url: `http://localhost:${port}`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
