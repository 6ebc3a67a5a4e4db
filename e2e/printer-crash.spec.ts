// The printer worker dying mid-print: the page says so at once, the job is recorded as interrupted, and
// the emergency stop still does what it can. The crash is an uncaught error thrown inside the real
// printer worker by the test itself (Playwright evaluates in the worker); nothing in the product can
// cause it.

import { expect, test, type Page, type Worker } from '@playwright/test';
import { SimulatedPrinter } from '../src/printer/simulator/index.js';
import type { SerialEndpoint } from '../src/printer/wire/serial-endpoint.js';
import { SimulatedSerialPeer } from './support/fake-serial.js';
import { withFakeUsbPrinter } from './support/fake-usb-printer.js';
import { squareSpiralGcode } from './support/gcode-fixture.js';
import { storeGcode, storedJobs, type StoredJob } from './support/library-fixture.js';
import { chooseFile, connectSimulator, openPrinterView, percentOf, simulatorLog } from './support/printer-page.js';

/** Resolves, in the page, with the wall-clock time a test id first shows `pattern`. */
function whenShown(page: Page, testId: string, pattern: RegExp): Promise<number> {
  return page.evaluate(
    ({ testId, source, flags }) =>
      new Promise<number>((resolve) => {
        const re = new RegExp(source, flags);
        const find = (root: ParentNode): Element | null => {
          const hit = root.querySelector(`[data-testid="${testId}"]`);
          if (hit && re.test(hit.textContent ?? '')) return hit;
          for (const el of root.querySelectorAll('*')) {
            if (el.shadowRoot) {
              const inner = find(el.shadowRoot);
              if (inner) return inner;
            }
          }
          return null;
        };
        const check = () => (find(document) ? resolve(performance.timeOrigin + performance.now()) : setTimeout(check, 5));
        check();
      }),
    { testId, source: pattern.source, flags: pattern.flags },
  );
}

/** Throws an uncaught error inside the worker; returns the wall-clock time it was thrown. */
function crashWorker(worker: Worker): Promise<number> {
  return worker.evaluate(() => {
    const at = performance.timeOrigin + performance.now();
    setTimeout(() => {
      throw new Error('Simulated crash inside the printer worker');
    }, 0);
    return at;
  });
}

test('a printer worker that crashes mid-print: plain message within a second, job interrupted, emergency stop still answers', async ({ page }) => {
  const worker = await openPrinterView(page);
  await connectSimulator(page);
  const fixture = squareSpiralGcode({ name: 'e2e-crash.gcode', moves: 600, feedRate: 3000, segmentMm: 2 });
  const gcodeId = await storeGcode(page, fixture, { layerCount: 4 });
  await chooseFile(page, gcodeId);
  await page.getByTestId('job-start').click();
  // Past the first layer, so the running record carries a checkpoint to resume from.
  await expect
    .poll(async () => (await storedJobs(page)).find((j) => j.gcodeId === gcodeId) as (StoredJob & { checkpoint?: unknown }) | undefined, { timeout: 60_000 })
    .toMatchObject({ outcome: 'running', checkpoint: expect.anything() });

  const shown = whenShown(page, 'printer-reason', /stopped unexpectedly/);
  const crashedAt = await crashWorker(worker);
  const shownAt = await shown;
  test.info().annotations.push({ type: 'crash to message (ms)', description: (shownAt - crashedAt).toFixed(1) });
  expect(shownAt - crashedAt, 'the crash is on screen within a second').toBeLessThan(1_000);

  await expect(page.getByTestId('printer-reason')).toContainText('The printer connection stopped unexpectedly (');
  await expect(page.getByTestId('printer-reason')).toContainText('Simulated crash inside the printer worker');
  await expect(page.getByTestId('printer-state')).toHaveAttribute('data-state', 'error');
  // Pause and Cancel can no longer do anything: they are gone, the job says why it stopped.
  await expect(page.getByTestId('job-progress')).toHaveAttribute('data-job-state', 'interrupted');
  await expect(page.getByTestId('job-pause')).toHaveCount(0);
  await expect(page.getByTestId('job-cancel')).toHaveCount(0);
  await expect(page.locator('sp-status-bar')).toContainText('Printer connection stopped');

  await expect
    .poll(async () => (await storedJobs(page)).find((j) => j.gcodeId === gcodeId), { timeout: 10_000 })
    .toMatchObject({ outcome: 'interrupted', reason: expect.stringContaining('stopped unexpectedly') });
  const record = (await storedJobs(page)).find((j) => j.gcodeId === gcodeId)!;
  expect(record.progress, 'the record carries the last progress the page saw').toBeGreaterThan(0.03);

  // Resuming is offered, and waits for a connection.
  await expect(page.getByTestId('resume-offer')).toContainText('e2e-crash.gcode');
  await expect(page.getByTestId('resume-offer')).toContainText('stopped unexpectedly');
  await expect(page.getByTestId('resume-open')).toBeDisabled();

  // The emergency stop stays enabled and says what it could do.
  const stop = page.getByTestId('emergency-stop');
  await expect(stop).toBeEnabled();
  await stop.click();
  await expect(page.getByTestId('emergency-stop-result')).toContainText('simulated printer stopped together with its connection');

  // An intent typed after the crash fails in words at once instead of hanging.
  await page.getByTestId('terminal-input').fill('G28');
  await page.getByTestId('terminal-input').press('Enter');
  await expect(page.getByTestId('terminal-log')).toContainText('G28: The printer connection stopped unexpectedly');

  // Reconnecting starts a fresh worker; the printer works again.
  await page.getByTestId('connect').click();
  await expect(page.getByTestId('printer-state')).toHaveAttribute('data-state', 'idle', { timeout: 30_000 });
  await page.getByTestId('terminal-input').fill('M115');
  await page.getByTestId('terminal-input').press('Enter');
  await expect(page.getByTestId('terminal-log')).toContainText('FIRMWARE_NAME', { timeout: 10_000 });
  await expect(page.getByTestId('resume-open')).toBeEnabled();

  await page.goto('/#/history');
  const row = page.getByTestId('history-row').filter({ hasText: 'e2e-crash.gcode' }).first();
  await expect(row.getByTestId('history-outcome')).toContainText('Interrupted', { timeout: 15_000 });
  await expect(row.getByTestId('history-outcome')).toContainText('stopped unexpectedly');
  await expect(row.getByTestId('history-resume')).toBeVisible();
});

