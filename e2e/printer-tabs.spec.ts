// One tab owns a printer: a second tab of the same browser sees who owns it and cannot take it.

import { expect, test } from '@playwright/test';
import { connectSimulator, openPrinterView } from './support/printer-page.js';

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
