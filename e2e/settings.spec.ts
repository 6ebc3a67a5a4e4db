// Printer choice and settings in the Prepare view, in Chromium against the production build: pick a
// catalog printer, change layer height and infill, watch dependent values in "All settings", see an
// out-of-range value refused, and find the changes again after a reload.

import { expect, test, type Page } from '@playwright/test';

const common = (page: Page, key: string) => page.locator(`[data-testid=common-settings] [data-setting=${key}]`);
const treeRow = (page: Page, key: string) => page.locator(`[data-testid=settings-tree] [data-row=${key}]`);

async function setCommon(page: Page, key: string, value: string): Promise<void> {
  const input = common(page, key);
  await input.fill(value);
  await input.press('Tab');
}

async function searchTree(page: Page, text: string): Promise<void> {
  await page.locator('[data-testid=settings-search]').fill(text);
}

test('choose a printer, change settings, see dependents, errors, and the changes kept across a reload', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/#/prepare');

  // Pick the Ender-3 from the catalog by searching its maker and name.
  await page.locator('[data-testid=printer-search]').fill('creality ender-3');
  const option = page.locator('[data-testid=printer-option][data-machine=creality_ender3]');
  await expect(option).toContainText('235 × 235 × 250 mm');
  await option.click();
  await expect(page.locator('[data-testid=current-printer]')).toContainText('Creality Ender-3');
  await expect(page.locator('[data-testid=build-volume]')).toHaveText('235 × 235 × 250 mm');
  await expect(page.locator('[data-testid=quality-preset]')).toHaveValue('standard');
  await expect(common(page, 'layer_height')).toHaveValue('0.2');
  await expect(common(page, 'infill_sparse_density')).toHaveValue('20');

  // All settings: the infill line distance follows density (Ender-3: cubic, 0.4 mm lines × 100 / 20 % × 3).
  await page.locator('[data-testid=all-settings-toggle]').click();
  await searchTree(page, 'infill line distance');
  await expect(treeRow(page, 'infill_line_distance').locator('input')).toHaveValue('6');
  await setCommon(page, 'infill_sparse_density', '40');
  await expect(treeRow(page, 'infill_line_distance').locator('input')).toHaveValue('3');
  await expect(common(page, 'infill_sparse_density')).toHaveValue('40');

  // Layer height: top layers follow (ceil(thickness / layer height)).
  await searchTree(page, 'top layers');
  const topLayers = treeRow(page, 'top_layers').locator('input');
  const before = Number(await topLayers.inputValue());
  await setCommon(page, 'layer_height', '0.12');
  await expect(topLayers).not.toHaveValue(String(before));
  expect(Number(await topLayers.inputValue())).toBeGreaterThan(before);
  await expect(page.locator('[data-testid=common-settings] [data-changed=layer_height]')).toBeVisible();
  // The preset no longer claims its own height: it is marked modified and shows the height in use.
  await expect(page.locator('[data-testid=quality-preset] option:checked')).toHaveText('Standard Quality * (0.12 mm, modified)');

  // An out-of-range value is shown as an error and blocks slicing until fixed.
  await setCommon(page, 'infill_sparse_density', '-5');
  await expect(page.locator('[data-testid=common-settings] [data-message=infill_sparse_density]')).toHaveText('Infill Density must be at least 0 %.');
  await expect(page.locator('[data-testid=settings-errors]')).toContainText('Infill Density');
  // A value that is not a number is refused in plain words.
  await setCommon(page, 'speed_print', 'fast');
  await expect(page.locator('[data-testid=common-settings] [data-message=speed_print]')).toContainText('needs a number');
  await setCommon(page, 'speed_print', '65');
  await setCommon(page, 'infill_sparse_density', '40');
  await expect(page.locator('[data-testid=settings-errors]')).toHaveCount(0);

  // Reset to default removes the user's mark and brings back the printer's value.
  await searchTree(page, 'print speed');
  await expect(treeRow(page, 'speed_print').locator('[data-changed]')).toHaveCount(1);
  await treeRow(page, 'speed_print').locator('[data-reset=speed_print]').click();
  await expect(treeRow(page, 'speed_print').locator('[data-changed]')).toHaveCount(0);
  await expect(common(page, 'speed_print')).toHaveValue('50');

  // The changes are kept per printer in IndexedDB (one slicing profile record) and come back after a reload.
  await expect
    .poll(() =>
      page.evaluate(
        () =>
          new Promise<unknown>((resolve) => {
            const open = indexedDB.open('sliceport');
            open.onsuccess = () => {
              const get = open.result.transaction('slicingProfiles').objectStore('slicingProfiles').get('machine:creality_ender3');
              get.onsuccess = () => {
                resolve(get.result?.changes ?? null);
                open.result.close();
              };
              get.onerror = () => resolve(null);
            };
            open.onerror = () => resolve(null);
          }),
      ),
    )
    .toEqual({ global: { layer_height: 0.12 }, extruders: { '0': { infill_sparse_density: 40 } } });
  await page.reload();
  await expect(page.locator('[data-testid=current-printer]')).toContainText('Creality Ender-3');
  await expect(common(page, 'infill_sparse_density')).toHaveValue('40');
  await expect(common(page, 'layer_height')).toHaveValue('0.12');
  await expect(common(page, 'speed_print')).toHaveValue('50');
  await page.locator('[data-testid=all-settings-toggle]').click();
  await searchTree(page, 'infill line distance');
  await expect(treeRow(page, 'infill_line_distance').locator('input')).toHaveValue('3');
  expect(errors).toEqual([]);
});

