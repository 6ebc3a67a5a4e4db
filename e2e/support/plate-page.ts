// Helpers for the build plate in the Prepare view: reach into the shadow roots, add files, read pixels.

import { expect, type Locator, type Page } from '@playwright/test';

export interface PlateFile {
  name: string;
  buffer: Buffer;
}

export interface PlateObjectView {
  id: string;
  name: string;
  outsideVolume: boolean;
  bounds: { min: number[]; max: number[] };
}

export async function openPrepare(page: Page): Promise<void> {
  await page.goto('/#/prepare');
  await expect(page.locator('sp-build-plate canvas')).toBeVisible();
}

/** The plate element itself; Playwright's CSS locators see through the app's shadow roots. */
function buildPlate(page: Page): Locator {
  return page.locator('sp-build-plate');
}

/** Adds files through the plate's own file picker. */
export async function addToPlate(page: Page, files: PlateFile[]): Promise<void> {
  await page.locator('sp-build-plate input[type=file]').setInputFiles(
    files.map((file) => ({ name: file.name, mimeType: 'application/octet-stream', buffer: file.buffer })),
  );
}

/** The Prepare session's objects, as the slice panel would read them. */
export async function plateObjects(page: Page): Promise<PlateObjectView[]> {
  return buildPlate(page).evaluate((element) => {
    const plate = element as unknown as {
      editor: {
        objects: { id: string; name: string; outsideVolume: boolean; positions: Float32Array; placement: number[] }[];
      };
    };
    return plate.editor.objects.map((object) => {
      const e = object.placement;
      const p = object.positions;
      const min = [Infinity, Infinity, Infinity];
      const max = [-Infinity, -Infinity, -Infinity];
      for (let i = 0; i < p.length; i += 3) {
        const v = [
          e[0] * p[i] + e[4] * p[i + 1] + e[8] * p[i + 2] + e[12],
          e[1] * p[i] + e[5] * p[i + 1] + e[9] * p[i + 2] + e[13],
          e[2] * p[i] + e[6] * p[i + 1] + e[10] * p[i + 2] + e[14],
        ];
        for (let k = 0; k < 3; k++) {
          min[k] = Math.min(min[k], v[k]);
          max[k] = Math.max(max[k], v[k]);
        }
      }
      return { id: object.id, name: object.name, outsideVolume: object.outsideVolume, bounds: { min, max } };
    });
  });
}

/** The colour the plate draws at an object's centre (gizmo hidden), as [r, g, b]. */
export async function colourAtObject(page: Page, id: string): Promise<[number, number, number]> {
  return buildPlate(page).evaluate(async (element, objectId) => {
    const plate = element as unknown as {
      plateScene: { screenPosition(id: string): { x: number; y: number } | null; snapshot(options?: { gizmo?: boolean }): string; canvas: HTMLCanvasElement };
    };
    const scene = plate.plateScene;
    const at = scene.screenPosition(objectId);
    if (!at) throw new Error(`object ${objectId} is not drawn`);
    const image = new Image();
    image.src = scene.snapshot({ gizmo: false });
    await image.decode();
    const rect = scene.canvas.getBoundingClientRect();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext('2d')!;
    context.drawImage(image, 0, 0);
    const x = Math.round((at.x / rect.width) * image.width);
    const y = Math.round((at.y / rect.height) * image.height);
    if (x < 0 || y < 0 || x >= image.width || y >= image.height) throw new Error(`object ${objectId} is out of view (${x}, ${y})`);
    const data = context.getImageData(x, y, 1, 1).data;
    return [data[0], data[1], data[2]] as [number, number, number];
  }, id);
}
