// Model import and the build plate, in Chromium against the production build. Files are generated here;
// real models from ../shared/data/models are added when that folder exists.

import { expect, test } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { asciiStlText, binaryStlBytes, cubeObjText, cubeThreeMfBytes, cubeTriangles } from '../src/models/fixtures/model-fixtures.js';
import { addToPlate, colourAtObject, openPrepare, plateObjects } from './support/plate-page.js';

const sharedModels = resolve(process.cwd(), '../shared/data/models');
const cubeStl = () => Buffer.from(binaryStlBytes(cubeTriangles(20, [-48, -50, -31])));

const isRed = ([r, g, b]: [number, number, number]) => r > 150 && r > g * 1.6 && r > b * 1.6;
const isBlue = ([r, g, b]: [number, number, number]) => b > 150 && b > r * 1.3;

test('imports STL (binary and ASCII), OBJ and 3MF and draws each on the plate', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await openPrepare(page);
  const files = [
    { name: 'Binary cube.stl', buffer: cubeStl() },
    { name: 'Ascii cube.stl', buffer: Buffer.from(asciiStlText(cubeTriangles(15))) },
    { name: 'Quad cube.obj', buffer: Buffer.from(cubeObjText(12)) },
    { name: 'Pair.3mf', buffer: Buffer.from(cubeThreeMfBytes(10, [{}, { transform: '1 0 0 0 1 0 0 0 1 25 0 0' }])) },
  ];
  await addToPlate(page, files);
  const list = page.locator('sp-build-plate ul.objects button');
  await expect(list).toHaveCount(5);
  for (const name of ['Binary cube', 'Ascii cube', 'Quad cube']) await expect(list.filter({ hasText: name })).toHaveCount(1);
  await expect(page.locator('sp-build-plate .messages [data-kind=ok]')).toHaveCount(4);

  const objects = await plateObjects(page);
  expect(objects).toHaveLength(5);
  for (const object of objects) {
    expect(object.outsideVolume).toBe(false);
    expect(object.bounds.min[2]).toBeCloseTo(0, 3);
  }
  const binary = objects.find((o) => o.name === 'Binary cube')!;
  expect(binary.bounds.max[0] - binary.bounds.min[0]).toBeCloseTo(20, 3);
  // The two 3MF build items keep their 25 mm spacing.
  const [first, second] = objects.filter((o) => !/cube/.test(o.name));
  expect(Math.abs(second.bounds.min[0] - first.bounds.min[0])).toBeCloseTo(25, 3);

  // No two objects overlap.
  for (let i = 0; i < objects.length; i++) {
    for (let j = i + 1; j < objects.length; j++) {
      const a = objects[i].bounds;
      const b = objects[j].bounds;
      const overlap = a.min[0] < b.max[0] && b.min[0] < a.max[0] && a.min[1] < b.max[1] && b.min[1] < a.max[1];
      expect(overlap, `${objects[i].name} overlaps ${objects[j].name}`).toBe(false);
    }
  }
  // Each object is drawn: the pixel at its centre is the model's grey or the selection's blue, not the floor.
  for (const object of objects) {
    const [r, g, b] = await colourAtObject(page, object.id);
    expect(r + g + b, `${object.name} drawn`).toBeGreaterThan(250);
  }
  expect(errors).toEqual([]);
});

test('a real 3MF with six build items and the 11 MB Benchy STL load', async ({ page }) => {
  test.skip(!existsSync(sharedModels), `real models are absent (${sharedModels})`);
  await openPrepare(page);
  await addToPlate(page, [
    { name: '3mf_core_multiple_cylinders.3mf', buffer: readFileSync(resolve(sharedModels, '3mf_core_multiple_cylinders.3mf')) },
  ]);
  await expect(page.locator('sp-build-plate ul.objects button')).toHaveCount(6);
  await addToPlate(page, [{ name: '3DBenchy.stl', buffer: readFileSync(resolve(sharedModels, '3DBenchy.stl')) }]);
  await expect(page.locator('sp-build-plate ul.objects button')).toHaveCount(7, { timeout: 60_000 });
  await expect(page.locator('sp-build-plate .messages')).toContainText('225,154 triangles');
  const benchy = (await plateObjects(page)).find((o) => o.name === '3DBenchy')!;
  expect(benchy.bounds.max[2] - benchy.bounds.min[2]).toBeCloseTo(48, 2);
});

