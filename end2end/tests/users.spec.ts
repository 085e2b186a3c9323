import { test, expect, type Page } from '@playwright/test';
import { hydrated, signInAdministrator, signInEnrollingAdministrator, submitSignIn } from './helpers';

const ROSA = 'rosa.rivers@riverside.example';

test('an Administrator lists, searches and edits users, and cannot deactivate the last Administrator', async ({ page }) => {
  // Rosa is Riverside's only Administrator.
  await signInEnrollingAdministrator(page, ROSA);
  await page.getByRole('banner').getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
  await hydrated(page);
  await expect(page.locator('#users-count')).toHaveText('1 user');
  await expect(page.getByRole('note')).toContainText('fewer than two active Administrators');
  const rows = page.getByRole('table').getByRole('row');
  await expect(rows).toHaveCount(2); // the header and Rosa: no other organization's users
  await expect(rows.nth(1)).toContainText(ROSA);

  await page.getByLabel('Search').fill('northwind');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/q=northwind/);
  await expect(page.getByText('No user matches this search.')).toBeVisible();
  await page.getByRole('link', { name: 'Show all users' }).click();
  await expect(page.locator('#users-count')).toHaveText('1 user');
  // Who can act in a company: an Administrator acts in every one.
  await page.getByLabel('Can act in').selectOption({ label: 'Riverside Pediatrics' });
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/company=\d+/);
  await expect(page.locator('#users-count')).toHaveText('1 user');
  await expect(page.getByLabel('Can act in')).toHaveValue(/\d+/);

  await page.getByRole('table').getByRole('link', { name: 'Rosa Rivers' }).click();
  await expect(page.getByRole('heading', { name: 'Rosa Rivers', level: 1 })).toBeVisible();
  await hydrated(page);
  await page.getByRole('tab', { name: 'Permissions' }).click();
  const why = page.getByRole('list', { name: 'Companies and why' }).getByRole('listitem').filter({ hasText: 'Riverside Pediatrics' }).first();
  await expect(why).toContainText('Riverside Pediatrics — Administrator');
  await why.locator('summary').click();
  await expect(why).toContainText('Administrator');
  await page.getByRole('tab', { name: 'Profile' }).click();
  const last = page.getByLabel('Last name');
  await last.fill('R1vers');
  await expect(page.locator('#user-last-name-error')).toContainText('Numbers and special characters are not allowed');
  await last.fill('Rivers-Lee');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'saved' })).toHaveText('The user has been saved.');

  await page.getByLabel('Status').selectOption('inactive');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByRole('alert')).toContainText('last active Administrator');

  // Two Administrators' forms (here two tabs): the second save is refused, not lost.
  const other = await page.context().newPage();
  await other.goto(page.url());
  await hydrated(other);
  await page.reload();
  await hydrated(page);
  await page.getByLabel('First name').fill('Rosalind');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'saved' })).toBeVisible();
  await other.getByLabel('First name').fill('Rosie');
  await other.getByRole('button', { name: 'Save profile' }).click();
  await expect(other.getByRole('alert')).toContainText('Someone else changed this user');
  await other.getByRole('button', { name: 'Reload the user' }).click();
  await expect(other.getByLabel('First name')).toHaveValue('Rosalind');
});

test('a Standard user is refused the Users page', async ({ page }) => {
  await submitSignIn(page, 'pat.partner@northwind.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Pat Partner' })).toBeVisible();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Users' })).toHaveCount(0);
  await page.goto('/users');
  await expect(page.getByRole('alert')).toContainText('This needs the permission Users: view.');
});

test('a user with Users: view sees the users who share her companies, read-only, in the order she picks', async ({ page }) => {
  // Mia (Self-Service Manager: Users: view; renamed Mia-Rose in profile.spec) works in
  // Harbor Imaging and South Clinic.
  await submitSignIn(page, 'mia.manager@northwind.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Mia-Rose Manager' })).toBeVisible();
  await page.getByRole('banner').getByRole('link', { name: 'Users' }).click();
  await hydrated(page);
  await expect(page.locator('#users-count')).toHaveText('4 users');
  await expect(page.getByRole('link', { name: 'Add user' })).toHaveCount(0);
  await expect(page.getByRole('group', { name: 'Bulk actions' })).toHaveCount(0);
  await expect(page.getByRole('table').getByRole('checkbox')).toHaveCount(0);
  const names = page.getByRole('table').getByRole('row').getByRole('link');
  // Pat shares South Clinic through his role; Administrators act everywhere.
  await expect(names).toHaveText(['Ada Admin', 'Ben Backup', 'Mia-Rose Manager', 'Pat Partner']);
  await page.getByLabel('Sort by').selectOption({ label: 'Name, Z to A' });
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/sort=name_desc/);
  await expect(names).toHaveText(['Pat Partner', 'Mia-Rose Manager', 'Ben Backup', 'Ada Admin']);
  await expect(page.getByRole('columnheader', { name: 'Name' })).toHaveAttribute('aria-sort', 'descending');
  await expect(page.getByLabel('Sort by')).toHaveValue('name_desc');

  await names.filter({ hasText: 'Pat Partner' }).click();
  await expect(page.getByRole('heading', { name: 'Pat Partner', level: 1 })).toBeVisible();
  await hydrated(page);
  await expect(page.getByText('changing them needs the permission Users: manage')).toBeVisible();
  await expect(page.getByLabel('First name')).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Save profile' })).toHaveCount(0);
  await page.getByRole('tab', { name: 'Permissions' }).click();
  await expect(page.getByText("Only Administrators can change a user's permissions.")).toBeVisible();
  await expect(page.getByLabel('Role', { exact: true })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Save permissions' })).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Companies and why' })).toContainText('South Clinic');
});

