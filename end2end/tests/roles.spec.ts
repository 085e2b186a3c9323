import { test, expect } from '@playwright/test';
import { hydrated, signInAdministrator } from './helpers';

// Ben, Northwind's second Administrator. Theo works in East Clinic, out of
// sight of Mia (Harbor Imaging, South Clinic), whose Users page users.spec counts.
const BEN = 'ben.backup@northwind.example';

test('an Administrator creates a role from a template, gives it companies that lock on members, and deletes it', async ({ page }) => {
  await signInAdministrator(page, BEN);
  await page.getByRole('banner').getByRole('link', { name: 'Roles' }).click();
  await expect(page.getByRole('heading', { name: 'Roles', level: 1 })).toBeVisible();
  await hydrated(page);
  const frontOffice = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Front Office', exact: true }) });
  await expect(frontOffice).toContainText('1');

  // A name already taken is refused on the field.
  await page.getByLabel('Name', { exact: true }).fill('front office');
  await page.getByRole('button', { name: 'Create role' }).click();
  await expect(page.locator('#new-role-name-error')).toHaveText('Another role of your organization already has this name.');

  await page.getByLabel('Name', { exact: true }).fill('Therapist');
  await page.getByLabel('Start from').selectOption({ label: 'Template: Provider' });
  await expect(page.locator('#new-role-template-hint')).toContainText('only through each patient');
  await page.getByRole('button', { name: 'Create role' }).click();
  await expect(page.getByRole('heading', { name: 'Therapist', level: 1 })).toBeVisible();
  await expect(page.getByRole('status').first()).toContainText('The role has been created');
  await hydrated(page);
  const roleUrl = page.url();
  await expect(page.getByRole('checkbox', { name: /Claims: view/ })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: /Payments: view/ })).not.toBeChecked();

  // Theo joins with the role, in East Clinic: North Clinic is his to pick or not.
  await page.goto('/users/new');
  await hydrated(page);
  await page.getByLabel('First name').fill('Theo');
  await page.getByLabel('Last name').fill('Therapist');
  await page.getByLabel('Email').fill('theo.therapist@northwind.example');
  await page.getByLabel('Company', { exact: true }).selectOption({ label: 'East Clinic' });
  // Only East Clinic: the company Ben acts in starts ticked, and is unticked.
  await page.getByRole('group', { name: 'Companies this Partner may act in' })
    .getByRole('checkbox', { name: /^North Clinic/ }).uncheck();
  await page.getByLabel('Role').selectOption({ label: 'Therapist' });
  await page.getByRole('button', { name: 'Add user and send invitation' }).click();
  await expect(page.getByRole('heading', { name: 'Theo Therapist', level: 1 })).toBeVisible();
  await hydrated(page);
  await page.getByRole('tab', { name: 'Permissions' }).click();
  const theoUrl = page.url();
  const companies = page.getByRole('group', { name: 'Billing customer assignments', exact: true });
  await expect(companies.getByRole('checkbox', { name: 'North Clinic' })).toBeEnabled();
  await expect(companies.getByRole('checkbox', { name: 'North Clinic' })).not.toBeChecked();

  // The role gains Payments: view and North Clinic.
  await page.goto(roleUrl);
  await hydrated(page);
  await page.getByRole('checkbox', { name: /Payments: view/ }).check();
  const inherited = page.getByRole('group', { name: 'Companies members inherit' });
  await inherited.getByRole('checkbox', { name: 'North Clinic' }).check();
  // East Clinic too, which Theo was given directly when he was added.
  await inherited.getByRole('checkbox', { name: 'East Clinic' }).check();
  await page.getByRole('button', { name: 'Save role' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'saved' })).toHaveText('The role has been saved.');
  await expect(page.getByText('1 user has this role.')).toBeVisible();

  // On Theo's page North Clinic is now ticked and locked, saying why.
  await page.goto(theoUrl);
  await hydrated(page);
  const north = companies.getByRole('checkbox', { name: /^North Clinic/ });
  await expect(north).toBeChecked();
  await expect(north).toBeDisabled();
  await expect(companies).toContainText('North Clinic — from role Therapist');
  await expect(page.getByRole('list', { name: 'Companies and why' })).toContainText('North Clinic — role “Therapist”');

  // His direct East Clinic shows as both, and an unchanged save keeps it.
  await expect(companies).toContainText('East Clinic — from role Therapist, also assigned directly');
  const eastDirect = companies.getByRole('checkbox', { name: 'Also assigned directly: East Clinic' });
  await expect(eastDirect).toBeChecked();
  await page.getByRole('button', { name: 'Save permissions' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'saved' })).toHaveText('The user has been saved.');
  await page.reload();
  await hydrated(page);
  await expect(eastDirect).toBeChecked();
  const why = page.getByRole('list', { name: 'Companies and why' });
  await expect(why).toContainText('East Clinic — role “Therapist”, direct assignment');
  // The direct pick can be removed on its own; the role's stays.
  await eastDirect.uncheck();
  await expect(companies).not.toContainText('East Clinic — from role Therapist, also');
  await page.getByRole('button', { name: 'Save permissions' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'saved' })).toHaveText('The user has been saved.');
  await expect(why).not.toContainText('East Clinic — role “Therapist”, direct assignment');
  await expect(why).toContainText('East Clinic — role “Therapist”');
  await expect(eastDirect).not.toBeChecked();
  // And given back, so he keeps East Clinic when the role goes below.
  await eastDirect.check();
  await page.getByRole('button', { name: 'Save permissions' }).click();
  await expect(why).toContainText('East Clinic — role “Therapist”, direct assignment');

  // The matrix shows the new column, generated from the role.
  await page.goto('/roles');
  await page.getByRole('link', { name: 'Permissions by page' }).first().click();
  await expect(page.getByRole('heading', { name: 'Permissions by page', level: 1 })).toBeVisible();
  await page.getByRole('navigation', { name: 'Roles in the matrix' }).getByRole('link', { name: "Your organization's roles" }).click();
  await expect(page).toHaveURL(/of=own_roles/);
  await expect(page.getByRole('columnheader', { name: 'Therapist' })).toBeVisible();
  const headers = await page.getByRole('columnheader').allTextContents();
  const therapist = headers.indexOf('Therapist');
  expect(therapist).toBeGreaterThan(2);
  const payments = page.getByRole('row', { name: /^Payments/ });
  await expect(payments.getByRole('rowheader')).toHaveText('Payments');
  await expect(payments.getByRole('cell').nth(therapist - 1)).toHaveText('yes');
  const roles = page.getByRole('row', { name: /^Roles/ });
  await expect(roles.getByRole('cell').nth(therapist - 1)).toHaveText('no');
  const csv = page.getByRole('link', { name: 'Download as CSV' });
  await expect(csv).toHaveAttribute('download', 'permissions-by-page-own_roles.csv');
  expect(decodeURIComponent((await csv.getAttribute('href')) ?? '')).toContain('"Therapist"');

  // Deleting it asks where Theo goes, then moves him and deletes together.
  await page.goto(roleUrl);
  await hydrated(page);
  // It asks first, in a modal dialog that holds the focus; Escape closes it
  // and gives the focus back to the button.
  const opener = page.getByRole('button', { name: 'Delete role' });
  const dialog = page.getByRole('dialog', { name: /Delete the role “Therapist”\?/ });
  await opener.click();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Delete role' })).toBeFocused();
  // The page behind is inert: no Tab reaches it.
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Tab');
    const outside = await page.evaluate(
      () => document.activeElement !== document.body && !document.activeElement?.closest('dialog'),
    );
    expect(outside, 'the focus stays in the dialog').toBe(false);
  }
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();
  await opener.click();
  await dialog.getByRole('button', { name: 'Delete role' }).click();
  await expect(page.locator('#role-move-to-error')).toHaveText('1 user has this role: choose a role to move them to.');
  await page.getByLabel('Move its members to').selectOption({ label: 'Provider' });
  await opener.click();
  await dialog.getByRole('button', { name: 'Delete role' }).click();
  await expect(page).toHaveURL(/\/roles\?deleted/);
  await expect(page.getByRole('status').first()).toHaveText('The role has been deleted.');
  await expect(page.getByRole('row', { name: /Therapist/ })).toHaveCount(0);
  await page.goto('/users?q=theo');
  await expect(page.getByRole('row', { name: /Theo Therapist/ })).toContainText('Provider');
});
