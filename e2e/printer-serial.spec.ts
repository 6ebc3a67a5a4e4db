// The real Web Serial transport in the printer worker, over a fake `navigator.serial` whose port is
// backed by the simulated firmware running in this test process.

import { expect, test } from '@playwright/test';
import { SimulatedPrinter } from '../src/printer/simulator/index.js';
import { installFakeSerialInWorker, SimulatedSerialPeer } from './support/fake-serial.js';
import { withFakeUsbPrinter } from './support/fake-usb-printer.js';
import { squareSpiralGcode } from './support/gcode-fixture.js';
import { storeGcode, storedJobs } from './support/library-fixture.js';
import { checkExactlyOnce, chooseFile, percentOf } from './support/printer-page.js';

const firmwareOptions = { bootMs: 300, homingMs: 300, thermal: { hotend: { timeConstantS: 3 }, bed: { timeConstantS: 4 }, residencyMs: 500 } };

test('connects through Web Serial from the UI, prints, and a cable pull mid-print leaves an interrupted job', async ({ page }) => {
  const peer = new SimulatedSerialPeer((now) => new SimulatedPrinter(firmwareOptions, now));
  await withFakeUsbPrinter(page, peer, async () => {
    await expect(page.getByTestId('reconnect')).toHaveCount(1);
    await expect(page.getByTestId('warning-reset')).toBeVisible();
    await page.getByTestId('baud').selectOption('250000');
    await expect(page.getByTestId('warning-ch340-250000')).toBeVisible();
    await page.getByTestId('baud').selectOption('115200');
    await page.getByTestId('connect').click();
    await expect(page.getByTestId('printer-state')).toHaveAttribute('data-state', 'idle', { timeout: 30_000 });
    await expect(page.getByTestId('firmware-name')).toContainText(/Marlin/i);
    expect(peer.bytesIn, 'the host talked to the simulated firmware through the fake port').toBeGreaterThan(0);

    const fixture = squareSpiralGcode({ name: 'e2e-unplug.gcode', moves: 600, feedRate: 3000, segmentMm: 2 });
    const gcodeId = await storeGcode(page, fixture);
    await chooseFile(page, gcodeId);
    await page.getByTestId('job-start').click();
    await expect.poll(() => percentOf(page), { timeout: 30_000 }).toBeGreaterThan(3);

    peer.unplug();
    await expect(page.getByTestId('job-progress')).toHaveAttribute('data-job-state', 'interrupted', { timeout: 15_000 });
    await expect(page.getByTestId('printer-state')).not.toHaveAttribute('data-state', /idle|printing/);

    const executed = (peer.firmware as SimulatedPrinter).executionLog.map((e) => e.command);
    const { movesRun } = checkExactlyOnce(executed, fixture.commands);
    expect(movesRun).toBeGreaterThan(0);
    expect(movesRun).toBeLessThan(600);

    await expect.poll(async () => (await storedJobs(page)).find((j) => j.gcodeId === gcodeId)?.outcome, { timeout: 10_000 }).toBe('interrupted');
    await page.goto('/#/history');
    await page.getByTestId('filter-interrupted').check();
    await expect(page.getByTestId('history-row').filter({ hasText: 'e2e-unplug.gcode' }).getByTestId('history-outcome')).toContainText('Interrupted');
  });
});

test('a USB printer allowed before reconnects with one click after a reload', async ({ page }) => {
  const peer = new SimulatedSerialPeer((now) => new SimulatedPrinter(firmwareOptions, now));
  await withFakeUsbPrinter(page, peer, async () => {
    await page.getByTestId('connect').click();
    await expect(page.getByTestId('printer-state')).toHaveAttribute('data-state', 'idle', { timeout: 30_000 });
    await page.getByRole('button', { name: 'Disconnect' }).click();
    await expect(page.getByTestId('printer-state')).toHaveAttribute('data-state', 'disconnected');

    const workerSeen = page.waitForEvent('worker', { predicate: (w) => /printer/i.test(w.url()) });
    await page.reload();
    await installFakeSerialInWorker(await workerSeen);
    const reconnect = page.getByTestId('reconnect');
    await expect(reconnect).toHaveCount(1);
    await expect(page.getByText('CH340 USB serial')).toBeVisible();
    await reconnect.click();
    await expect(page.getByTestId('printer-state')).toHaveAttribute('data-state', 'idle', { timeout: 30_000 });
    await expect(page.getByTestId('firmware-name')).toContainText(/Marlin/i);
    expect(peer.opens, 'the port was opened once per connection').toBe(2);
  });
});
