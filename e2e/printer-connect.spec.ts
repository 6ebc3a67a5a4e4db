// The connect dialog's plain-language explanations, over a fake `navigator.serial` (see support/fake-serial.ts).

import { expect, test } from '@playwright/test';
import { installFakeSerialInPage, installFakeSerialInWorker, silentBoard, SimulatedSerialPeer, wrongBaudBoard } from './support/fake-serial.js';
import { withFakeUsbPrinter } from './support/fake-usb-printer.js';
import { openPrinterView } from './support/printer-page.js';

test('a browser without Web Serial is told which browsers work, and can still use the simulated printer', async ({ page }) => {
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'serial', { configurable: true, get: () => undefined }));
  await openPrinterView(page);
  await expect(page.getByTestId('no-web-serial')).toContainText('Google Chrome or Microsoft Edge');
  await expect(page.getByTestId('choose-usb')).toBeDisabled();
  await page.getByTestId('connect').click();
  await expect(page.getByTestId('printer-state')).toHaveAttribute('data-state', 'idle', { timeout: 30_000 });
});

test('permission refused in the port picker is explained', async ({ page }) => {
  const peer = new SimulatedSerialPeer(() => silentBoard());
  await installFakeSerialInPage(page, peer, { requestPortError: { name: 'SecurityError', message: 'Access to the Serial API is denied.' } });
  await openPrinterView(page);
  await page.getByTestId('choose-usb').check();
  await page.getByTestId('choose-port').click();
  await expect(page.getByTestId('connect-problem')).toContainText('not allowed to use the USB port');
});

test('a port held by another program is explained', async ({ page }) => {
  const peer = new SimulatedSerialPeer(() => silentBoard());
  await installFakeSerialInPage(page, peer);
  const worker = await openPrinterView(page);
  await installFakeSerialInWorker(worker, { openError: { name: 'NetworkError', message: 'Failed to open serial port.' } });
  await page.getByTestId('choose-usb').check();
  await page.getByTestId('choose-port').click();
  await page.getByTestId('connect').click();
  await expect(page.getByTestId('connect-problem')).toContainText('already in use by another program', { timeout: 15_000 });
  await expect(page.getByTestId('connect-problem')).toContainText('OctoPrint');
});

test('a printer that never answers is explained', async ({ page }) => {
  const peer = new SimulatedSerialPeer(() => silentBoard());
  await withFakeUsbPrinter(page, peer, async () => {
    await page.getByTestId('connect').click();
    await expect(page.getByTestId('connect-problem')).toContainText('The printer did not answer', { timeout: 90_000 });
    await expect(page.getByTestId('connect-problem')).toContainText('data cable');
  });
});

test('a wrong baud rate (unreadable replies) is explained', async ({ page }) => {
  const peer = new SimulatedSerialPeer(() => wrongBaudBoard());
  await withFakeUsbPrinter(page, peer, async () => {
    await page.getByTestId('connect').click();
    await expect(page.getByTestId('connect-problem')).toContainText('the speed (baud rate) is probably wrong', { timeout: 90_000 });
  });
});