test('a custom printer takes the size the user enters', async ({ page }) => {
  await page.goto('/#/prepare');
  await page.locator('[data-testid=custom-printer]').click();
  await expect(page.locator('[data-testid=current-printer]')).toContainText('Custom FFF printer');
  const width = page.locator('[data-testid=custom-printer-settings] [data-setting=machine_width]');
  await width.fill('300');
  await width.press('Tab');
  await expect(width).toHaveValue('300');
  // The size is published as the build volume the plate and the slicer use.
  await expect(page.locator('[data-testid=build-volume]')).toHaveText('300 × 100 × 100 mm');
  const depth = page.locator('[data-testid=custom-printer-settings] [data-setting=machine_depth]');
  await depth.fill('0');
  await depth.press('Tab');
  await expect(page.locator('[data-testid=custom-printer-settings] [data-message=machine_depth]')).toContainText('Machine Depth');
});

test('the printer search finds models however they are typed, and says when a model is missing', async ({ page }) => {
  await page.goto('/#/prepare');
  const search = page.locator('[data-testid=printer-search]');
  const options = page.locator('[data-testid=printer-option]');
  await search.fill('ender3v2');
  await expect(options.first()).toHaveAttribute('data-machine', 'creality_ender3');
  await search.fill('Ender 3 V3');
  await expect(options).toHaveCount(2);
  await expect(page.locator('[data-testid=printer-option][data-machine=creality_ender3v3se]')).toContainText('220 × 220 × 250 mm');
  await search.fill('UltiMaker S5');
  await expect(options).toHaveCount(1);
  await expect(options.first()).toContainText('2 extruders');
  // Cura 5.13 has no Prusa MK4: the Prusa printers it has are offered instead, and the page says why.
  await search.fill('Prusa MK4');
  await expect(page.locator('[data-testid=printer-partial]')).toContainText('No printer has every word of "Prusa MK4"');
  await expect(options.first()).toHaveAttribute('data-machine', 'prusa_i3');
  await expect(page.locator('[data-testid=definitions-fallback]')).toHaveCount(0);
  await search.fill('ender 3 v3 se');
  await page.locator('[data-testid=printer-option][data-machine=creality_ender3v3se]').click();
  await expect(page.locator('[data-testid=current-printer]')).toContainText('Creality Ender-3 V3 SE');
  await expect(page.locator('[data-testid=build-volume]')).toHaveText('220 × 220 × 250 mm');
});
