// Slicing in Chromium against the production build: choose a catalog printer, load a model through the
// plate's file input, change layer height and infill, slice with progress shown, read the summary;
// cancel a slice midway and slice again. The page runs under a strict Content Security Policy (no
// 'unsafe-eval'): the engine must not need eval.

import { expect, test, type Page } from '@playwright/test';
import { binaryStlBytes, cubeTriangles } from '../src/models/fixtures/model-fixtures.js';
import { addToPlate, openPrepare } from './support/plate-page.js';

const strictPolicy = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
].join('; ');

// Our own routing of every response adds the policy; service workers would bypass the routes.
test.use({ serviceWorkers: 'block' });
test.afterEach(async ({ page }) => {
  await page.unrouteAll({ behavior: 'ignoreErrors' });
});

async function withStrictPolicy(page: Page, violations: string[]): Promise<void> {
  await page.route('**/*', async (route) => {
    try {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': strictPolicy } });
    } catch {
      // The page is closing at the end of the test: its last requests no longer matter.
      await route.continue().catch(() => undefined);
    }
  });
  page.on('console', (message) => {
    const text = message.text();
    // The test's own inline-script probe is refused on purpose.
    if (/Content Security Policy|unsafe-eval/i.test(text) && !text.startsWith('Executing inline script')) violations.push(text);
  });
  page.on('pageerror', (error) => {
    if (/EvalError|Content Security Policy/i.test(error.message)) violations.push(error.message);
  });
}

async function choosePrinter(page: Page, search: string, id: string): Promise<void> {
  await page.locator('sp-printer-picker [data-testid=printer-search]').fill(search);
  await page.locator(`sp-printer-picker [data-testid=printer-option][data-machine=${id}]`).click();
  await expect(page.locator('sp-printer-picker [data-testid=current-printer]')).toContainText('Ender-3');
}

async function setSetting(page: Page, key: string, value: string): Promise<void> {
  const input = page.locator(`sp-settings-panel [data-testid=common-settings] [data-setting=${key}]`);
  await input.fill(value);
  await input.dispatchEvent('change');
  await expect(input).toHaveValue(value);
}

const sliceButton = (page: Page) => page.locator('sp-slice-panel button[data-action=slice]');
const summary = (page: Page) => page.locator('sp-slice-panel [data-role=summary]');

test('slices a cube on an Ender-3 with changed layer height and infill, showing progress and a summary', async ({ page }) => {
  const violations: string[] = [];
  await withStrictPolicy(page, violations);
  await openPrepare(page);
  // The policy is in force: an inline script is refused.
  expect(
    await page.evaluate(async () => {
      const refused = new Promise<string>((resolve) =>
        document.addEventListener('securitypolicyviolation', (event) => resolve(event.violatedDirective), { once: true }),
      );
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.head.append(script);
      return Promise.race([refused, new Promise<string>((resolve) => setTimeout(() => resolve('no violation'), 2000))]);
    }),
  ).toMatch(/^script-src/);
  violations.length = 0; // that refusal was ours
  await choosePrinter(page, 'ender 3', 'creality_ender3');
  await addToPlate(page, [{ name: 'Test cube.stl', buffer: Buffer.from(binaryStlBytes(cubeTriangles(20))) }]);
  await expect(page.locator('sp-build-plate ul.objects button')).toHaveCount(1);

  // A setting in error refuses the slice, saying why.
  await setSetting(page, 'layer_height', '0');
  await expect(sliceButton(page)).toBeDisabled();
  await expect(page.locator('sp-slice-panel [data-role=refusal]')).toContainText('Fix the settings first');

  await setSetting(page, 'layer_height', '0.3');
  await setSetting(page, 'infill_sparse_density', '40');

  await expect(sliceButton(page)).toBeEnabled();
  // Sample the progress bar inside the page every few milliseconds: a small cube slices in about a second.
  await page.evaluate(() => {
    const findPanel = (root: ParentNode): Element | null => {
      const direct = root.querySelector('sp-slice-panel');
      if (direct) return direct;
      for (const element of root.querySelectorAll('*')) {
        const found = element.shadowRoot ? findPanel(element.shadowRoot) : null;
        if (found) return found;
      }
      return null;
    };
    const panel = findPanel(document);
    const seen = new Set<number>();
    (window as unknown as { progressSeen: Set<number> }).progressSeen = seen;
    setInterval(() => {
      const bar = panel?.shadowRoot?.querySelector('progress');
      if (bar) seen.add(bar.value);
    }, 5);
  });
  await sliceButton(page).click();
  const progress = page.locator('sp-slice-panel progress');
  await expect(summary(page)).toBeVisible({ timeout: 90_000 });
  await expect(progress).toHaveCount(0);
  // The bar was shown and moved.
  const seen = await page.evaluate(() => [...(window as unknown as { progressSeen: Set<number> }).progressSeen]);
  expect(seen.length).toBeGreaterThan(1);

  // 20 mm at 0.3 mm layers (first layer as the profile says): about 67 layers, not the 100 of 0.2 mm.
  const layers = Number(await summary(page).locator('[data-field=layers]').textContent());
  expect(layers).toBeGreaterThanOrEqual(64);
  expect(layers).toBeLessThanOrEqual(70);
  await expect(summary(page).locator('[data-field=time]')).toHaveText(/\d+ (min|s)|\d+ h \d+ min/);
  await expect(summary(page).locator('[data-field=filament]')).toHaveText(/^\d+\.\d\d m · \d+\.\d g$/);

  // The G-code reaches the library and the printer view.
  await page.locator('sp-slice-panel button[data-action=print]').click();
  await expect(page).toHaveURL(/#\/printer\?gcode=[\w-]+/);
  expect(violations).toEqual([]);
});

test('a slice can be cancelled midway, and the next slice works', async ({ page }) => {
  const violations: string[] = [];
  await withStrictPolicy(page, violations);
  await openPrepare(page);
  await choosePrinter(page, 'ender 3', 'creality_ender3');
  // A tall, finely tessellated part: a few seconds of slicing, long enough to cancel midway.
  await addToPlate(page, [{ name: 'Tall block.stl', buffer: Buffer.from(binaryStlBytes(cubeTriangles(60))) }]);
  await expect(page.locator('sp-build-plate ul.objects button')).toHaveCount(1);
  await setSetting(page, 'layer_height', '0.06');

  await sliceButton(page).click();
  const progress = page.locator('sp-slice-panel progress');
  await expect(progress).toBeVisible();
  await expect
    .poll(async () => Math.max(0, ...(await progress.evaluateAll((elements) => elements.map((element) => (element as HTMLProgressElement).value)))), {
      timeout: 60_000,
    })
    .toBeGreaterThan(0.05);
  await page.locator('sp-slice-panel button[data-action=cancel]').click();
  await expect(page.locator('sp-slice-panel [data-role=notice]')).toHaveText('Slicing cancelled.');
  await expect(progress).toHaveCount(0);
  await expect(summary(page)).toHaveCount(0);

  await setSetting(page, 'layer_height', '0.3');
  await sliceButton(page).click();
  await expect(summary(page)).toBeVisible({ timeout: 90_000 });
  const layers = Number(await summary(page).locator('[data-field=layers]').textContent());
  expect(layers).toBeGreaterThan(150);
  expect(violations).toEqual([]);
});
