// Helpers for driving the Printer view in end-to-end tests.

import { expect, type Page, type Worker } from '@playwright/test';

/** Opens the Printer view and returns the printer worker (created when the view mounts). */
export async function openPrinterView(page: Page, path = '/#/printer'): Promise<Worker> {
  const workerSeen = page.waitForEvent('worker', { predicate: (w) => /printer/i.test(w.url()), timeout: 30_000 });
  await page.goto(path);
  const worker = await workerSeen;
  await expect(page.getByTestId('printer-state')).toBeVisible();
  return worker;
}

export async function connectSimulator(page: Page): Promise<void> {
  await page.getByTestId('choose-simulator').check();
  await page.getByTestId('connect').click();
  await expect(page.getByTestId('printer-state')).toHaveAttribute('data-state', 'idle', { timeout: 30_000 });
}

export async function chooseFile(page: Page, gcodeId: string): Promise<void> {
  const select = page.getByTestId('job-file');
  await expect(select.locator(`option[value="${gcodeId}"]`)).toHaveCount(1, { timeout: 15_000 });
  await select.selectOption(gcodeId);
}

export async function percentOf(page: Page): Promise<number> {
  const text = (await page.getByTestId('job-percent').textContent()) ?? '0';
  return Number.parseFloat(text);
}

/** The simulated firmware's execution log, read through the Printer view's diagnostics section. */
export async function simulatorLog(page: Page): Promise<string[]> {
  const entries = await page.evaluate(async () => {
    const find = (root: ParentNode, selector: string): Element | null => {
      const hit = root.querySelector(selector);
      if (hit) return hit;
      for (const el of root.querySelectorAll('*')) {
        if (el.shadowRoot) {
          const inner = find(el.shadowRoot, selector);
          if (inner) return inner;
        }
      }
      return null;
    };
    const diagnostics = find(document, 'sp-simulator-diagnostics') as (Element & { refresh(): Promise<unknown[] | null> }) | null;
    if (!diagnostics) throw new Error('The Printer view has no simulator diagnostics');
    return diagnostics.refresh();
  });
  if (entries === null) throw new Error('The worker did not return a simulator log');
  return entries.map((e) => (typeof e === 'string' ? e : String((e as { command: string }).command)));
}

/** Checks that the job's unique move lines ran as a contiguous prefix, each exactly once, in order. */
export function checkExactlyOnce(executed: readonly string[], jobCommands: readonly string[]): { movesRun: number } {
  const moves = jobCommands.filter((c) => c.startsWith('G1 X'));
  const moveSet = new Set(moves);
  const ran = executed.filter((c) => moveSet.has(c));
  expect(ran, 'job moves executed: no gap, no repeat, in order').toEqual(moves.slice(0, ran.length));
  return { movesRun: ran.length };
}