test('an Administrator adds a user, who chooses a password from the invitation and signs in', async ({ page }) => {
  await signInAdministrator(page, ROSA);

  await page.goto('/users');
  await hydrated(page);
  await page.getByRole('link', { name: 'Add user' }).click();
  await expect(page.getByRole('heading', { name: 'Add user', level: 1 })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('First name').fill('Nina');
  await page.getByLabel('Last name').fill('Newman');
  await page.getByLabel('Email').fill(ROSA);
  await page.getByLabel('User type').selectOption('customer');
  await page.getByLabel('Company', { exact: true }).selectOption({ label: 'Riverside Pediatrics' });
  await page.getByRole('button', { name: 'Add user and send invitation' }).click();
  await expect(page.locator('#new-email-error')).toHaveText('This email is already in use.');
  await page.getByLabel('Email').fill('nina.newman@riverside.example');
  await page.getByRole('button', { name: 'Add user and send invitation' }).click();
  await expect(page.getByRole('heading', { name: 'Nina Newman', level: 1 })).toBeVisible();
  await expect(page.getByRole('status').first()).toContainText('An invitation to choose a password is on its way');

  // Permissions: as a Customer, Nina's companies are fixed to her home company.
  await hydrated(page);
  await page.getByRole('tab', { name: 'Permissions' }).click();
  const companies = page.getByRole('group', { name: 'Billing customer assignments' });
  await expect(companies.getByRole('checkbox', { name: 'Riverside Pediatrics' })).toBeChecked();
  await expect(companies.getByRole('checkbox', { name: 'Riverside Family Practice' })).toBeDisabled();
  await expect(companies).toContainText('Customer: only the home company');
  // As a Partner she may have several; the home company becomes her default.
  await page.getByLabel('User type').selectOption('partner');
  await companies.getByRole('checkbox', { name: 'Riverside Family Practice' }).check();
  await page.getByRole('button', { name: 'Save permissions' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'saved' })).toHaveText('The user has been saved.');
  const why = page.getByRole('list', { name: 'Companies and why' });
  await expect(why).toContainText('Riverside Family Practice — direct assignment');
  await expect(why).toContainText('Riverside Pediatrics — direct assignment');

  // Bulk actions on the list: all or nothing, with a summary.
  await page.goto('/users');
  await hydrated(page);
  await page.getByRole('checkbox', { name: 'Pick Nina Newman' }).check();
  await page.getByLabel('With the picked users').selectOption('deactivate');
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Apply to the picked users' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'deactivated' })).toHaveText(
    '1 user deactivated and signed out everywhere.',
  );
  await expect(page.getByRole('row', { name: /Nina Newman/ })).toContainText('Inactive');
  await page.getByRole('checkbox', { name: 'Pick Nina Newman' }).check();
  await page.getByRole('checkbox', { name: 'Pick Rosalind Rivers-Lee' }).check(); // renamed in the first test
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Apply to the picked users' }).click();
  await expect(page.getByRole('alert')).toContainText('last active Administrator');
  await expect(page.getByRole('row', { name: /Rosalind/ })).toContainText('Active');
  await page.getByRole('checkbox', { name: 'Pick Nina Newman' }).check();
  await page.getByLabel('With the picked users').selectOption('activate');
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Apply to the picked users' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'activated' })).toHaveText('1 user activated.');

  await page.goto('/dev/mailbox');
  await hydrated(page);
  const message = page.getByRole('listitem').filter({ hasText: 'To nina.newman@riverside.example' }).first();
  await expect(message.getByRole('heading')).toHaveText('You are invited to Riverside Family Practice on Portcullis');
  const link = (await message.getByRole('link', { name: 'Open the link' }).getAttribute('href')) ?? '';
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

  await page.goto(link);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Welcome! Choose your password' })).toBeVisible();
  await page.getByLabel('New password', { exact: true }).fill('nina picks a long one');
  await page.getByLabel('New password again').fill('nina picks a long one');
  await page.getByRole('button', { name: 'Set the password' }).click();
  await expect(page.getByRole('status')).toHaveText('Your new password is set. Sign in with it.');
  await submitSignIn(page, 'nina.newman@riverside.example', 'nina picks a long one');
  await expect(page.getByRole('heading', { name: 'Welcome, Nina Newman' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Companies you can act in' }).getByRole('listitem')).toHaveText([
    'Riverside Family Practice',
    'Riverside Pediatrics',
  ]);
});
