// The Printer view against the simulated printer running in the real printer worker.

import { expect, test } from '@playwright/test';
import { DEFAULT_CANCEL_SCRIPT, DEFAULT_PAUSE_SCRIPT, scriptLines } from '../src/printer/engine/host-scripts.js';
import { squareSpiralGcode } from './support/gcode-fixture.js';
import { beforeUnloadWouldWarn, installKeepAliveProbes, pretendHidden, readProbe } from './support/keep-alive-probes.js';
import { storeGcode, storedJobs } from './support/library-fixture.js';
import { checkExactlyOnce, chooseFile, connectSimulator, openPrinterView, percentOf, simulatorLog } from './support/printer-page.js';

/** Index of `needles` appearing in order in `haystack` starting at `from`, or -1. */
function indexOfSequence(haystack: readonly string[], needles: readonly string[], from = 0): number {
  let at = from;
  let first = -1;
  for (const needle of needles) {
    const i = haystack.indexOf(needle, at);
    if (i < 0) return -1;
    if (first < 0) first = i;
    at = i + 1;
  }
  return first;
}

test('connects; temperatures appear, the chart updates, and a set target is reached', async ({ page }) => {
  await openPrinterView(page);
  await connectSimulator(page);
  await expect(page.getByTestId('firmware-name')).toContainText(/Marlin/i);
  await expect(page.getByTestId('current-T0')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('current-B')).toBeVisible();
  // Moving filament with a cold hotend is refused with a message, and nothing is sent.
  await page.getByTestId('extrude').click();
  await expect(page.getByTestId('control-message')).toContainText('too cold');

  const chart = page.locator('sp-temperature-chart');
  await expect.poll(async () => Number(await chart.getAttribute('data-draws')), { timeout: 15_000 }).toBeGreaterThan(0);
  const drawsBefore = Number(await chart.getAttribute('data-draws'));

  await page.getByTestId('set-T0').fill('200');
  await page.getByTestId('set-T0').press('Enter');
  await expect(page.getByTestId('target-T0')).toHaveText('200', { timeout: 10_000 });
  await expect
    .poll(async () => Number(await page.getByTestId('current-T0').textContent()), { timeout: 60_000, message: 'hotend reaches 200 °C' })
    .toBeGreaterThanOrEqual(197);
  // The chart kept drawing new samples while the hotend heated.
  expect(Number(await chart.getAttribute('data-draws'))).toBeGreaterThan(drawsBefore);
  expect(Number(await chart.getAttribute('data-samples'))).toBeGreaterThan(2);

  await page.getByTestId('off-T0').click();
  await expect(page.getByTestId('target-T0')).toHaveText('0');
});

test('material presets can be edited, are checked against the printer limits, and are kept', async ({ page }) => {
  await openPrinterView(page);
  await connectSimulator(page);
  await page.getByRole('button', { name: 'Edit presets' }).click();
  const add = page.locator('sp-printer-temperatures form').filter({ has: page.getByRole('button', { name: 'Add' }) });
  await add.getByLabel('Material name').fill('PC');
  await add.getByLabel('Hotend').fill('420');
  await add.getByLabel('Bed').fill('100');
  await add.getByRole('button', { name: 'Add' }).click();
  await expect(page.locator('sp-printer-temperatures')).toContainText("above this printer's hotend limit");
  await add.getByLabel('Hotend').fill('260');
  await add.getByRole('button', { name: 'Add' }).click();
  await expect(page.getByRole('button', { name: 'PC 260/100' })).toBeVisible();
  await page.reload();
  await connectSimulator(page);
  await expect(page.getByRole('button', { name: 'PC 260/100' })).toBeVisible();
  await page.getByRole('button', { name: 'PLA 205/60' }).click();
  await expect(page.getByTestId('target-T0')).toHaveText('205', { timeout: 10_000 });
  await expect(page.getByTestId('target-B')).toHaveText('60');
});

