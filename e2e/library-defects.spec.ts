// The Library, History and Prepare as a new user meets them: files checked when added, duplicates
// offered back, messages that can be dismissed, search that says it found nothing, one h1 per view,
// History readable on a phone, the preview opening where the user looks, the keyboard reaching
// "Add models…", and the storage meter counting what the library holds.

import { expect, test, type FileChooser, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { storeGcode } from './support/library-fixture.js';

const SHOTS = process.env.SLICEPORT_SHOTS;

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: false });
}

function png(size = 4096): Buffer {
  const bytes = Buffer.alloc(size, 0x48);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]).copy(bytes);
  return bytes;
}

function cubeStl(seed = 0): Buffer {
  const bytes = Buffer.alloc(84 + 50 * 2);
  bytes.writeUInt32LE(2, 80);
  bytes[90] = seed;
  return bytes;
}

async function addToLibrary(page: Page, files: { name: string; buffer: Buffer }[]): Promise<void> {
  await page
    .getByTestId('library-file-input')
    .setInputFiles(files.map((file) => ({ name: file.name, mimeType: 'application/octet-stream', buffer: file.buffer })));
}

const messages = (page: Page) => page.locator('sp-library-view .messages .note');

test('refuses a picture named .gcode or .stl and an empty G-code file in plain words, and stores none of them', async ({ page }) => {
  await page.goto('/#/library');
  await addToLibrary(page, [
    { name: 'photo.gcode', buffer: png() },
    { name: 'empty.gcode', buffer: Buffer.alloc(0) },
    { name: 'photo.stl', buffer: png() },
    { name: 'notes.gcode', buffer: Buffer.from('; nothing but a comment\n') },
    { name: 'good.gcode', buffer: Buffer.from('G28\nG1 Z5\n') },
  ]);
  await expect(messages(page).first()).toHaveText(/Added good\.gcode\./);
  const view = page.locator('sp-library-view');
  await expect(view.getByText('photo.gcode is a PNG image, not G-code, so it cannot be printed.')).toBeVisible();
  await expect(view.getByText('empty.gcode is empty: it has no G-code in it.')).toBeVisible();
  // Five messages: three shown, the rest folded away behind one button.
  await expect(messages(page)).toHaveCount(3);
  await view.getByRole('button', { name: 'Show 2 more messages' }).click();
  await expect(messages(page)).toHaveCount(5);
  await expect(view.getByText('photo.stl: This file is a PNG image, not a 3D model.', { exact: false })).toBeVisible();
  await expect(view.locator('.messages')).not.toContainText('\u0089');
  await expect(page.getByRole('list', { name: 'G-code files' }).locator('li')).toHaveCount(1);
  await expect(view.getByText('No models yet.', { exact: false })).toBeVisible();
  await shot(page, `library-refused-${page.viewportSize()!.width}`);
  // Each message can be dismissed, and all at once.
  await view.getByRole('button', { name: 'Dismiss this message' }).first().click();
  await expect(messages(page)).toHaveCount(4);
  await view.getByRole('button', { name: 'Dismiss all' }).click();
  await expect(messages(page)).toHaveCount(0);
});

test('a search with no hits says so instead of "No models yet"', async ({ page }) => {
  await page.goto('/#/library');
  await addToLibrary(page, [
    { name: 'cube.stl', buffer: cubeStl(1) },
    { name: 'cube.gcode', buffer: Buffer.from('G28\n') },
  ]);
  await expect(page.getByRole('list', { name: 'Models' }).locator('li')).toHaveCount(1);
  await page.getByRole('searchbox', { name: 'Search the library by name' }).fill('benchy');
  const view = page.locator('sp-library-view');
  await expect(view.getByText('No models match “benchy”.')).toBeVisible();
  await expect(view.getByText('No G-code files match “benchy”.')).toBeVisible();
  await expect(view.getByText('No models yet', { exact: false })).toHaveCount(0);
});

test('adding the same file again offers the entry already there, or a copy', async ({ page }) => {
  await page.goto('/#/library');
  await addToLibrary(page, [{ name: 'cube.stl', buffer: cubeStl(1) }]);
  const models = page.getByRole('list', { name: 'Models' }).locator('li');
  await expect(models).toHaveCount(1);
  await addToLibrary(page, [{ name: 'cube again.stl', buffer: cubeStl(1) }]);
  const view = page.locator('sp-library-view');
  await expect(view.getByText('cube again.stl is already in the Library as “cube.stl”: it is the same file.')).toBeVisible();
  await expect(models).toHaveCount(1);
  await shot(page, `library-duplicate-${page.viewportSize()!.width}`);
  await view.getByRole('button', { name: 'Use the one in the Library' }).click();
  await expect(page.getByRole('list', { name: 'Models' }).locator('li.highlight')).toContainText('cube.stl');
  await expect(models).toHaveCount(1);
  await addToLibrary(page, [{ name: 'cube.stl', buffer: cubeStl(1) }]);
  await view.getByRole('button', { name: 'Add a copy anyway' }).click();
  await expect(models).toHaveCount(2);
});

