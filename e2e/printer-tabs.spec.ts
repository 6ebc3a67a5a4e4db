// One tab owns a printer: a second tab of the same browser sees who owns it and cannot take it.

import { expect, test } from '@playwright/test';
import { squareSpiralGcode } from './support/gcode-fixture.js';
import { storeGcode, storedJobs } from './support/library-fixture.js';
import { chooseFile, connectSimulator, openPrinterView, percentOf } from './support/printer-page.js';

test('a second tab cannot take the printer from the first', async ({ context }) => {
  const first = await context.newPage();
  await openPrinterView(first);
  await connectSimulator(first);

  const second = await context.newPage();
  await openPrinterView(second);
  await expect(second.getByTestId('owned-elsewhere')).toContainText('in use in another tab', { timeout: 10_000 });
  await expect(second.getByTestId('owned-elsewhere')).toContainText('is connected to it');

  await second.getByTestId('choose-simulator').check();
  await second.getByTestId('connect').click();
  await expect(second.getByTestId('connect-problem')).toContainText('in use in another tab');
  await expect(second.getByTestId('printer-state')).toHaveAttribute('data-state', 'disconnected');
  // The first tab still has it.
  await expect(first.getByTestId('printer-state')).toHaveAttribute('data-state', 'idle');
  await first.getByTestId('terminal-input').fill('M105');
  await first.getByTestId('terminal-input').press('Enter');
  await expect(first.getByTestId('printer-state')).toHaveAttribute('data-state', 'idle');

  // Once the first tab lets go, the second may connect.
  await first.getByRole('button', { name: 'Disconnect' }).click();
  await expect(first.getByTestId('printer-state')).toHaveAttribute('data-state', 'disconnected');
  await second.getByTestId('connect').click();
  await expect(second.getByTestId('printer-state')).toHaveAttribute('data-state', 'idle', { timeout: 30_000 });
});

test('a tab that dies mid-print leaves an interrupted record, not a job running forever', async ({ context }) => {
  const printing = await context.newPage();
  await openPrinterView(printing);
  await connectSimulator(printing);
  const fixture = squareSpiralGcode({ name: 'e2e-tab-dies.gcode', moves: 600, feedRate: 3000, segmentMm: 2 });
  const gcodeId = await storeGcode(printing, fixture);
  await chooseFile(printing, gcodeId);
  await printing.getByTestId('job-start').click();
  await expect.poll(() => percentOf(printing), { timeout: 30_000 }).toBeGreaterThan(2);
  await expect.poll(async () => (await storedJobs(printing)).find((j) => j.gcodeId === gcodeId)?.outcome).toBe('running');

  // Another tab looking at the history while the print runs leaves the record alone.
  const watcher = await context.newPage();
  await watcher.goto('/#/history');
  await expect(watcher.getByTestId('history-row').filter({ hasText: 'e2e-tab-dies.gcode' }).getByTestId('history-outcome')).toContainText('Running');

  // The printing tab is killed (no beforeunload, no goodbye).
  await printing.close({ runBeforeUnload: false });
  await watcher.reload();
  const row = watcher.getByTestId('history-row').filter({ hasText: 'e2e-tab-dies.gcode' });
  await expect(row.getByTestId('history-outcome')).toContainText('Interrupted', { timeout: 15_000 });
  await expect.poll(async () => (await storedJobs(watcher)).find((j) => j.gcodeId === gcodeId)?.outcome).toBe('interrupted');
});
