// The G-code preview in Chromium: open a G-code the test makes, scrub layers, toggle a feature and
// travel moves, and open a stored file from the Library.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { PLAYWRIGHT_BROWSER_FLAGS } from '../scripts/find-browser.mjs';

// Headless Chromium without a GPU draws WebGL with SwiftShader only when allowed to.
test.use({
  launchOptions: {
    executablePath: process.env.SLICEPORT_BROWSER,
    args: [...PLAYWRIGHT_BROWSER_FLAGS, '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  },
});

const LAYERS = 20;

/** A small print: per layer an outer-wall square, travel, then infill lines, with Cura's comments. */
function makeGcode(): string {
  const lines = [';FLAVOR:Marlin', `;LAYER_COUNT:${LAYERS}`, 'G28', 'G90', 'M82', 'G92 E0'];
  let e = 0;
  for (let layer = 0; layer < LAYERS; layer++) {
    const z = (0.2 + layer * 0.2).toFixed(2);
    lines.push(`;LAYER:${layer}`, `G0 F6000 X80 Y80 Z${z}`, ';TYPE:WALL-OUTER');
    for (const [x, y] of [[120, 80], [120, 120], [80, 120], [80, 80]]) lines.push(`G1 F1800 X${x} Y${y} E${(e += 1.5).toFixed(4)}`);
    lines.push(';TYPE:FILL', 'G0 F6000 X140 Y140', 'G0 X82 Y82');
    for (let k = 0; k < 18; k++) {
      const y = 82 + k * 2;
      lines.push(`G0 X82 Y${y}`, `G1 X118 Y${y} E${(e += 1.2).toFixed(4)}`);
    }
  }
  lines.push('G1 Z30 F600', 'M84');
  return `${lines.join('\n')}\n`;
}

async function openPreview(page: Page): Promise<Locator> {
  await page.goto('/#/library?preview=');
  const preview = page.locator('sp-gcode-preview');
  await expect(preview).toBeVisible();
  await preview.locator('input[type="file"]').setInputFiles({
    name: 'test-square.gcode',
    mimeType: 'text/x-gcode',
    buffer: Buffer.from(makeGcode()),
  });
  await expect(preview.getByTestId('layer-label')).toHaveText(`Layer ${LAYERS} of ${LAYERS} · Z ${(0.2 * LAYERS).toFixed(2)} mm`);
  await expect(preview.locator('.empty[role="status"]')).toHaveCount(0); // WebGL started
  return preview;
}

async function canvasPixels(canvas: Locator): Promise<Buffer> {
  // Two animation frames so the on-demand renderer has drawn the latest state.
  await canvas.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  return canvas.screenshot();
}

test('opens a G-code file and scrubs its layers', async ({ page }) => {
  const preview = await openPreview(page);
  const canvas = preview.locator('canvas');
  await expect(preview.getByTestId('layer-count')).toHaveText(String(LAYERS));
  const total = Number(await canvas.getAttribute('data-draw-end'));
  expect(total).toBeGreaterThan(LAYERS * 30);
  expect(await canvas.getAttribute('data-draw-first')).toBe('0');
  const full = await canvasPixels(canvas);

  const slider = preview.getByRole('slider', { name: 'Layer' });
  await slider.focus();
  await page.keyboard.press('Home');
  await expect(preview.getByTestId('layer-label')).toHaveText(`Layer 1 of ${LAYERS} · Z 0.20 mm`);
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  await expect(preview.getByTestId('layer-label')).toHaveText(`Layer 5 of ${LAYERS} · Z 1.00 mm`);
  const upToFive = Number(await canvas.getAttribute('data-draw-end'));
  expect(upToFive).toBeGreaterThan(0);
  expect(upToFive).toBeLessThan(total);
  const lower = await canvasPixels(canvas);
  expect(lower.equals(full)).toBe(false);

  await preview.getByLabel('Only this layer').check();
  await expect(canvas).not.toHaveAttribute('data-draw-first', '0');
  const first = Number(await canvas.getAttribute('data-draw-first'));
  expect(Number(await canvas.getAttribute('data-draw-end'))).toBe(upToFive);
  expect(first).toBeGreaterThan(0);
  const single = await canvasPixels(canvas);
  expect(single.equals(lower)).toBe(false);
});

test('toggles a feature type and travel moves', async ({ page }) => {
  const preview = await openPreview(page);
  const canvas = preview.locator('canvas');
  const before = await canvasPixels(canvas);
  const mask = Number(await canvas.getAttribute('data-feature-mask'));
  expect(mask).toBeGreaterThan(0);

  const infill = preview.getByRole('checkbox', { name: 'Infill' });
  await expect(infill).toBeChecked();
  await infill.uncheck();
  await expect(canvas).not.toHaveAttribute('data-feature-mask', String(mask));
  const withoutInfill = await canvasPixels(canvas);
  expect(withoutInfill.equals(before)).toBe(false);
  await infill.check();
  await expect(canvas).toHaveAttribute('data-feature-mask', String(mask));

  const travel = preview.getByRole('checkbox', { name: 'Travel moves' });
  await expect(travel).not.toBeChecked();
  await travel.check();
  await expect(canvas).toHaveAttribute('data-travel', 'true');
  const withTravel = await canvasPixels(canvas);
  expect(withTravel.equals(before)).toBe(false);
  await travel.uncheck();
  await expect(canvas).toHaveAttribute('data-travel', 'false');
});

test('reports a file with no extrusion in plain words', async ({ page }) => {
  await page.goto('/#/library?preview=');
  const preview = page.locator('sp-gcode-preview');
  await preview.locator('input[type="file"]').setInputFiles({
    name: 'laser.nc',
    mimeType: 'text/plain',
    buffer: Buffer.from('G21\nG0 X10 Y10\nM3 S255\nG1 X20 Y10 F600\nG1 X20 Y20\nM5\n'),
  });
  await expect(preview.getByText(/looks like G-code for a CNC mill or a laser/)).toBeVisible();
});

test('opens a G-code stored in the Library', async ({ page }) => {
  await page.goto('/#/library');
  await page.getByTestId('library-file-input').setInputFiles({
    name: 'stored-square.gcode',
    mimeType: 'text/x-gcode',
    buffer: Buffer.from(makeGcode()),
  });
  await page.getByRole('link', { name: 'Preview stored-square.gcode' }).click();
  await expect(page).toHaveURL(/#\/library\?preview=/);
  const preview = page.locator('sp-gcode-preview');
  await expect(preview.getByTestId('layer-label')).toHaveText(`Layer ${LAYERS} of ${LAYERS} · Z ${(0.2 * LAYERS).toFixed(2)} mm`);
  await expect(preview.locator('.name')).toHaveText('stored-square.gcode');
});

test('follows a print: the layer being printed is shown and later lines are ghosted', async ({ page }) => {
  const preview = await openPreview(page);
  const canvas = preview.locator('canvas');
  const whole = await canvasPixels(canvas);
  // Line 60 is in the third layer of the generated file (each layer is about 48 lines after a 6-line header).
  await preview.evaluate((element) => {
    (element as HTMLElement & { printedLine: number | null }).printedLine = 60;
  });
  await expect(preview.getByTestId('layer-label')).toHaveText(`Layer 2 of ${LAYERS} · Z 0.40 mm`);
  const following = await canvasPixels(canvas);
  expect(following.equals(whole)).toBe(false);
  await preview.evaluate((element) => {
    (element as HTMLElement & { printedLine: number | null }).printedLine = 100_000;
  });
  await expect(preview.getByTestId('layer-label')).toHaveText(`Layer ${LAYERS} of ${LAYERS} · Z ${(0.2 * LAYERS).toFixed(2)} mm`);
});
