import { test, expect } from '@playwright/test';
import { hydrated, signInAdministrator } from './helpers';

test('an Administrator filters the audit log and opens an event', async ({ page }) => {
  test.setTimeout(90_000);
  await signInAdministrator(page, 'ben.backup@northwind.example');
  await page.getByRole('banner').getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('heading', { name: 'Audit log', level: 1 })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Action').selectOption('auth.sign_in');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/action=auth.sign_in/);
  const rows = page.getByRole('table').getByRole('row');
  await expect(rows.nth(1)).toContainText('Ben Backup');
  await expect(rows.nth(1)).toContainText('auth.sign_in');
  // The filtered set downloads as CSV.
  const download = page.getByRole('link', { name: 'Download these events as CSV' });
  await expect(download).toHaveAttribute('href', /^\/audit\.csv\?.*action=auth\.sign_in/);
  const csv = await page.request.get((await download.getAttribute('href')) ?? '');
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
  const text = await csv.text();
  expect(text.split('\r\n')[0]).toContain('"When (UTC)"');
  expect(text).toContain('"auth.sign_in"');
  expect(text).not.toContain('"user.update"');
  await rows.nth(1).getByRole('link').click();
  await expect(page.getByRole('heading', { name: 'auth.sign_in' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'What changed' })).toBeVisible();
  // A filter that matches nothing says so.
  await page.goto('/audit?from=2000-01-01&to=2000-01-02');
  await expect(page.getByText('No event matches.')).toBeVisible();
});