test('M115 typed in the terminal shows the reply; history and autocomplete work', async ({ page }) => {
  await openPrinterView(page);
  await connectSimulator(page);
  const input = page.getByTestId('terminal-input');
  await input.fill('M10');
  await expect(page.getByTestId('terminal-suggestions')).toContainText('M104');
  await expect(page.getByTestId('terminal-suggestions')).toContainText('Set hotend temperature');
  // ↓ enters the suggestions, Enter takes one.
  await input.press('ArrowDown');
  await input.press('Enter');
  await expect(input).toHaveValue('M104 ');
  await input.fill('M115');
  await input.press('Enter');
  await expect(page.getByTestId('terminal-log')).toContainText('FIRMWARE_NAME', { timeout: 10_000 });
  await expect(input).toHaveValue('');
  await input.fill('M114');
  await input.press('Enter');
  await expect(page.getByTestId('terminal-log')).toContainText(/X:-?\d/, { timeout: 10_000 });
  await input.press('ArrowUp');
  await expect(input).toHaveValue('M114');
  await input.press('ArrowUp');
  await expect(input).toHaveValue('M115');
  await input.press('ArrowDown');
  await expect(input).toHaveValue('M114');

  // A command above the printer's limits is refused before it reaches the printer, in plain words.
  await input.fill('M104 S400');
  await input.press('Enter');
  await expect(page.getByTestId('terminal-log')).toContainText('M104 S400', { timeout: 10_000 });
  await expect(page.getByTestId('terminal-log')).toContainText(/limit|above|maximum/i);
  expect(await simulatorLog(page)).not.toContain('M104 S400');

  // The history is kept for the next visit.
  await page.reload();
  await connectSimulator(page);
  await page.getByTestId('terminal-input').press('ArrowUp');
  await expect(page.getByTestId('terminal-input')).toHaveValue('M104 S400');
  await page.getByTestId('terminal-input').press('ArrowUp');
  await expect(page.getByTestId('terminal-input')).toHaveValue('M114');
});

test('prints a small G-code file to completion and records it in the history', async ({ page }) => {
  await installKeepAliveProbes(page);
  await openPrinterView(page);
  await connectSimulator(page);
  expect((await readProbe(page)).permissionRequests, 'no notification permission asked at load').toBe(0);
  expect(await beforeUnloadWouldWarn(page), 'closing an idle tab does not warn').toBe(false);
  const fixture = squareSpiralGcode({ name: 'e2e-complete.gcode', moves: 80, feedRate: 6000, segmentMm: 1 });
  const gcodeId = await storeGcode(page, fixture, { estimatedSeconds: 20, layerCount: 4 });
  // Handed over by route, as the slicer does after saving a G-code.
  await page.goto(`/#/printer?gcode=${gcodeId}`);
  await expect(page.getByTestId('job-file')).toHaveValue(gcodeId);
  await page.getByTestId('job-start').click();
  await expect(page.getByTestId('job-progress')).toBeVisible();
  expect((await readProbe(page)).permissionRequests, 'permission asked at the first print').toBe(1);
  await expect.poll(async () => (await readProbe(page)).wakeLockRequests, { message: 'screen kept awake while printing' }).toBeGreaterThan(0);
  expect(await beforeUnloadWouldWarn(page), 'closing the tab mid-print warns').toBe(true);
  // The user switches to another tab: the end of the job is announced by a system notification.
  await pretendHidden(page, true);
  await expect(page.getByTestId('job-progress')).toHaveAttribute('data-job-state', 'completed', { timeout: 90_000 });
  await expect(page.getByTestId('job-percent')).toHaveText('100%');
  await expect.poll(async () => (await readProbe(page)).notifications.map((n) => n.title)).toContain('Print finished');
  expect((await readProbe(page)).wakeLockReleases, 'the screen may sleep again after the job').toBeGreaterThan(0);
  await pretendHidden(page, false);
  expect(await beforeUnloadWouldWarn(page)).toBe(false);

  const log = await simulatorLog(page);
  const { movesRun } = checkExactlyOnce(log, fixture.commands);
  expect(movesRun).toBe(80);

  await expect.poll(async () => (await storedJobs(page)).find((j) => j.gcodeId === gcodeId)?.outcome, { timeout: 10_000 }).toBe('completed');
  await page.goto('/#/history');
  const row = page.getByTestId('history-row').filter({ hasText: 'e2e-complete.gcode' });
  await expect(row.first()).toBeVisible({ timeout: 15_000 });
  await expect(row.first().getByTestId('history-outcome')).toContainText('Completed');
  await expect(page.getByTestId('history-success')).toHaveText('100%');
  await page.getByTestId('filter-failed').check();
  await expect(page.getByTestId('history-row').filter({ hasText: 'e2e-complete.gcode' })).toHaveCount(0);
  await page.getByTestId('filter-all').check();
  // "Print again" goes back to the Printer view with the file chosen.
  await row.first().getByRole('link', { name: 'Print again' }).click();
  await expect(page).toHaveURL(new RegExp(`#/printer\\?gcode=${gcodeId}`));
  await expect(page.getByTestId('job-file')).toHaveValue(gcodeId);
});