test('a printer worker that stops answering without any error event is declared gone within 3 s', async ({ page }) => {
  const worker = await openPrinterView(page);
  await connectSimulator(page);
  const fixture = squareSpiralGcode({ name: 'e2e-stuck.gcode', moves: 600, feedRate: 3000, segmentMm: 2 });
  const gcodeId = await storeGcode(page, fixture);
  await chooseFile(page, gcodeId);
  await page.getByTestId('job-start').click();
  await expect.poll(() => percentOf(page), { timeout: 30_000 }).toBeGreaterThan(2);

  const shown = whenShown(page, 'printer-reason', /stopped unexpectedly/);
  // Stuck in a loop, as a worker thrashing out of memory is: no error event ever comes.
  const stuckAt = await worker.evaluate(() => {
    const at = performance.timeOrigin + performance.now();
    setTimeout(() => {
      for (;;) {
        // never returns
      }
    }, 0);
    return at;
  });
  const shownAt = await shown;
  test.info().annotations.push({ type: 'stall to message (ms)', description: (shownAt - stuckAt).toFixed(1) });
  // Declared after 1.5–1.75 s of silence; the rest is timer lateness on a busy machine.
  expect(shownAt - stuckAt).toBeLessThan(3_000);
  await expect(page.getByTestId('printer-reason')).toContainText('no answer for 1.5 s');
  await expect(page.getByTestId('job-progress')).toHaveAttribute('data-job-state', 'interrupted');
  await expect.poll(async () => (await storedJobs(page)).find((j) => j.gcodeId === gcodeId)?.outcome, { timeout: 10_000 }).toBe('interrupted');
});

test('dangerous commands typed in the terminal are sent only once confirmed', async ({ page }) => {
  await openPrinterView(page);
  await connectSimulator(page);
  const input = page.getByTestId('terminal-input');
  const simulated = () => simulatorLog(page);

  await input.fill('M211 S0');
  await input.press('Enter');
  const question = page.getByTestId('terminal-danger');
  await expect(question).toContainText('software endstops off');
  await page.getByTestId('terminal-danger-cancel').click();
  await expect(question).toHaveCount(0);
  await expect(page.getByTestId('terminal-log')).toContainText('M211 S0: not sent.');
  await expect(input, 'the command is given back for editing').toHaveValue('M211 S0');
  // Something harmless after it proves the link is live and the refused one never went out.
  await page.getByTestId('terminal-input').fill('M114');
  await input.press('Enter');
  await expect.poll(simulated, { timeout: 10_000 }).toContain('M114');
  expect(await simulated()).not.toContain('M211 S0');

  await input.fill('M211 S0');
  await input.press('Enter');
  await page.getByTestId('terminal-danger-send').click();
  await expect.poll(simulated, { timeout: 10_000 }).toContain('M211 S0');

  // M502 alone is undone by a restart: no question. The M500 after it would save it: asked.
  await input.fill('M502');
  await input.press('Enter');
  await expect(question).toHaveCount(0);
  await expect.poll(simulated, { timeout: 10_000 }).toContain('M502');
  await input.fill('M500');
  await input.press('Enter');
  await expect(question).toContainText('factory settings');
  await page.getByTestId('terminal-danger-cancel').click();
  await expect(page.getByTestId('terminal-log')).toContainText('M500: not sent.');
  expect(await simulated()).not.toContain('M500');
});

