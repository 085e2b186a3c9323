import { test, expect } from '@playwright/test';
import { hydrated, submitSignIn } from './helpers';

test('a payment poster filters claims and posts a payment, offered nothing else', async ({ page }) => {
  // Sam: Partner Payment Poster in North Clinic (profile.spec changes his password later).
  await submitSignIn(page, 'sam.support@northwind.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Sam Support' })).toBeVisible();
  await page.getByRole('banner').getByRole('link', { name: 'Claims' }).click();
  await expect(page.getByRole('heading', { name: 'Claims', level: 1 })).toBeVisible();
  await expect(page.getByText('In North Clinic.')).toBeVisible();
  await expect(page.locator('#claims-count')).toHaveText('5 claims');
  await expect(page.getByRole('button', { name: 'Export to CSV' })).toHaveCount(0);

  await page.getByLabel('Status').selectOption('submitted');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/status=submitted/);
  await expect(page.locator('#claims-count')).toHaveText('1 claim');
  const row = page.getByRole('table').getByRole('row').nth(1);
  await expect(row).toContainText('Submitted');
  await row.getByRole('link').click();
  await expect(page.getByRole('heading', { name: /^Claim NC-/ })).toBeVisible();
  await hydrated(page);
  const actions = page.getByRole('group', { name: 'Claim actions' });
  await expect(actions.getByRole('button')).toHaveText(['Post payment']);
  await expect(page.getByRole('heading', { name: 'Change the claim' })).toHaveCount(0);
  await actions.getByRole('button', { name: 'Post payment' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'now' })).toHaveText('The claim is now paid.');
  await expect(page.locator('.facts')).toContainText('Paid');
  // Paid: nothing left for a payment poster (refunds need Claims: refund).
  await expect(page.getByRole('group', { name: 'Claim actions' })).toHaveCount(0);
});

test('a manager exports the claims of the company they act in', async ({ page }) => {
  await submitSignIn(page, 'mia.manager@northwind.example');
  await expect(page.getByRole('heading', { name: /^Welcome, Mia/ })).toBeVisible();
  await page.goto('/claims?min=150&max=');
  await hydrated(page);
  await expect(page.getByText('In Harbor Imaging.')).toBeVisible();
  await expect(page.locator('#claims-count')).toHaveText('4 claims');
  await page.getByRole('button', { name: 'Export to CSV' }).click();
  const download = page.getByRole('link', { name: 'Download claims.csv' });
  await expect(download).toHaveAttribute('download', 'claims.csv');
  const csv = decodeURIComponent(((await download.getAttribute('href')) ?? '').replace(/^data:text\/csv;charset=utf-8,/, ''));
  const lines = csv.trim().split('\r\n');
  expect(lines[0]).toBe('"Claim","Patient","Payer","Service date","Amount","Status"');
  expect(lines).toHaveLength(5);
  expect(lines.slice(1).every((l) => l.startsWith('"HI-'))).toBe(true);
});
