// Runs the Playwright suite against the production build, with a browser found by find-browser.mjs.
import { spawnSync } from 'node:child_process';
import { findBrowser } from './find-browser.mjs';

const browser = await findBrowser().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
const args = ['playwright', 'test', ...process.argv.slice(2)];
const run = spawnSync('npx', args, {
  stdio: 'inherit',
  env: { ...process.env, SLICEPORT_BROWSER: browser },
});
process.exit(run.status ?? 1);