test('a file with dangerous commands asks before printing, naming the lines', async ({ page }) => {
  await openPrinterView(page);
  await connectSimulator(page);
  const base = squareSpiralGcode({ name: 'e2e-danger.gcode', moves: 8, feedRate: 6000, segmentMm: 1 });
  const lines = base.text.split('\n');
  // Start code that turns the software endstops off, as some bed-levelling scripts do.
  lines.splice(5, 0, 'M211 S0 ; let the probe reach the edge');
  const text = lines.join('\n');
  const gcodeId = await storeGcode(page, { ...base, text, commands: [] });
  await chooseFile(page, gcodeId);
  await page.getByTestId('job-start').click();
  const question = page.getByTestId('job-danger');
  await expect(question).toContainText('M211 S0 (line 6)');
  await page.getByTestId('job-danger-cancel').click();
  await expect(question).toHaveCount(0);
  await expect(page.getByTestId('job-progress')).toHaveCount(0);

  await page.getByTestId('job-start').click();
  await page.getByTestId('job-danger-print').click();
  await expect(page.getByTestId('job-progress')).toHaveAttribute('data-job-state', 'completed', { timeout: 60_000 });
});

test('with a USB printer, the emergency stop after a crash re-opens the port from the page and sends M112 and heaters off', async ({ page }) => {
  const firmwareOptions = { bootMs: 300, homingMs: 300, thermal: { hotend: { timeConstantS: 3 }, bed: { timeConstantS: 4 }, residencyMs: 500 } };
  let received = '';
  const peer = new SimulatedSerialPeer((now) => {
    const board = new SimulatedPrinter(firmwareOptions, now);
    // Every byte the board is sent, whichever host context opened the port.
    return {
      receive: (bytes, at) => {
        received += new TextDecoder().decode(bytes);
        board.receive(bytes, at);
      },
      tick: (at) => board.tick(at),
      takeWrites: () => board.takeWrites(),
      nextWakeAt: () => board.nextWakeAt(),
    } satisfies SerialEndpoint;
  });
  await withFakeUsbPrinter(page, peer, async (worker) => {
    await page.getByTestId('connect').click();
    await expect(page.getByTestId('printer-state')).toHaveAttribute('data-state', 'idle', { timeout: 30_000 });
    const fixture = squareSpiralGcode({ name: 'e2e-crash-usb.gcode', moves: 600, feedRate: 3000, segmentMm: 2 });
    const gcodeId = await storeGcode(page, fixture);
    await chooseFile(page, gcodeId);
    await page.getByTestId('job-start').click();
    await expect.poll(() => percentOf(page), { timeout: 30_000 }).toBeGreaterThan(3);
    const opensBefore = peer.opens;

    await crashWorker(worker);
    await expect(page.getByTestId('printer-reason')).toContainText('stopped unexpectedly', { timeout: 1_000 });
    await expect(page.getByTestId('job-progress')).toHaveAttribute('data-job-state', 'interrupted');
    received = '';
    // Printing and hot: no confirmation asked.
    await page.getByTestId('emergency-stop').click();
    await expect(page.getByTestId('emergency-stop-result')).toContainText('The port was opened again and M112');
    expect(peer.opens, 'the page opened the port again').toBe(opensBefore + 1);
    await expect.poll(() => received, { timeout: 5_000, message: 'the board was sent the stop' }).toBe('M112\nM104 S0\nM140 S0\n');
    await expect(page.getByTestId('terminal-log')).toContainText('The port was opened again');
    await expect.poll(async () => (await storedJobs(page)).find((j) => j.gcodeId === gcodeId)?.outcome, { timeout: 10_000 }).toBe('interrupted');
  });
});