test('pause, resume and cancel mid-job: scripts ran, no job line skipped or repeated', async ({ page }) => {
  await installKeepAliveProbes(page);
  await openPrinterView(page);
  await connectSimulator(page);
  const fixture = squareSpiralGcode({ name: 'e2e-pause.gcode', moves: 600, feedRate: 3000, segmentMm: 2 });
  const gcodeId = await storeGcode(page, fixture);
  await chooseFile(page, gcodeId);
  await page.getByTestId('job-start').click();
  await expect.poll(() => percentOf(page), { timeout: 30_000 }).toBeGreaterThan(3);
  // The browser drops the wake lock when the tab is hidden; coming back takes it again.
  await expect.poll(async () => (await readProbe(page)).wakeLockRequests).toBe(1);
  await pretendHidden(page, true);
  await pretendHidden(page, false);
  await expect.poll(async () => (await readProbe(page)).wakeLockRequests, { message: 'wake lock re-acquired when visible again' }).toBe(2);

  await page.getByTestId('job-pause').click();
  await page.getByTestId('job-confirm').click();
  await expect(page.getByTestId('job-progress')).toHaveAttribute('data-job-state', 'paused', { timeout: 30_000 });
  const pausedAt = await percentOf(page);
  await page.waitForTimeout(1000);
  expect(await percentOf(page), 'nothing is sent while paused').toBe(pausedAt);

  await page.getByTestId('job-resume').click();
  await expect(page.getByTestId('job-progress')).toHaveAttribute('data-job-state', 'printing', { timeout: 30_000 });
  await expect.poll(() => percentOf(page), { timeout: 30_000 }).toBeGreaterThan(pausedAt + 1);
  // Speed and flow overrides during the print reach the printer.
  await page.getByTestId('override-speed').fill('150');
  await page.getByTestId('override-speed').press('Tab');
  await page.getByTestId('override-flow').fill('95');
  await page.getByTestId('override-flow').press('Tab');
  await expect.poll(async () => (await simulatorLog(page)).filter((c) => /^M22[01] /.test(c))).toEqual(['M220 S150', 'M221 S95']);

  await page.getByTestId('job-cancel').click();
  await page.getByTestId('job-confirm').click();
  await expect(page.getByTestId('job-progress')).toHaveAttribute('data-job-state', 'cancelled', { timeout: 30_000 });

  const log = await simulatorLog(page);
  const { movesRun } = checkExactlyOnce(log, fixture.commands);
  expect(movesRun).toBeGreaterThan(0);
  expect(movesRun).toBeLessThan(600);

  const moveSet = new Set(fixture.commands.filter((c) => c.startsWith('G1 X')));
  // The pause script ran between two job moves, after the moves drained and the position was read.
  const pauseAt = indexOfSequence(log, ['M400', 'M114', ...scriptLines('', DEFAULT_PAUSE_SCRIPT)]);
  expect(pauseAt, 'pause script in the execution log').toBeGreaterThan(0);
  const movesAfterPause = log.slice(pauseAt).filter((c) => moveSet.has(c));
  expect(movesAfterPause.length, 'the job went on after resuming').toBeGreaterThan(0);
  // The cancel script ran after the last job move.
  const lastMove = log.reduce((last, c, i) => (moveSet.has(c) ? i : last), -1);
  expect(indexOfSequence(log, scriptLines('', DEFAULT_CANCEL_SCRIPT), lastMove + 1), 'cancel script after the last job move').toBeGreaterThan(lastMove);

  await expect.poll(async () => (await storedJobs(page)).find((j) => j.gcodeId === gcodeId)?.outcome, { timeout: 10_000 }).toBe('cancelled');
});