test('the storage meter counts the bytes the library holds, and the browser only for what is left', async ({ page }) => {
  await page.goto('/#/library');
  await addToLibrary(page, [
    { name: 'cube.stl', buffer: cubeStl(1) },
    { name: 'cube.gcode', buffer: Buffer.from('G28\nG1 Z5\n') },
  ]);
  await expect(page.getByRole('list', { name: 'G-code files' }).locator('li')).toHaveCount(1);
  // 184 + 10 bytes, whatever the browser's estimate of its database says.
  await expect(page.locator('sp-library-view').getByTestId('storage-meter-text')).toHaveText(/^194 bytes stored, .+ available$/, { timeout: 5000 });
  await expect(page.getByTestId('storage-used')).toHaveText(/^Library: 194 bytes stored, .+ available$/, { timeout: 5000 });
});

test('every view has one h1, with its sections below it', async ({ page }) => {
  for (const [title, view] of [
    ['Printer', 'printer'],
    ['Prepare', 'prepare'],
    ['Library', 'library'],
    ['History', 'history'],
    ['Settings', 'settings'],
  ] as const) {
    await page.goto(`/#/${view}`);
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
    if (view !== 'history') await expect(page.getByRole('heading', { level: 2 }).first()).toBeVisible();
    // No level is skipped: nothing below h2 on a view without h2s.
    if ((await page.getByRole('heading', { level: 2 }).count()) === 0) await expect(page.getByRole('heading', { level: 3 })).toHaveCount(0);
  }
});

test('Preview opens where the user is, even at the bottom of a long list', async ({ page }) => {
  await page.goto('/#/library');
  for (let i = 0; i < 14; i++) await storeGcode(page, { name: `part-${String(i).padStart(2, '0')}.gcode`, text: `G28\nG1 Z0.2 X${i} E1\n`, commands: [] });
  const rows = page.getByRole('list', { name: 'G-code files' }).locator('li');
  await expect(rows).toHaveCount(14);
  const last = rows.last();
  await last.scrollIntoViewIfNeeded();
  await last.getByRole('link', { name: /^Preview / }).click();
  const panel = page.getByRole('region', { name: 'G-code preview' });
  await expect(panel).toBeVisible();
  await expect(panel).toBeInViewport();
  await expect(panel.getByRole('heading', { name: 'G-code preview' })).toBeFocused();
  await shot(page, `library-preview-${page.viewportSize()!.width}`);
});

test('History fits a 390 px wide phone', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/#/history');
  await page.evaluate(async () => {
    let db: IDBDatabase | undefined;
    for (let attempt = 0; attempt < 100 && !db; attempt++) {
      const open = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('sliceport');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      if (open.objectStoreNames.contains('jobs')) db = open;
      else {
        open.close();
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const tx = db!.transaction('jobs', 'readwrite');
    const now = Date.now();
    for (const [i, outcome] of ['completed', 'cancelled', 'failed'].entries()) {
      tx.objectStore('jobs').put({
        id: `job-${i}`, gcodeId: 'g', fileName: `a-rather-long-file-name-for-a-phone-screen-${i}.gcode`, printerId: 'p',
        printerName: 'Creality Ender-3 V2 Neo', startedAt: now - 3_600_000 * (i + 1), endedAt: now - 3_000_000 * (i + 1),
        updatedAt: now, outcome, reason: outcome === 'failed' ? 'The printer reported: Thermal Runaway, system stopped! Heater_ID: 0' : undefined,
        progress: 0.5, lastLine: 10, filamentUsedMm: 1234,
      });
    }
    await new Promise<void>((resolve) => (tx.oncomplete = () => resolve()));
    db!.close();
    const channel = new BroadcastChannel('sliceport-storage');
    channel.postMessage({ store: 'jobs', kind: 'put', ids: ['job-0'] });
    channel.close();
  });
  await page.reload();
  await expect(page.getByTestId('history-row')).toHaveCount(3);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const row = page.getByTestId('history-row').first();
  const box = (await row.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  await shot(page, 'history-390');
});

test('"Add models…" in Prepare is a button the keyboard reaches, with a focus ring, that opens the file picker', async ({ page }) => {
  await page.goto('/#/prepare');
  const button = page.getByRole('button', { name: 'Add models…' });
  await expect(button).toBeVisible();
  let reached = false;
  for (let i = 0; i < 400 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await button.evaluate((el) => el.matches(':focus-visible'));
  }
  expect(reached).toBe(true);
  const outline = await button.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe('none');
  const choosers: FileChooser[] = [];
  page.on('filechooser', (chooser) => choosers.push(chooser));
  // Enter on the focused button asks the hidden file input to open its picker…
  await page.locator('sp-build-plate input[type=file]').evaluate((input) => {
    input.addEventListener('click', () => input.setAttribute('data-opened', 'yes'), { once: true });
  });
  await page.keyboard.press('Enter');
  await expect(page.locator('sp-build-plate input[type=file]')).toHaveAttribute('data-opened', 'yes');
  // …and Space opens it too; the files chosen there go onto the plate.
  await expect(button).toBeFocused();
  await page.keyboard.press('Space');
  await expect.poll(() => choosers.length).toBeGreaterThan(0);
  const picker = choosers.at(-1)!;
  expect(picker.isMultiple()).toBe(true);
  await picker.setFiles([{ name: 'photo.stl', mimeType: 'application/octet-stream', buffer: png() }]);
  await expect(page.locator('sp-build-plate .messages')).toContainText('photo.stl: This file is a PNG image, not a 3D model.');
  await button.focus();
  await shot(page, `prepare-add-focus-${page.viewportSize()!.width}`);
});
