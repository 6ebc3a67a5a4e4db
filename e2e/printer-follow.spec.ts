// Follow the print: while the simulated printer prints a stored G-code, the Printer view shows the
// file's toolpaths and marks what the printer has acknowledged so far.
import { expect, test, type Locator } from '@playwright/test';
import { PLAYWRIGHT_BROWSER_FLAGS } from '../scripts/find-browser.mjs';
import { squareSpiralGcode } from './support/gcode-fixture.js';
import { storeGcode } from './support/library-fixture.js';
import { connectSimulator, openPrinterView, simulatorLog } from './support/printer-page.js';

// Headless Chromium without a GPU draws WebGL with SwiftShader only when allowed to.
test.use({
  launchOptions: {
    executablePath: process.env.SLICEPORT_BROWSER,
    args: [...PLAYWRIGHT_BROWSER_FLAGS, '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  },
});

async function printedLine(canvas: Locator): Promise<number> {
  return Number(await canvas.getAttribute('data-printed-line'));
}

async function canvasPixels(canvas: Locator): Promise<Buffer> {
  await canvas.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  return canvas.screenshot();
}

test('during a print the toolpath preview appears and its printed-line marker advances', async ({ page }) => {
  test.setTimeout(120_000);
  await openPrinterView(page);
  await connectSimulator(page);
  // About 0.4 s per move: long enough to watch, cancelled once seen.
  const fixture = squareSpiralGcode({ name: 'e2e-follow.gcode', moves: 400, layers: 4, feedRate: 3000, segmentMm: 2 });
  const fileLines = fixture.text.split('\n');
  const gcodeId = await storeGcode(page, fixture, { layerCount: 4 });
  await page.goto(`/#/printer?gcode=${gcodeId}`);
  await expect(page.getByTestId('job-file')).toHaveValue(gcodeId);
  await expect(page.getByTestId('job-preview-card')).toHaveCount(0); // no job, no preview
  await page.getByTestId('job-start').click();

  const card = page.getByTestId('job-preview-card');
  await expect(card).toBeVisible();
  const preview = card.locator('sp-gcode-preview');
  await expect(preview.getByTestId('layer-count')).toHaveText('4', { timeout: 30_000 });
  await expect(preview.locator('.empty[role="status"]')).toHaveCount(0); // WebGL started
  const canvas = preview.locator('canvas');

  // The marker follows the printer: it moves forward, and the line it names is a line the printer ran.
  await expect.poll(() => printedLine(canvas), { timeout: 30_000 }).toBeGreaterThan(12);
  const first = await printedLine(canvas);
  const firstPixels = await canvasPixels(canvas);
  const firstCommand = fileLines[first - 1].replace(/;.*$/, '').trim();
  expect(firstCommand, `file line ${first} is a command`).not.toBe('');
  expect(await simulatorLog(page)).toContain(firstCommand);
  await expect.poll(() => printedLine(canvas), { timeout: 30_000 }).toBeGreaterThan(first + 5);
  const second = await printedLine(canvas);
  await expect(card.getByTestId('job-preview-line')).toHaveAttribute('data-line', /\d+/);
  expect(Number(await card.getByTestId('job-preview-line').getAttribute('data-line'))).toBeGreaterThanOrEqual(second);
  expect((await canvasPixels(canvas)).equals(firstPixels), 'more of the print is drawn as printed').toBe(false);

  // Collapsing removes the preview (its worker and buffers); opening it brings it back, still following.
  await card.locator('summary').click();
  await expect(card.locator('sp-gcode-preview')).toHaveCount(0);
  await card.locator('summary').click();
  await expect(preview.getByTestId('layer-count')).toHaveText('4', { timeout: 30_000 });
  await expect.poll(() => printedLine(preview.locator('canvas')), { timeout: 30_000 }).toBeGreaterThan(second);

  await page.getByTestId('job-cancel').click();
  await page.getByTestId('job-confirm').click();
  await expect(page.getByTestId('job-progress')).toHaveAttribute('data-job-state', 'cancelled', { timeout: 60_000 });
  // Stopped: the marker stays on the last acknowledged line and the slider on that line's layer.
  const stoppedCanvas = preview.locator('canvas');
  await expect.poll(async () => Number(await card.getByTestId('job-preview-line').getAttribute('data-line'))).toBe(await printedLine(stoppedCanvas));
  const last = await printedLine(stoppedCanvas);
  expect(last).toBeGreaterThan(second);
  const layer = Math.max(1, fileLines.slice(0, last).filter((l) => l.startsWith(';LAYER:')).length);
  await expect(preview.getByTestId('layer-label')).toContainText(new RegExp(`^Layer ${layer} of 4`));
});
