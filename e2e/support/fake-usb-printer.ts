// The Printer view set to USB with the fake port chosen, `peer` answering behind it: the start of every
// test of the real Web Serial transport.

import type { Page, Worker } from '@playwright/test';
import { installFakeSerialInPage, installFakeSerialInWorker, type SimulatedSerialPeer } from './fake-serial.js';
import { openPrinterView } from './printer-page.js';

/** Runs `body` once the fake port is picked (not yet connected); the peer is stopped afterwards, pass or fail. */
export async function withFakeUsbPrinter(page: Page, peer: SimulatedSerialPeer, body: (worker: Worker) => Promise<void>): Promise<void> {
  peer.start();
  try {
    await installFakeSerialInPage(page, peer);
    const worker = await openPrinterView(page);
    await installFakeSerialInWorker(worker);
    await page.getByTestId('choose-usb').check();
    await page.getByTestId('choose-port').click();
    await body(worker);
  } finally {
    peer.stop();
  }
}
