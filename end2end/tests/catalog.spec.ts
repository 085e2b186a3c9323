import { test, expect, type Page } from '@playwright/test';
import { hydrated, signInAdministrator, submitSignIn } from './helpers';

async function actIn(page: Page, company: string) {
  const bar = page.getByRole('navigation', { name: 'Where you act' });
  await hydrated(page);
  await bar.getByLabel('Acting in').selectOption({ label: company });
  // A switch reloads the page; wait for it, or the next step races it.
  const reloaded = page.waitForEvent('load');
  await bar.getByRole('button', { name: 'Switch' }).click();
  await reloaded;
  await expect(bar.getByLabel('Acting in').locator('option:checked')).toHaveText(company);
}

test('an Administrator adds a payer at the parent, previews a copy-down and copies it', async ({ page }) => {
  await signInAdministrator(page, 'ben.backup@northwind.example');
  await page.getByRole('banner').getByRole('link', { name: 'Payers & facilities' }).click();
  await expect(page.getByRole('heading', { name: 'Payers and facilities', level: 1 })).toBeVisible();
  // In a child company the lists are read-only copies.
  await expect(page.getByText('In North Clinic.')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Save / })).toHaveCount(0);

  await actIn(page, 'Northwind Health Partners');
  await hydrated(page);
  const payers = page.locator('section', { has: page.getByRole('heading', { name: 'Payers', level: 2 }) });
  await payers.getByLabel('New payer').fill('Cigna');
  await payers.getByLabel('Payer code', { exact: true }).fill('c');
  await payers.getByRole('button', { name: 'Add payer' }).click();
  await expect(payers.getByRole('alert')).toHaveText('A payer code is 2 to 10 letters or digits, such as MCRB.');
  await payers.getByLabel('Payer code', { exact: true }).fill('ci01');
  await payers.getByRole('button', { name: 'Add payer' }).click();
  await expect(payers.getByRole('status').first()).toHaveText('Cigna has been saved.');
  await expect(payers.getByRole('row', { name: /Cigna/ })).toContainText('CI01');

  await payers.getByLabel("The parent's payer").selectOption({ label: 'Cigna' });
  await payers.getByRole('group', { name: 'Copy payers to' }).getByRole('checkbox', { name: 'East Clinic' }).check();
  await payers.getByRole('button', { name: 'Preview' }).click();
  await expect(payers.getByRole('list', { name: 'Preview' })).toHaveText(['East Clinic gains a copy']);
  await payers.getByRole('button', { name: 'Copy to these companies' }).click();
  await expect(payers.getByRole('list', { name: 'Copied' })).toHaveText(['East Clinic gains a copy']);

  await actIn(page, 'East Clinic');
  await expect(page.getByRole('row', { name: /Cigna/ })).toContainText('Copy of the parent’s “Cigna”');
});

test('a Partner sees the payers of the company they act in, and no way to change them', async ({ page }) => {
  await submitSignIn(page, 'pat.partner@northwind.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Pat Partner' })).toBeVisible();
  await page.getByRole('banner').getByRole('link', { name: 'Payers & facilities' }).click();
  await expect(page.getByText('In South Clinic.')).toBeVisible();
  await expect(page.getByRole('row', { name: /Medicare Part B/ })).toContainText('MCRB');
  await expect(page.getByRole('button', { name: /^(Save|Delete|Add) / })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Preview' })).toHaveCount(0);
});
