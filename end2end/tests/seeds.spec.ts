import { test, expect } from '@playwright/test';
import { PASSWORD, hydrated, signInAdministrator, submitSignIn } from './helpers';

// The product as the help-center seeds describe it (issue 23): Edit User's
// two tabs (seed 000), Settings › User Management, Add User's company and
// companies (seed 001), who opens tickets (seed 002) and the password
// warning (seed 003).

const BEN = 'ben.backup@northwind.example';

// Signing an Administrator in may wait for the next authenticator step.
test.describe.configure({ timeout: 90_000 });

test('Edit User has Profile and Permissions tabs: in the address, by keyboard, keeping what was typed', async ({ page }) => {
  await signInAdministrator(page, BEN);
  await page.goto('/users');
  await hydrated(page);
  await page.getByRole('table').getByRole('link', { name: 'Pat Partner' }).click();
  await expect(page.getByRole('heading', { name: 'Pat Partner', level: 1 })).toBeVisible();
  await hydrated(page);

  const tabs = page.getByRole('tablist', { name: 'Edit user' });
  const profile = tabs.getByRole('tab', { name: 'Profile' });
  const permissions = tabs.getByRole('tab', { name: 'Permissions' });
  await expect(profile).toHaveAttribute('aria-selected', 'true');
  await expect(permissions).toHaveAttribute('aria-selected', 'false');
  await expect(page.getByRole('tabpanel', { name: 'Profile' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Permissions & access' })).toBeHidden();

  // Typed, not saved; then to the other tab and back by keyboard: no
  // question asked, nothing lost.
  await page.getByLabel('First name').fill('Patrick');
  let asked = false;
  page.on('dialog', (dialog) => {
    asked = true;
    void dialog.dismiss();
  });
  await profile.focus();
  await page.keyboard.press('ArrowRight');
  await expect(permissions).toBeFocused();
  await expect(permissions).toHaveAttribute('aria-selected', 'true');
  await expect(page).toHaveURL(/\?tab=permissions$/);
  const panel = page.getByRole('tabpanel', { name: 'Permissions' });
  await expect(panel.getByRole('heading', { name: 'Permissions & access' })).toBeVisible();
  // The Why panel belongs to this tab.
  await expect(panel.getByRole('heading', { name: 'Why can this user see this?' })).toBeVisible();
  await expect(panel.getByRole('list', { name: 'Companies and why' })).toContainText('South Clinic');
  await expect(page.getByLabel('First name')).toBeHidden();
  await page.keyboard.press('End');
  await expect(permissions).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(profile).toBeFocused();
  await expect(page).toHaveURL(/\?tab=profile$/);
  await expect(page.getByLabel('First name')).toHaveValue('Patrick');
  await page.keyboard.press('ArrowLeft');
  await expect(permissions).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Home');
  await expect(profile).toHaveAttribute('aria-selected', 'true');
  expect(asked).toBe(false);
  // Only the selected tab is in the Tab order.
  await expect(profile).toHaveAttribute('tabindex', '0');
  await expect(permissions).toHaveAttribute('tabindex', '-1');

  // What each account type gives, beside the choice, following it.
  await permissions.click();
  const gives = panel.locator('#perm-account-type-gives');
  await expect(gives).toContainText('Standard (chosen): Everyday work');
  await expect(gives).toContainText('Every claim permission (view, edit, refund, post, export) in every company.');
  await panel.getByLabel('Account type').selectOption('administrator');
  await expect(gives).toContainText('Administrator (chosen): Everything');
  await expect(panel.getByRole('group', { name: 'Billing customer assignments' })).toContainText(
    'Companies this user may act in',
  );

  // A link, or a reload, keeps the tab.
  const link = page.url();
  const other = await page.context().newPage();
  await other.goto(link);
  await hydrated(other);
  await expect(other.getByRole('tab', { name: 'Permissions' })).toHaveAttribute('aria-selected', 'true');
  await expect(other.getByRole('heading', { name: 'Permissions & access' })).toBeVisible();
  await other.close();
});

test('without JavaScript each tab is a plain link to its own page', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill('mia.manager@northwind.example');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: /^Welcome, / })).toBeVisible();
  await page.goto('/users');
  await page.getByRole('table').getByRole('link', { name: 'Pat Partner' }).click();
  await expect(page.getByRole('heading', { name: 'Pat Partner', level: 1 })).toBeVisible();
  await expect(page.getByLabel('First name')).toBeVisible();
  await page.getByRole('tab', { name: 'Permissions' }).click();
  await expect(page).toHaveURL(/\/users\/\d+\?tab=permissions$/);
  await expect(page.getByRole('heading', { name: 'Permissions & access' })).toBeVisible();
  await expect(page.getByLabel('First name')).toBeHidden();
  await page.getByRole('tab', { name: 'Profile' }).click();
  await expect(page.getByLabel('First name')).toBeVisible();
  await context.close();
});

