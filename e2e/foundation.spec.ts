// The app shell, the PWA and the library, in Chromium against the production build.

import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { StaticSite, builtSiteDir } from './support/static-site.js';

const VIEWS = [
  ['Printer', 'printer'],
  ['Prepare', 'prepare'],
  ['Library', 'library'],
  ['History', 'history'],
  ['Settings', 'settings'],
] as const;

/** Console errors, uncaught exceptions and requests to any other origin, for the whole context. */
function watchPage(context: BrowserContext, page: Page, origin: () => string) {
  const errors: string[] = [];
  const foreign: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  context.on('request', (request) => {
    const url = new URL(request.url());
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin !== origin()) foreign.push(request.url());
  });
  return { errors, foreign };
}

async function waitForServiceWorkerControl(page: Page): Promise<string> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
  return page.evaluate(() => navigator.serviceWorker.controller!.scriptURL);
}

/** A 10 mm cube as a binary STL: 80-byte header, triangle count, 12 facets of 50 bytes. */
function cubeStl(): Buffer {
  const v = [
    [0, 0, 0], [10, 0, 0], [10, 10, 0], [0, 10, 0],
    [0, 0, 10], [10, 0, 10], [10, 10, 10], [0, 10, 10],
  ];
  const faces = [
    [0, 2, 1], [0, 3, 2], [4, 5, 6], [4, 6, 7], [0, 1, 5], [0, 5, 4],
    [1, 2, 6], [1, 6, 5], [2, 3, 7], [2, 7, 6], [3, 0, 4], [3, 4, 7],
  ];
  const buffer = Buffer.alloc(84 + faces.length * 50);
  buffer.write('Sliceport test cube', 0, 'ascii');
  buffer.writeUInt32LE(faces.length, 80);
  faces.forEach((face, i) => {
    const at = 84 + i * 50 + 12;
    face.forEach((vertex, k) => v[vertex]!.forEach((c, axis) => buffer.writeFloatLE(c, at + k * 12 + axis * 4)));
  });
  return buffer;
}

function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function builtFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/');
    // The service worker and its runtime are not precached by design; source maps are for developers;
    // .br/.gz are the server's precompressed copies of files that are precached themselves.
    if (path === 'sw.js' || /^workbox-[\w-]+\.js$/.test(path) || path.endsWith('.map') || /\.(br|gz)$/.test(path)) continue;
    files.push(`/${path}`);
  }
  return files.sort();
}