test('the bunny offers ×1000; accepting it makes it 156 mm wide', async ({ page }) => {
  test.skip(!existsSync(sharedModels), `real models are absent (${sharedModels})`);
  await openPrepare(page);
  await addToPlate(page, [{ name: 'stanford-bunny.obj', buffer: readFileSync(resolve(sharedModels, 'stanford-bunny.obj')) }]);
  const warning = page.locator('sp-build-plate .warning').filter({ hasText: 'metres' });
  await expect(warning).toBeVisible();
  await expect(page.locator('sp-build-plate .warning').filter({ hasText: 'open edges' })).toBeVisible();
  await warning.getByRole('button', { name: 'Scale ×1000' }).click();
  await expect(warning).toHaveCount(0);
  const [bunny] = await plateObjects(page);
  expect(bunny.bounds.max[0] - bunny.bounds.min[0]).toBeCloseTo(156, 0);
  expect(bunny.outsideVolume).toBe(false);
});

test('an object moved out of the volume is drawn red and marked in the session; undo brings it back', async ({ page }) => {
  await openPrepare(page);
  await addToPlate(page, [{ name: 'Bracket.stl', buffer: cubeStl() }]);
  const item = page.locator('sp-build-plate ul.objects button', { hasText: 'Bracket' });
  await expect(item).toHaveAttribute('data-outside', 'false');
  const [placed] = await plateObjects(page);
  const blue = await colourAtObject(page, placed.id);
  expect(isBlue(blue), `colour ${blue.join(',')}`).toBe(true);

  // Behind the bed, where the default camera still sees it.
  const y = page.locator('sp-build-plate input[name=position-y]');
  await y.fill('250');
  await y.press('Enter');
  await expect(item).toHaveAttribute('data-outside', 'true');
  await expect(item.locator('.outside-tag')).toHaveText('outside');
  await expect(page.locator('sp-build-plate [data-kind=outside]')).toContainText('"Bracket" is outside the printer\'s build volume');
  const [moved] = await plateObjects(page);
  expect(moved.outsideVolume).toBe(true);
  expect(moved.bounds.min[1]).toBeGreaterThan(220);
  const red = await colourAtObject(page, moved.id);
  expect(isRed(red), `colour ${red.join(',')}`).toBe(true);

  // Undo puts it back on the bed.
  await page.locator('sp-build-plate').getByRole('button', { name: 'Undo' }).click();
  await expect(item).toHaveAttribute('data-outside', 'false');
  expect((await plateObjects(page))[0].outsideVolume).toBe(false);
});

test('broken files show a plain error and change nothing', async ({ page }) => {
  await openPrepare(page);
  await addToPlate(page, [{ name: 'Good.stl', buffer: cubeStl() }]);
  await expect(page.locator('sp-build-plate ul.objects button')).toHaveCount(1);
  const truncated = cubeStl().subarray(0, 84 + 50 * 5 + 7);
  await addToPlate(page, [{ name: 'Broken.stl', buffer: Buffer.from(truncated) }]);
  const error = page.locator('sp-build-plate .messages [data-kind=error]').first();
  await expect(error).toContainText('Broken.stl');
  await expect(error).toContainText('cut short');
  const nan = cubeTriangles();
  nan[4] = Number.NaN;
  await addToPlate(page, [{ name: 'NotANumber.stl', buffer: Buffer.from(binaryStlBytes(nan)) }]);
  await expect(page.locator('sp-build-plate .messages [data-kind=error]').first()).toContainText('broken coordinate');
  await addToPlate(page, [{ name: 'Empty.obj', buffer: Buffer.alloc(0) }]);
  await expect(page.locator('sp-build-plate .messages [data-kind=error]').first()).toContainText('empty');
  await expect(page.locator('sp-build-plate ul.objects button')).toHaveCount(1);

  // Only the good model went into the library.
  await page.goto('/#/library');
  const models = page.locator('sp-library-list[label=Models] li');
  await expect(models).toHaveCount(1);
  await expect(models.first()).toContainText('Good.stl');
});

test('files dropped on the window land on the plate', async ({ page }) => {
  await openPrepare(page);
  const bytes = [...cubeStl()];
  await page.evaluate((data) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(data)], 'Dropped.stl'));
    window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: transfer, bubbles: true }));
    window.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, bytes);
  await expect(page.locator('sp-build-plate ul.objects button', { hasText: 'Dropped' })).toHaveCount(1);
});