test('User Management is reached from Settings, and Add User assigns companies as seed 001 says', async ({ page }) => {
  await signInAdministrator(page, BEN);
  await page.getByRole('banner').getByRole('link', { name: 'Settings' }).click();
  const settings = page.getByRole('navigation', { name: 'Settings' });
  await expect(settings.getByRole('link', { name: 'Account Settings' })).toHaveAttribute('aria-current', 'page');
  await settings.getByRole('link', { name: 'User Management' }).click();
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
  await expect(settings.getByRole('link', { name: 'User Management' })).toHaveAttribute('aria-current', 'page');

  // A Customer goes to the company Ben acts in, shown and changeable.
  const acting = await page.getByLabel('Acting in').locator('option:checked').textContent();
  await page.getByRole('link', { name: 'Add user' }).click();
  await expect(page.getByRole('heading', { name: 'Add user', level: 1 })).toBeVisible();
  await hydrated(page);
  await expect(page.getByLabel('Company', { exact: true }).locator('option:checked')).toHaveText(acting ?? '');
  const partnerCompanies = page.getByRole('group', { name: 'Companies this Partner may act in' });
  await page.getByLabel('User type').selectOption('customer');
  await expect(partnerCompanies).toBeHidden();

  // A Partner: the companies ticked and a default among them, in one form.
  await page.getByLabel('User type').selectOption('partner');
  await expect(partnerCompanies).toBeVisible();
  await page.getByLabel('First name').fill('Paula');
  await page.getByLabel('Last name').fill('Picked');
  await page.getByLabel('Email').fill('paula.picked@northwind.example');
  // The company Ben acts in starts ticked; the default company chosen joins it.
  // (Not South Clinic or Harbor Imaging: users.spec counts whom Mia sees there.)
  await expect(partnerCompanies.getByRole('checkbox', { name: new RegExp(`^${acting}`) })).toBeChecked();
  const east = partnerCompanies.getByRole('checkbox', { name: /^East Clinic/ });
  await expect(east).not.toBeChecked();
  await page.getByLabel('Company', { exact: true }).selectOption({ label: 'East Clinic' });
  await expect(east).toBeChecked();
  await expect(partnerCompanies).toContainText('East Clinic — default company');
  await page.getByRole('button', { name: 'Add user and send invitation' }).click();
  await expect(page.getByRole('heading', { name: 'Paula Picked', level: 1 })).toBeVisible();
  await hydrated(page);
  await page.getByRole('tab', { name: 'Permissions' }).click();
  const why = page.getByRole('list', { name: 'Companies and why' });
  await expect(why).toContainText(`${acting} — direct assignment`);
  await expect(why).toContainText('East Clinic — direct assignment');
  await expect(why).not.toContainText('South Clinic');
  await expect(page.getByLabel('Home company (Customer) or default company (Partner)').locator('option:checked')).toHaveText(
    'East Clinic',
  );
});

test('who may open tickets is named to those who may not, and the password change warns first', async ({ page }) => {
  await submitSignIn(page, 'pat.partner@northwind.example');
  await expect(page.getByRole('heading', { name: /^Welcome, / })).toBeVisible();
  await page.getByRole('banner').getByRole('link', { name: 'Support' }).click();
  const contacts = page.getByRole('list', { name: 'Administrators and Support Users' });
  await expect(contacts.getByRole('listitem')).toHaveText([
    'Ada Admin — Administrator',
    'Ben Backup — Administrator',
    'Sam Support — Support User',
  ]);
  await page.goto('/profile');
  await expect(page.locator('#password-change-warning')).toHaveText(
    'Changing your password signs you out at once, here and on every other device. Sign in again with the new password.',
  );
});

test('the role catalogue: the service type picks the family, and the matrix shows it on screen and as a PDF', async ({ page }) => {
  await signInAdministrator(page, BEN);
  await page.goto('/roles');
  await hydrated(page);
  const startFrom = page.getByLabel('Start from');
  // RevServe (Northwind's): its family's templates and Standard, not Self-Service's.
  await expect(startFrom.locator('optgroup[label="RevServe & RevEquip"] option')).toContainText([
    'Template: Practice Admin',
    'Template: Front Office',
    'Template: Provider',
    'Template: Front Office Billing – EMR Access Restriction',
  ]);
  await expect(startFrom.locator('option', { hasText: 'Self-Service Admin' })).toHaveCount(0);
  await expect(startFrom.locator('option', { hasText: 'Partner Admin' })).toHaveCount(0);
  await startFrom.selectOption({ label: 'Template: Front Office Billing – EMR Access Restriction' });
  await expect(page.locator('#new-role-template-hint')).toContainText('never the payment balancing report');

  // Settings › Service type: Self-Service offers the other family.
  await page.getByRole('link', { name: 'Change it in Settings' }).click();
  const card = page.getByRole('region', { name: 'Service type' });
  await expect(card.getByRole('radio', { name: /^RevServe/ })).toBeChecked();
  await hydrated(page);
  await card.getByRole('radio', { name: /^Self-Service/ }).check();
  await card.getByRole('button', { name: 'Save service type' }).click();
  await expect(card.getByRole('status')).toHaveText(
    'The service type has been saved: the New Role form now offers its templates.',
  );
  await page.goto('/roles');
  await hydrated(page);
  await expect(startFrom.locator('optgroup[label="Self-Service"] option')).toHaveCount(7);
  await expect(startFrom.locator('option', { hasText: 'Practice Admin' })).toHaveCount(0);

  // The matrix opens on the organization's family; the other is a link away.
  await page.getByRole('link', { name: 'Permissions by page' }).first().click();
  const choice = page.getByRole('navigation', { name: 'Roles in the matrix' });
  await expect(choice.getByRole('link', { name: 'Self-Service' })).toHaveAttribute('aria-current', 'page');
  await choice.getByRole('link', { name: 'RevServe & RevEquip' }).click();
  await expect(page).toHaveURL(/of=revserve_revequip/);
  const table = page.getByRole('table', { name: 'Permissions by page' });
  const headers = await table.getByRole('columnheader').allTextContents();
  const emr = headers.indexOf('Front Office Billing – EMR Access Restriction');
  expect(emr).toBeGreaterThan(3);
  const balancing = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Payment balancing report' }) });
  await expect(balancing.getByRole('cell').nth(emr - 1)).toHaveText('withheld');
  await expect(balancing.getByRole('cell').first()).toHaveText('Billing platform');

  // The PDF is a real PDF, made on the server.
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download as PDF' }).click();
  const file = await (await download).path();
  const bytes = (await import('node:fs')).readFileSync(file);
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  expect(bytes.length).toBeGreaterThan(2000);

  // Back to RevServe for the specs after this one.
  await page.goto('/settings');
  await hydrated(page);
  await card.getByRole('radio', { name: /^RevServe/ }).check();
  await card.getByRole('button', { name: 'Save service type' }).click();
  await expect(card.getByRole('status')).toContainText('has been saved');
});

