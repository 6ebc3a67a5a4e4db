// The slicing engine as the production server delivers it: Settings → About names the exact engine and
// catalog and links to the engine's corresponding source, and the wasm goes over the wire precompressed.

import { expect, test } from '@playwright/test';

test('Settings → About names the engine and the catalog and links to the corresponding source', async ({ page }) => {
  const engineJson = (await (await page.request.get('/engine/engine.json')).json()) as { engine: string; builtFromSource: boolean };
  await page.goto('/#/settings');
  const about = page.locator('sp-engine-about');
  await expect(about.locator('[data-testid=engine-name]')).toHaveText(engineJson.engine);
  await expect(about.locator('[data-testid=catalog-about]')).toContainText('setting_version');
  await about.locator('summary').click();
  const sources = about.locator('[data-testid=engine-sources] a');
  await expect(sources.first()).toHaveAttribute('href', /^https:\/\//);
  if (engineJson.builtFromSource) {
    await expect(about.locator('[data-testid=engine-name]')).toHaveText('CuraEngine 5.13.0');
    await expect(sources.first()).toHaveAttribute('href', 'https://github.com/Ultimaker/CuraEngine/archive/refs/tags/5.13.0.tar.gz');
    // Our recipe is served by the app itself.
    const recipe = about.locator('[data-testid=engine-recipe] a').filter({ hasText: 'wasm/engine-patches.mjs' });
    const href = await recipe.getAttribute('href');
    expect(href).not.toBeNull();
    const response = await page.request.get(href!);
    expect(response.ok()).toBe(true);
    expect(await response.text()).toContain('export const enginePatches');
  }
});

test('the engine wasm is served brotli-compressed to a browser that accepts it, and plain otherwise', async ({ request }) => {
  const compressed = await request.fetch('/engine/cura-engine.wasm', { headers: { 'accept-encoding': 'br' } });
  expect(compressed.headers()['content-encoding']).toBe('br');
  expect(compressed.headers()['content-type']).toBe('application/wasm');
  const plain = await request.fetch('/engine/cura-engine.wasm', { headers: { 'accept-encoding': 'identity' } });
  expect(plain.headers()['content-encoding']).toBeUndefined();
  const body = await plain.body();
  expect([...body.subarray(0, 4)]).toEqual([0, 0x61, 0x73, 0x6d]);
});