test('emergency stop during a job reaches the printer at once', async ({ page }) => {
  await openPrinterView(page);
  await connectSimulator(page);
  const fixture = squareSpiralGcode({ name: 'e2e-estop.gcode', moves: 600, feedRate: 3000, segmentMm: 2 });
  const gcodeId = await storeGcode(page, fixture);
  await chooseFile(page, gcodeId);
  await page.getByTestId('job-start').click();
  await expect.poll(() => percentOf(page), { timeout: 30_000 }).toBeGreaterThan(2);

  const clickedAt = Date.now();
  // No confirmation while printing: one click stops it.
  await page.getByTestId('emergency-stop').click();
  await expect(page.getByTestId('printer-state')).toHaveAttribute('data-state', 'error', { timeout: 5_000 });
  expect(Date.now() - clickedAt, 'the printer halted within a second or two').toBeLessThan(3_000);
  await expect(page.getByTestId('job-progress')).not.toHaveAttribute('data-job-state', /printing|pausing|resuming/);

  const log = await simulatorLog(page);
  const m112 = log.indexOf('M112');
  expect(m112, 'M112 reached the firmware').toBeGreaterThanOrEqual(0);
  const moveSet = new Set(fixture.commands.filter((c) => c.startsWith('G1 X')));
  // With the emergency parser the firmware acts on M112 as the bytes arrive: no job move after it.
  expect(log.slice(m112 + 1).filter((c) => moveSet.has(c))).toEqual([]);
  const movesBefore = log.slice(0, m112).filter((c) => moveSet.has(c)).length;
  expect(movesBefore).toBeLessThan(600);
});

test('while connected, the emergency stop is in the status bar of every other section, and works from there', async ({ page }) => {
  // Opening another section first must not start the printer worker (nor show a stop button).
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  await page.goto('/#/library');
  await expect(page.getByTestId('storage-used')).toBeVisible();
  await page.waitForTimeout(1_000);
  expect(workers.filter((u) => /printer/i.test(u)), 'no printer worker before the Printer view is opened').toEqual([]);
  await expect(page.locator('sp-status-bar').getByTestId('emergency-stop')).toHaveCount(0);

  await page.getByRole('link', { name: 'Printer', exact: true }).click();
  await expect(page.getByTestId('printer-state')).toBeVisible();
  await connectSimulator(page);
  // The Printer view has its own button; the status bar adds one only elsewhere.
  await expect(page.locator('sp-status-bar').getByTestId('emergency-stop')).toHaveCount(0);

  await page.getByRole('link', { name: 'Library', exact: true }).click();
  await expect(page).toHaveURL(/#\/library/);
  const bar = page.locator('sp-status-bar');
  await expect(bar.getByTestId('emergency-stop')).toBeVisible();
  await bar.getByTestId('emergency-stop').click();
  // Nothing is printing, so it asks once.
  await bar.getByTestId('emergency-stop-confirm').click();
  await expect(bar.getByTestId('emergency-stop-result')).toContainText('Emergency stop sent');
  await expect.poll(async () => (await simulatorLog(page)).includes('M112'), { timeout: 5_000, message: 'M112 reached the simulated firmware' }).toBe(true);
});

test('a firmware prompt (//action:prompt_*) appears as a dialog and the chosen button reaches the printer', async ({ page }) => {
  await openPrinterView(page);
  await connectSimulator(page);
  const input = page.getByTestId('terminal-input');
  // The simulated firmware echoes host actions with M118 A1, as a Marlin with HOST_PROMPT_SUPPORT would send them.
  for (const command of ['M118 A1 action:prompt_begin Load the new filament', 'M118 A1 action:prompt_button Purge more', 'M118 A1 action:prompt_button Continue', 'M118 A1 action:prompt_show']) {
    await input.fill(command);
    await input.press('Enter');
  }
  const dialog = page.getByTestId('host-prompt');
  await expect(dialog).toContainText('Load the new filament', { timeout: 10_000 });
  await expect(dialog.getByRole('button')).toHaveText(['Purge more', 'Continue']);
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await expect.poll(async () => (await simulatorLog(page)).filter((c) => c.startsWith('M876'))).toContain('M876 S1');
  await expect(dialog).toHaveCount(0, { timeout: 10_000 });
});