test('a Practice Admin adds users within their own access, never beyond', async ({ page }) => {
  // Ben adds Dana as a Practice Admin in North Clinic.
  await signInAdministrator(page, BEN);
  await page.goto('/users/new');
  await hydrated(page);
  await page.getByLabel('First name').fill('Dana');
  await page.getByLabel('Last name').fill('Delegate');
  await page.getByLabel('Email').fill('dana.delegate@northwind.example');
  await page.getByLabel('Company', { exact: true }).selectOption({ label: 'North Clinic' });
  await page.getByLabel('Role').selectOption({ label: 'Practice Admin' });
  await page.getByRole('button', { name: 'Add user and send invitation' }).click();
  await expect(page.getByRole('heading', { name: 'Dana Delegate', level: 1 })).toBeVisible();
  await page.goto('/dev/mailbox');
  await hydrated(page);
  const message = page.getByRole('listitem').filter({ hasText: 'To dana.delegate@northwind.example' }).first();
  const link = (await message.getByRole('link', { name: 'Open the link' }).getAttribute('href')) ?? '';
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.goto(link);
  await hydrated(page);
  await page.getByLabel('New password', { exact: true }).fill('dana delegates with care');
  await page.getByLabel('New password again').fill('dana delegates with care');
  await page.getByRole('button', { name: 'Set the password' }).click();
  await expect(page.getByRole('status')).toHaveText('Your new password is set. Sign in with it.');
  await submitSignIn(page, 'dana.delegate@northwind.example', 'dana delegates with care');
  await expect(page.getByRole('heading', { name: 'Welcome, Dana Delegate' })).toBeVisible();

  // Dana opens Add User: Standard users only, the roles within her own.
  await page.getByRole('banner').getByRole('link', { name: 'Users' }).click();
  await hydrated(page);
  await page.getByRole('link', { name: 'Add user' }).click();
  await expect(page.getByRole('heading', { name: 'Add user', level: 1 })).toBeVisible();
  await hydrated(page);
  await expect(page.getByLabel('Account type')).toHaveCount(0);
  await expect(page.getByText('You add Standard users, with a role and companies you hold yourself')).toBeVisible();
  const roles = page.getByLabel('Role');
  await expect(roles.locator('option', { hasText: 'Provider' })).toHaveCount(1);
  await expect(roles.locator('option', { hasText: 'Partner Admin' })).toHaveCount(0);
  // Front Office carries South Clinic, which Dana does not act in: not offered
  // (the server refuses it too: integration test delegation.rs).
  await expect(roles.locator('option', { hasText: /^Front Office$/ })).toHaveCount(0);
  await page.getByLabel('First name').fill('Eli');
  await page.getByLabel('Last name').fill('Entry');
  await page.getByLabel('Email').fill('eli.entry@northwind.example');
  await roles.selectOption({ label: 'Provider' });
  await page.getByRole('button', { name: 'Add user and send invitation' }).click();
  await expect(page.getByRole('heading', { name: 'Eli Entry', level: 1 })).toBeVisible();
  await hydrated(page);
  // Eli is within Dana's access: his Permissions tab is hers to change.
  await page.getByRole('tab', { name: 'Permissions' }).click();
  await expect(page.getByRole('button', { name: 'Save permissions' })).toBeVisible();
  await page.getByLabel(/Support User \(may open support tickets\)/).check();
  await page.getByRole('button', { name: 'Save permissions' }).click();
  await expect(page.getByRole('alert')).toHaveText('Only Administrators can make someone a Support User, or change a Support User.');
});