test('loads every view with no console errors and no request to another origin', async ({ page, context, baseURL }) => {
  const watched = watchPage(context, page, () => new URL(baseURL!).origin);
  await page.goto('/');
  await expect(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();
  // Chromium has Web Serial: no "cannot connect" notice.
  await expect(page.getByTestId('no-web-serial')).toHaveCount(0);
  for (const [title, view] of VIEWS) {
    await page.getByRole('link', { name: title, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`#/${view}$`));
    await expect(page.getByRole('link', { name: title, exact: true })).toHaveAttribute('aria-current', 'page');
    await expect(page.locator(`sp-${view}-view`)).toBeVisible();
    await expect(page).toHaveTitle(`${title} · Sliceport`);
  }
  const settings = page.locator('sp-settings-view');
  await expect(settings.getByTestId('persistence')).toBeVisible();
  await expect(settings.getByTestId('storage-meter-text')).toContainText(/stored, .* available/);
  await expect(page.getByText('Sliceport follows your system\'s light or dark setting.', { exact: false })).toBeVisible();
  await expect(page.getByText('AGPL-3.0-or-later', { exact: false })).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/#\/history$/);
  await expect(page.locator('sp-history-view')).toBeVisible();
  await expect(page.getByTestId('storage-used')).toContainText(/Library: .* stored/);
  await page.waitForTimeout(500);
  expect(watched.errors).toEqual([]);
  expect(watched.foreign).toEqual([]);
});

test('has a valid manifest with real icons, and a service worker controls the page', async ({ page, request }) => {
  await page.goto('/');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBeTruthy();
  const response = await request.get(href!);
  expect(response.ok()).toBe(true);
  const manifest = await response.json();
  expect(manifest).toMatchObject({
    name: 'Sliceport',
    short_name: 'Sliceport',
    display: 'standalone',
    start_url: expect.any(String),
    scope: expect.any(String),
    theme_color: expect.stringMatching(/^#[0-9a-f]{6}$/i),
    background_color: expect.stringMatching(/^#[0-9a-f]{6}$/i),
  });
  expect(manifest.description.length).toBeGreaterThan(20);
  const manifestUrl = new URL(href!, page.url());
  const scope = new URL(manifest.scope, manifestUrl).href;
  expect(new URL(manifest.start_url, manifestUrl).href.startsWith(scope)).toBe(true);

  const pngs = (manifest.icons as { src: string; sizes: string; type: string; purpose?: string }[]).filter(
    (icon) => icon.type === 'image/png',
  );
  for (const size of ['192x192', '512x512']) {
    for (const purpose of ['any', 'maskable']) {
      expect(pngs.some((icon) => icon.sizes === size && (icon.purpose ?? 'any').split(' ').includes(purpose))).toBe(true);
    }
  }
  for (const icon of pngs) {
    const iconResponse = await request.get(new URL(icon.src, manifestUrl).href);
    expect(iconResponse.ok(), icon.src).toBe(true);
    expect(iconResponse.headers()['content-type']).toContain('image/png');
    const { width, height } = pngSize(await iconResponse.body());
    expect(`${width}x${height}`).toBe(icon.sizes);
  }

  const accepted = (manifest.file_handlers as { action: string; accept: Record<string, string[]> }[]).flatMap((handler) => {
    expect(new URL(handler.action, manifestUrl).href.startsWith(scope)).toBe(true);
    return Object.values(handler.accept).flat();
  });
  expect(accepted.sort()).toEqual(['.3mf', '.g', '.gco', '.gcode', '.obj', '.stl']);

  const script = await waitForServiceWorkerControl(page);
  expect(new URL(script).pathname).toBe('/sw.js');

  // Chromium's own verdict: the manifest parses without complaint and the app is installable.
  const cdp = await page.context().newCDPSession(page);
  const parsed = (await cdp.send('Page.getAppManifest')) as { errors: { message: string }[] };
  expect(parsed.errors.map((error) => error.message)).toEqual([]);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  // Test contexts are incognito-like, which alone blocks installing; anything else is a real problem.
  expect(installabilityErrors.map((error) => error.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);
});

test('reloads the full app offline, with every build file precached', async ({ page, context }) => {
  await page.goto('/#/settings');
  await waitForServiceWorkerControl(page);
  const cached = await page.evaluate(async () => {
    const paths: string[] = [];
    for (const name of await caches.keys()) {
      for (const entry of await (await caches.open(name)).keys()) paths.push(new URL(entry.url).pathname);
    }
    return paths;
  });
  const missing = builtFiles(builtSiteDir()).filter((file) => !cached.includes(file));
  expect(missing).toEqual([]);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  for (const [title, view] of VIEWS) {
    await page.getByRole('link', { name: title, exact: true }).click();
    await expect(page.locator(`sp-${view}-view`)).toBeVisible();
    await expect(page.locator(`sp-${view}-view`).locator('h1').first()).toBeVisible();
  }
  // Data files the engine needs come from the cache too.
  const dataFiles = builtFiles(builtSiteDir()).filter((file) => /\.(wasm|json)$/.test(file)).slice(0, 5);
  const fetched = await page.evaluate(async (files) => {
    const sizes: number[] = [];
    for (const file of files) sizes.push((await (await fetch(file)).arrayBuffer()).byteLength);
    return sizes;
  }, dataFiles);
  expect(fetched.every((size) => size > 0)).toBe(true);
  await context.setOffline(false);
});

test('a file added to the library survives a reload and can be deleted', async ({ page }) => {
  await page.goto('/#/library');
  const input = page.getByTestId('library-file-input');
  const gcode = 'G28\nG1 Z0.2 F3000\nG1 X10 Y10 E1\n'.repeat(200);
  await input.setInputFiles([
    { name: 'cube.stl', mimeType: 'model/stl', buffer: cubeStl() },
    { name: 'cube.gcode', mimeType: 'text/x-gcode', buffer: Buffer.from(gcode) },
  ]);
  const models = page.getByRole('list', { name: 'Models' });
  const gcodeList = page.getByRole('list', { name: 'G-code files' });
  await expect(models).toContainText('cube.stl');
  await expect(models).toContainText('684 bytes');
  await expect(gcodeList).toContainText('cube.gcode');
  await expect(page.getByText('Added cube.stl, cube.gcode.')).toBeVisible();

  await page.reload();
  await expect(models).toContainText('cube.stl');
  await expect(gcodeList).toContainText('cube.gcode');
  await expect(gcodeList).toContainText(`${(gcode.length / 1000).toFixed(1)} KB`);
  await expect(gcodeList.getByRole('link', { name: 'Print cube.gcode' })).toHaveAttribute('href', /#\/printer\?gcode=[\w-]+/);

  await page.getByRole('button', { name: 'Delete cube.stl' }).click();
  await page.getByRole('button', { name: 'Confirm: delete cube.stl' }).click();
  await expect(page.getByText('No models yet.')).toBeVisible();
  await page.reload();
  await expect(page.getByText('No models yet.')).toBeVisible();
  await expect(gcodeList).toContainText('cube.gcode');
});

test('files opened with Sliceport land in the library', async ({ page }) => {
  // The operating system hands files over through window.launchQueue; stand in for it.
  await page.addInitScript(() => {
    const queue = {
      consumer: undefined as undefined | ((params: unknown) => unknown),
      setConsumer(consumer: (params: unknown) => unknown) {
        queue.consumer = consumer;
      },
    };
    // Chromium has its own launchQueue (read-only); shadow it on this window.
    Object.defineProperty(window, 'launchQueue', { value: queue, configurable: true });
    (window as unknown as { testLaunchQueue: unknown }).testLaunchQueue = queue;
  });
  await page.goto('/#/printer');
  await page.waitForFunction(() => (window as unknown as { testLaunchQueue: { consumer?: unknown } }).testLaunchQueue.consumer);
  await page.evaluate(() => {
    const handle = (name: string, text: string) => ({ kind: 'file', getFile: async () => new File([text], name) });
    const queue = (window as unknown as { testLaunchQueue: { consumer: (params: unknown) => unknown } }).testLaunchQueue;
    void queue.consumer({ files: [handle('opened.gcode', 'G28\nM84\n'), handle('bracket.obj', 'v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n')] });
  });
  await expect(page).toHaveURL(/#\/library\?highlight=[\w-]+(%2C|,)[\w-]+/);
  await expect(page.getByRole('list', { name: 'G-code files' }).locator('li.highlight')).toContainText('opened.gcode');
  await expect(page.getByRole('list', { name: 'Models' }).locator('li.highlight')).toContainText('bracket.obj');
  await page.reload();
  await expect(page.getByRole('list', { name: 'Models' })).toContainText('bracket.obj');
});

test('says so when the browser cannot connect to a printer, and everything else still works', async ({ page }) => {
  // As in Firefox or Safari: no Web Serial.
  await page.addInitScript(() => {
    delete (Navigator.prototype as unknown as { serial?: unknown }).serial;
  });
  await page.goto('/#/library');
  const notice = page.getByTestId('no-web-serial');
  await expect(notice).toHaveText(
    'This browser cannot connect to a printer: printing over USB needs Chrome or Edge on a desktop or laptop computer. ' +
      'You can still prepare, slice and preview here.',
  );
  await expect(page.getByRole('list', { name: 'Models' }).or(page.getByText('No models yet.'))).toBeVisible();
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await expect(page.locator('sp-settings-view').getByTestId('web-serial-support')).toContainText('cannot connect to a printer');
});

test('says plainly when another tab upgrades the storage', async ({ page, context }) => {
  await page.goto('/#/library');
  await expect(page.getByText('No models yet.')).toBeVisible();
  // Another tab of the same origin opens the database at a newer version.
  const other = await context.newPage();
  await other.goto('/icons/icon.svg');
  await other.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open('sliceport', 99);
        request.onsuccess = () => {
          request.result.close();
          resolve();
        };
        request.onerror = () => reject(request.error);
      }),
  );
  await expect(page.getByTestId('storage-problem')).toHaveText('Sliceport was updated in another tab. Reload this tab to continue.');
  await other.close();
  // This (older) code cannot open the newer database: it says so instead of failing silently.
  await page.reload();
  await expect(page.getByText('Another tab already runs a newer version of Sliceport. Reload this tab to use it.')).toBeVisible();
});

test('works by keyboard with visible focus, fits a phone-width window and follows the system theme', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto('/#/library');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('button', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Tab');
  const printerLink = page.getByRole('link', { name: 'Printer', exact: true });
  await expect(printerLink).toBeFocused();
  const outline = await printerLink.evaluate((element) => getComputedStyle(element).outlineStyle);
  expect(outline).not.toBe('none');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'History', exact: true })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/history$/);

  for (const [, view] of VIEWS) {
    await page.goto(`/#/${view}`);
    await expect(page.locator(`sp-${view}-view`)).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${view} is wider than the window`).toBeLessThanOrEqual(0);
  }
  // Light and dark follow the system setting.
  const background = () => page.locator('sliceport-app').evaluate((app) => getComputedStyle(app).backgroundColor);
  await page.emulateMedia({ colorScheme: 'light' });
  const light = await background();
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await background();
  expect(light).toBe('rgb(245, 246, 248)');
  expect(dark).toBe('rgb(18, 20, 23)');

  // Every button and link in the shell has a name a screen reader can say.
  const unnamed = await page.evaluate(() => {
    const app = document.querySelector('sliceport-app')!.shadowRoot!;
    return [...app.querySelectorAll('a, button')].filter((element) => !(element.textContent ?? '').trim() && !element.getAttribute('aria-label')).length;
  });
  expect(unnamed).toBe(0);
});

test.describe('updates', () => {
  let site: StaticSite;
  test.beforeEach(async () => {
    site = new StaticSite();
    await site.start();
  });
  test.afterEach(async () => {
    await site.stop();
  });

  test('offers a waiting new version and applies it only on the click', async ({ page }) => {
    await page.goto(`${site.url}/#/library`);
    await waitForServiceWorkerControl(page);
    await page.evaluate(() => ((window as unknown as { loadedOnce: boolean }).loadedOnce = true));
    await expect(page.getByTestId('update-prompt')).toHaveCount(0);

    // Publish a new version: a service worker script that differs from the installed one.
    await site.publishNewServiceWorker();
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      await registration!.update();
    });
    const prompt = page.getByTestId('update-prompt');
    await expect(prompt).toContainText('A new version is ready.');
    const update = prompt.getByRole('button', { name: 'Update' });

    // While the printer is busy the update is held back: the reload would stop the print.
    await page.evaluate(() => window.dispatchEvent(new CustomEvent('sp-printer-state', { detail: { state: 'printing' } })));
    await expect(update).toBeDisabled();
    await expect(prompt).toContainText('Update after the print');
    await page.evaluate(() => window.dispatchEvent(new CustomEvent('sp-printer-state', { detail: { state: 'idle' } })));
    await expect(update).toBeEnabled();

    // Nothing happens by itself: the page is the same page, the new worker still waits.
    await page.waitForTimeout(1500);
    expect(await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.waiting !== null)).toBe(true);

    await Promise.all([page.waitForEvent('load'), update.click()]);
    await expect(page.locator('sp-library-view')).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce)).toBeUndefined();
    await waitForServiceWorkerControl(page);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.waiting)).toBeNull();
    await expect(page.getByTestId('update-prompt')).toHaveCount(0);
  });

  test('a tab that did not ask for the update keeps running and only offers a reload', async ({ context }) => {
    const printing = await context.newPage();
    await printing.goto(`${site.url}/#/printer`);
    await waitForServiceWorkerControl(printing);
    await printing.reload();
    await waitForServiceWorkerControl(printing);
    await printing.evaluate(() => ((window as unknown as { loadedOnce: boolean }).loadedOnce = true));
    const other = await context.newPage();
    await other.goto(`${site.url}/#/library`);
    await waitForServiceWorkerControl(other);

    await site.publishNewServiceWorker();
    await other.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
    await expect(other.getByTestId('update-prompt')).toContainText('A new version is ready.');
    await expect(printing.getByTestId('update-prompt')).toContainText('A new version is ready.');

    await Promise.all([other.waitForEvent('load'), other.getByTestId('update-prompt').getByRole('button', { name: 'Update' }).click()]);
    await expect(printing.getByTestId('update-prompt')).toContainText('Sliceport was updated in another tab.');
    await expect(printing.getByRole('button', { name: 'Reload this tab' })).toBeVisible();
    await printing.waitForTimeout(1000);
    expect(await printing.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true);
  });
});
