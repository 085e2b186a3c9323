import { test, expect, type Page } from '@playwright/test';
import { hydrated, signInEnrollingAdministrator, submitSignIn } from './helpers';

const ROSA = 'rosa.rivers@riverside.example';

test('an Administrator lists, searches and edits users, and cannot deactivate the last Administrator', async ({ page }) => {
  // Rosa is Riverside's only Administrator.
  await signInEnrollingAdministrator(page, ROSA);
  await page.getByRole('banner').getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
  await hydrated(page);
  await expect(page.getByRole('status')).toHaveText('1 user');
  await expect(page.getByRole('note')).toContainText('fewer than two active Administrators');
  const rows = page.getByRole('table').getByRole('row');
  await expect(rows).toHaveCount(2); // the header and Rosa: no other organization's users
  await expect(rows.nth(1)).toContainText(ROSA);

  await page.getByLabel('Search').fill('northwind');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/q=northwind/);
  await expect(page.getByText('No user matches this search.')).toBeVisible();
  await page.getByRole('link', { name: 'Show all users' }).click();
  await expect(page.getByRole('status')).toHaveText('1 user');

  await page.getByRole('table').getByRole('link', { name: 'Rosa Rivers' }).click();
  await expect(page.getByRole('heading', { name: 'Rosa Rivers', level: 1 })).toBeVisible();
  await hydrated(page);
  const last = page.getByLabel('Last name');
  await last.fill('R1vers');
  await expect(page.locator('#user-last-name-error')).toContainText('Numbers and special characters are not allowed');
  await last.fill('Rivers-Lee');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'saved' })).toHaveText('The user has been saved.');

  await page.getByLabel('Status').selectOption('inactive');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toContainText('last active Administrator');

  // Two Administrators' forms (here two tabs): the second save is refused, not lost.
  const other = await page.context().newPage();
  await other.goto(page.url());
  await hydrated(other);
  await page.reload();
  await hydrated(page);
  await page.getByLabel('First name').fill('Rosalind');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'saved' })).toBeVisible();
  await other.getByLabel('First name').fill('Rosie');
  await other.getByRole('button', { name: 'Save' }).click();
  await expect(other.getByRole('alert')).toContainText('Someone else changed this user');
  await other.getByRole('button', { name: 'Reload the user' }).click();
  await expect(other.getByLabel('First name')).toHaveValue('Rosalind');
});

test('a Standard user is refused the Users page', async ({ page }) => {
  await submitSignIn(page, 'pat.partner@northwind.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Pat Partner' })).toBeVisible();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Users' })).toHaveCount(0);
  await page.goto('/users');
  await expect(page.getByRole('alert')).toContainText(/Administrator/);
});
