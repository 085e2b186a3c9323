import { test, expect } from '@playwright/test';
import { hydrated, signInAdministrator, submitSignIn } from './helpers';

test('a Partner switches the company they act in; a Customer has just one', async ({ page }) => {
  await submitSignIn(page, 'pat.partner@northwind.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Pat Partner' })).toBeVisible();
  const bar = page.getByRole('navigation', { name: 'Where you act' });
  const acting = bar.getByLabel('Acting in');
  // Exactly his companies, starting in his default one.
  await expect(acting.locator('option')).toHaveText(['East Clinic', 'North Clinic', 'South Clinic']);
  await expect(acting).toHaveValue(await acting.locator('option', { hasText: 'South Clinic' }).getAttribute('value') ?? '');
  await hydrated(page);

  // Keyboard only: focus the select, pick East, tab to Switch, press Enter.
  await acting.focus();
  await acting.selectOption({ label: 'East Clinic' });
  await page.keyboard.press('Tab');
  await expect(bar.getByRole('button', { name: 'Switch' })).toBeFocused();
  // A switch reloads the page, so everything on it is the new company's.
  const reloaded = page.waitForEvent('load');
  await page.keyboard.press('Enter');
  await reloaded;
  await expect(acting.locator('option:checked')).toHaveText('East Clinic');
  // Kept in the session: a fresh load still acts in East Clinic.
  await page.goto('/profile');
  await expect(page.getByRole('navigation', { name: 'Where you act' }).getByLabel('Acting in').locator('option:checked')).toHaveText('East Clinic');

  await page.getByRole('button', { name: 'Sign out' }).click();
  // Signed out first: a sign-in page opened meanwhile would race the
  // sign-out's own redirect.
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await submitSignIn(page, 'cathy.customer@northwind.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Cathy Customer' })).toBeVisible();
  await expect(bar).toHaveText('Acting in North Clinic');
  await expect(bar.getByRole('combobox')).toHaveCount(0);
});

test('an Administrator adds a child company, acts in it, and deactivates it', async ({ page }) => {
  await signInAdministrator(page, 'ben.backup@northwind.example');
  const acting = page.getByRole('navigation', { name: 'Where you act' }).getByLabel('Acting in');
  // Ben starts in his default company.
  await expect(acting.locator('option:checked')).toHaveText('North Clinic');
  await page.getByRole('banner').getByRole('link', { name: 'Companies' }).click();
  await expect(page.getByRole('heading', { name: 'Companies', level: 1 })).toBeVisible();
  await hydrated(page);
  await expect(page.getByLabel('Status of Northwind Health Partners')).toBeDisabled();

  await page.getByLabel('Name', { exact: true }).fill('West Clinic');
  await page.getByRole('button', { name: 'Add company' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'added' })).toHaveText('West Clinic has been added.');
  await expect(page.getByRole('rowheader', { name: 'West Clinic' })).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill('west clinic');
  await page.getByRole('button', { name: 'Add company' }).click();
  await expect(page.locator('#new-company-name-error')).toHaveText('Another company of your organization already has this name.');

  // The new company is in the switcher at once (after a reload of the header).
  await page.reload();
  await hydrated(page);
  await acting.selectOption({ label: 'West Clinic' });
  const reloaded = page.waitForEvent('load');
  await page.getByRole('button', { name: 'Switch' }).click();
  await reloaded;
  await expect(acting.locator('option:checked')).toHaveText('West Clinic');

  // Deactivated, nobody acts there: the session falls back to his default.
  await hydrated(page);
  await page.getByLabel('Status of West Clinic').selectOption('inactive');
  await page.getByRole('button', { name: 'Save West Clinic' }).click();
  await expect(page.getByRole('row', { name: /West Clinic/ }).getByRole('status')).toHaveText('The company has been saved.');
  await expect(page.getByRole('row', { name: /West Clinic/ })).toContainText('Inactive');
  await page.reload();
  await expect(acting.locator('option:checked')).toHaveText('North Clinic');
  await expect(acting.locator('option', { hasText: 'West Clinic' })).toHaveCount(0);
});
