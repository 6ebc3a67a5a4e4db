// Finds a Chromium for the end-to-end tests and benchmarks, in this order:
// SLICEPORT_BROWSER, an installed Chrome/Chromium, Playwright's own download,
// and, as root on Debian/Ubuntu, Debian's `chromium` package installed on the spot.
import { existsSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';

const candidates = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

export const BROWSER_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];

/** The same flags for Playwright, which sets headless mode itself. */
export const PLAYWRIGHT_BROWSER_FLAGS = BROWSER_FLAGS.filter((flag) => flag !== '--headless');

async function playwrightOwn() {
  try {
    const { chromium } = await import('@playwright/test');
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function hasApt() {
  return spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
}

export async function findBrowser({ install = true } = {}) {
  const fromEnv = process.env.SLICEPORT_BROWSER;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`SLICEPORT_BROWSER points to ${fromEnv}, which does not exist.`);
  }
  for (const path of candidates) if (existsSync(path)) return path;
  const own = await playwrightOwn();
  if (own) return own;
  if (install && isRoot() && hasApt()) {
    console.error('No Chromium found: installing Debian\'s chromium package (apt-get install -y chromium)…');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    for (const path of candidates) if (existsSync(path)) return path;
  }
  throw new Error(
    'No Chrome or Chromium found for the end-to-end tests. Install one, then run the tests again:\n' +
      '  Debian/Ubuntu:  sudo apt-get install -y chromium\n' +
      '  elsewhere:      npx playwright install chromium\n' +
      'or point SLICEPORT_BROWSER at a Chrome/Chromium executable.',
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  findBrowser()
    .then((path) => console.log(path))
    .catch((error) => {
      console.error(error.message);
      process.exit(1);
    });
}
