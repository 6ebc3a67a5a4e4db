// Printer profiles: made in Settings, chosen in the connect dialog, enforced by the protocol engine,
// and kept across a reload.

import { expect, test } from '@playwright/test';
import { openPrinterView } from './support/printer-page.js';

test('a profile with a 240 °C hotend limit refuses M104 S250 and survives a reload', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // The Printer view is open before the profile exists: its connect dialog must pick the new one up.
  await openPrinterView(page);
  await expect(page.getByText('Profile: Generic Marlin printer')).toBeVisible();
  await page.goto('/#/settings');

  await page.getByTestId('profile-add').click();
  // Bad input is named next to its field and nothing is stored.
  await page.getByTestId('profile-name').fill('');
  await page.getByTestId('profile-max-hotend').fill('600');
  await page.getByTestId('profile-save').click();
  await expect(page.getByTestId('profile-problem-name')).toContainText('name');
  await expect(page.getByTestId('profile-problem-maxHotendTemp')).toContainText('between 150 and 500');
  await expect(page.getByTestId('profile-item')).toHaveCount(0);

  await page.getByTestId('profile-name').fill('Test printer 240');
  await page.getByTestId('profile-max-hotend').fill('240');
  await page.getByTestId('profile-save').click();
  await expect(page.getByTestId('profile-message')).toContainText('Saved "Test printer 240"');
  await expect(page.getByTestId('profile-item')).toContainText('Test printer 240');

  await page.goto('/#/printer');
  const select = page.getByTestId('connect-profile');
  await expect(select.locator('option', { hasText: 'Test printer 240' })).toHaveCount(1, { timeout: 15_000 });
  await select.selectOption({ label: 'Test printer 240' });
  await page.getByTestId('choose-simulator').check();
  await page.getByTestId('connect').click();
  await expect(page.getByTestId('printer-state')).toHaveAttribute('data-state', 'idle', { timeout: 30_000 });

  const input = page.getByTestId('terminal-input');
  await input.fill('M104 S250');
  await input.press('Enter');
  await expect(page.getByText(/above this printer's limit of 240 °C/).first()).toBeVisible({ timeout: 10_000 });
  // Within the limit the command goes through.
  await input.fill('M104 S230');
  await input.press('Enter');
  await expect(page.getByTestId('target-T0')).toHaveText('230', { timeout: 10_000 });

  // After a reload the profile is still stored and still the chosen one.
  await page.getByRole('button', { name: 'Disconnect', exact: true }).click();
  await expect(page.getByTestId('printer-state')).toHaveAttribute('data-state', 'disconnected', { timeout: 15_000 });
  await page.reload();
  await expect(page.getByTestId('connect-profile').locator('option:checked')).toHaveText('Test printer 240', { timeout: 15_000 });
  await page.goto('/#/settings');
  await expect(page.getByTestId('profile-item')).toContainText('Test printer 240');
  await page.getByTestId('profile-item').getByRole('button', { name: 'Edit' }).click();
  await expect(page.getByTestId('profile-max-hotend')).toHaveValue('240');

  // Deleting the chosen profile falls back to the generic one.
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByTestId('profile-item').getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByTestId('profile-message')).toContainText('generic profile');
  await expect(page.getByTestId('profile-item')).toHaveCount(0);
  await page.goto('/#/printer');
  await expect(page.getByText('Profile: Generic Marlin printer')).toBeVisible({ timeout: 15_000 });
  expect(errors).toEqual([]);
});