test('the library shows a thumbnail, renames, searches and adds a model back to the plate', async ({ page }) => {
  await openPrepare(page);
  await addToPlate(page, [{ name: 'Gear.stl', buffer: cubeStl() }, { name: 'Bracket.obj', buffer: Buffer.from(cubeObjText(12)) }]);
  await expect(page.locator('sp-build-plate ul.objects button')).toHaveCount(2);
  await page.goto('/#/library');
  const rows = page.locator('sp-library-list[label=Models] li');
  await expect(rows).toHaveCount(2);
  await expect(rows.locator('sp-model-thumbnail img[data-thumbnail=ready]')).toHaveCount(2, { timeout: 30_000 });

  await page.getByRole('searchbox', { name: 'Search the library by name' }).fill('gear');
  await expect(rows).toHaveCount(1);
  await page.getByRole('button', { name: 'Rename Gear.stl' }).click();
  await page.getByRole('textbox', { name: 'New name for Gear.stl' }).fill('Spur gear.stl');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('searchbox', { name: 'Search the library by name' }).fill('spur');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Spur gear.stl');

  await page.getByRole('link', { name: 'Add Spur gear.stl to the plate' }).click();
  await expect(page).toHaveURL(/#\/prepare$/);
  await expect(page.locator('sp-build-plate ul.objects button', { hasText: 'Spur gear' })).toHaveCount(1);
});

test('with a printer chosen, the slice panel refuses to slice and names the object outside the volume', async ({ page }) => {
  await openPrepare(page);
  await page.getByTestId('printer-search').fill('Ender-3');
  await page.locator('[data-testid=printer-option][data-machine=creality_ender3]').click();
  await expect(page.getByTestId('build-volume')).toContainText('mm');
  await addToPlate(page, [{ name: 'Bracket.stl', buffer: cubeStl() }]);
  const slice = page.locator('sp-slice-panel [data-action=slice]');
  const refusal = page.locator('sp-slice-panel [data-role=refusal]');
  const x = page.locator('sp-build-plate input[name=position-x]');
  await x.fill('300');
  await x.press('Enter');
  await expect(refusal).toContainText('"Bracket" is outside the build volume');
  await expect(slice).toBeDisabled();
  await page.locator('sp-build-plate').getByRole('button', { name: 'Centre' }).click();
  await expect(page.locator('sp-slice-panel')).not.toContainText('Bracket');
});

test('rotate from the fields, lay flat on a clicked face, delete with the keyboard and undo', async ({ page }) => {
  await openPrepare(page);
  await addToPlate(page, [{ name: 'Block.stl', buffer: cubeStl() }]);
  await expect(page.locator('sp-build-plate ul.objects button')).toHaveCount(1);
  const rotateX = page.locator('sp-build-plate input[name=rotationDeg-x]');
  await rotateX.fill('30');
  await rotateX.press('Enter');
  await expect.poll(async () => {
    const [block] = await plateObjects(page);
    return block.bounds.max[2] - block.bounds.min[2];
  }).toBeGreaterThan(25);
  let [block] = await plateObjects(page);
  expect(block.bounds.min[2]).toBeCloseTo(0, 3);

  await page.locator('sp-build-plate').getByRole('button', { name: 'Lay flat…' }).click();
  const target = await page.evaluate((id) => {
    const plate = document
      .querySelector('sliceport-app')!
      .shadowRoot!.querySelector('sp-prepare-view')!
      .shadowRoot!.querySelector('sp-build-plate') as unknown as {
      plateScene: { screenPosition(id: string): { x: number; y: number }; canvas: HTMLCanvasElement };
    };
    const at = plate.plateScene.screenPosition(id);
    const rect = plate.plateScene.canvas.getBoundingClientRect();
    return { x: rect.left + at.x, y: rect.top + at.y };
  }, block.id);
  await page.mouse.click(target.x, target.y);
  await expect.poll(async () => {
    const [flat] = await plateObjects(page);
    return Math.round((flat.bounds.max[2] - flat.bounds.min[2]) * 1000) / 1000;
  }).toBe(20);

  await page.locator('sp-build-plate canvas').focus();
  const before = (await plateObjects(page))[0].bounds.min;
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Shift+ArrowUp');
  await expect.poll(async () => (await plateObjects(page))[0].bounds.min[0] - before[0]).toBeCloseTo(1, 3);
  expect((await plateObjects(page))[0].bounds.min[1] - before[1]).toBeCloseTo(10, 3);
  await page.keyboard.press('Delete');
  await expect(page.locator('sp-build-plate ul.objects button')).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(page.locator('sp-build-plate ul.objects button')).toHaveCount(1);
  [block] = await plateObjects(page);
  expect(block.bounds.max[2] - block.bounds.min[2]).toBeCloseTo(20, 3);
});

test('on a round bed with its origin at the centre, a corner position inside the square is outside the circle', async ({ page }) => {
  await openPrepare(page);
  await page.getByTestId('printer-search').fill('Kossel Linear Plus');
  await page.locator('[data-testid=printer-option]').first().click();
  await expect(page.getByTestId('build-volume')).toContainText('round');
  await addToPlate(page, [{ name: 'Corner.stl', buffer: cubeStl() }]);
  const item = page.locator('sp-build-plate ul.objects button', { hasText: 'Corner' });
  await expect(item).toHaveAttribute('data-outside', 'false');
  // Placed on the bed centre, which is X0 Y0 on this machine.
  const [centred] = await plateObjects(page);
  expect((centred.bounds.min[0] + centred.bounds.max[0]) / 2).toBeCloseTo(0, 3);
  expect((centred.bounds.min[1] + centred.bounds.max[1]) / 2).toBeCloseTo(0, 3);
  for (const [axis, value] of [['x', '90'], ['y', '90']] as const) {
    const field = page.locator(`sp-build-plate input[name=position-${axis}]`);
    await field.fill(value);
    await field.press('Enter');
  }
  await expect(item).toHaveAttribute('data-outside', 'true');
  const [corner] = await plateObjects(page);
  expect(corner.bounds.max[0]).toBeLessThan(120);
  await page.locator('sp-build-plate').getByRole('button', { name: 'Centre' }).click();
  await expect(item).toHaveAttribute('data-outside', 'false');
});

test('dragging the gizmo arrow moves the object along X, as one undo step', async ({ page }) => {
  await openPrepare(page);
  await addToPlate(page, [{ name: 'Slider.stl', buffer: cubeStl() }]);
  await expect(page.locator('sp-build-plate ul.objects button')).toHaveCount(1);
  const [before] = await plateObjects(page);
  // Where the object's centre and a point 30 mm along +X from it are on the screen.
  const line = await page.evaluate((id) => {
    const plate = document
      .querySelector('sliceport-app')!
      .shadowRoot!.querySelector('sp-prepare-view')!
      .shadowRoot!.querySelector('sp-build-plate') as unknown as {
      plateScene: { screenPosition(id: string): { x: number; y: number }; canvas: HTMLCanvasElement };
      editor: { objects: { id: string; placement: number[] }[] };
    };
    const scene = plate.plateScene;
    const rect = scene.canvas.getBoundingClientRect();
    const centre = scene.screenPosition(id);
    return { left: rect.left, top: rect.top, x: centre.x, y: centre.y };
  }, before.id);
  const hovered = () =>
    page.evaluate(() => {
      const plate = document
        .querySelector('sliceport-app')!
        .shadowRoot!.querySelector('sp-prepare-view')!
        .shadowRoot!.querySelector('sp-build-plate') as unknown as { plateScene: { gizmo: { axis: string | null } } };
      return plate.plateScene.gizmo.axis;
    });
  // Find the red X arrow by hovering outwards from the centre to the right.
  let grip: { x: number; y: number } | null = null;
  for (let dx = 8; dx < 200 && !grip; dx += 4) {
    for (const dy of [0, -3, 3]) {
      const point = { x: line.left + line.x + dx, y: line.top + line.y + dy };
      await page.mouse.move(point.x, point.y);
      if ((await hovered()) === 'X') {
        grip = point;
        break;
      }
    }
  }
  expect(grip, 'the X arrow of the gizmo is under the pointer somewhere right of the object').not.toBeNull();
  await page.mouse.down();
  await page.mouse.move(grip!.x + 60, grip!.y, { steps: 8 });
  await page.mouse.move(grip!.x + 120, grip!.y, { steps: 8 });
  await page.mouse.up();
  await expect.poll(async () => (await plateObjects(page))[0].bounds.min[0] - before.bounds.min[0]).toBeGreaterThan(5);
  const [after] = await plateObjects(page);
  expect(after.bounds.min[1]).toBeCloseTo(before.bounds.min[1], 3);
  expect(after.bounds.min[2]).toBeCloseTo(0, 3);
  await page.locator('sp-build-plate').getByRole('button', { name: 'Undo' }).click();
  await expect.poll(async () => (await plateObjects(page))[0].bounds.min[0]).toBeCloseTo(before.bounds.min[0], 3);
});

test('a G-code file with a picture embedded by its slicer shows it in the library', async ({ page }) => {
  const pixel = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  );
  const body = pixel.toString('base64');
  const gcode = [
    '; generated by PrusaSlicer 2.6.1',
    `; thumbnail begin 1x1 ${body.length}`,
    `; ${body}`,
    '; thumbnail end',
    'G28',
    'G1 X10 Y10 E1 F1200',
  ].join('\n');
  await page.goto('/#/library');
  await page.locator('sp-library-add input[type=file]').setInputFiles([
    { name: 'With picture.gcode', mimeType: 'text/plain', buffer: Buffer.from(gcode) },
    { name: 'Without picture.gcode', mimeType: 'text/plain', buffer: Buffer.from('G28\nG1 X1 Y1\n') },
  ]);
  const rows = page.locator('sp-library-list[label="G-code files"] li');
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: 'With picture' }).locator('sp-gcode-thumbnail img[data-thumbnail=ready]')).toHaveCount(1);
  await expect(rows.filter({ hasText: 'Without picture' }).locator('sp-gcode-thumbnail')).toContainText('G-code');
});
