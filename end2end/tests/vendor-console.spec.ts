import { test, expect } from '@playwright/test';
import { hydrated, signInAdministrator } from './helpers';

// vendor-access.spec leaves Claimwise at Limited Access with Northwind;
// Riverside, which Claimwise created, grants Full Access.
test.describe.configure({ timeout: 90_000 });

test('vendor staff manage accounts and switch into one with Full Access', async ({ page }) => {
  await signInAdministrator(page, 'vera.vendor@claimwise.example');
  await page.getByRole('banner').getByRole('link', { name: 'Accounts' }).click();
  await expect(page.getByRole('heading', { name: 'Manage Accounts' })).toBeVisible();
  const rows = page.getByRole('table').getByRole('row');
  // (Other specs may have added accounts of their own by now.)
  await expect(rows.filter({ hasText: 'Northwind Health Partners' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'Riverside Family Practice' })).toContainText('Full Access');
  await page.getByLabel('Search accounts').fill('river');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/search=river/);
  await expect(rows).toHaveCount(2);
  // A search that matches nothing says so and still offers adding one.
  await page.getByLabel('Search accounts').fill('no such practice');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByText('No linked account matches “no such practice”.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Add new account' })).toBeVisible();

  // Below Full Access: read-only, and no switching in.
  await page.goto('/accounts');
  await page.getByRole('link', { name: 'Northwind Health Partners' }).click();
  await expect(page.getByRole('heading', { name: 'Northwind Health Partners' })).toBeVisible();
  await expect(page.getByText('Full Access Not Available')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Switch to account' })).toHaveCount(0);
  await expect(page.getByLabel('Dental claims')).toBeDisabled();

  // Full Access: settings, then Switch to account.
  await page.goto('/accounts');
  await page.getByRole('link', { name: 'Riverside Family Practice' }).click();
  await expect(page.getByRole('heading', { name: 'Riverside Family Practice' })).toBeVisible();
  await hydrated(page);
  // The tier badge sits beside the account's name, not across the page.
  const title = await page.getByRole('heading', { name: 'Riverside Family Practice', level: 1 }).boundingBox();
  const badge = await page.getByTestId('tier-badge').boundingBox();
  expect(badge!.x - (title!.x + title!.width)).toBeLessThan(40);
  await expect(page.getByTestId('tier-badge')).toHaveText('Full Access');
  await page.getByLabel('Dental claims').check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('The account settings have been saved.')).toBeVisible();
  await expect(page.getByLabel('Dental claims')).toBeChecked();

  await page.getByRole('button', { name: 'Switch to account' }).click();
  const banner = page.getByRole('region', { name: 'Vendor access' });
  await expect(banner).toContainText('You are in the account of Riverside Family Practice as Claimwise Billing Services');
  await expect(page.getByRole('banner')).toContainText('Riverside Family Practice');
  await page.getByRole('banner').getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
  await expect(page.getByRole('table')).toContainText('rosa.rivers@riverside.example');
  await expect(banner).toBeVisible();

  await banner.getByRole('button', { name: 'Return to Claimwise Billing Services' }).click();
  await expect(page.getByRole('heading', { name: 'Riverside Family Practice' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Vendor access' })).toHaveCount(0);
  await expect(page.getByRole('banner')).toContainText('Claimwise Billing Services');
});

test('an API key is shown once, works like curl, and stops when revoked', async ({ page }) => {
  await signInAdministrator(page, 'vera.vendor@claimwise.example');
  await page.goto('/accounts');
  await page.getByRole('link', { name: 'Riverside Family Practice' }).click();
  await expect(page.getByRole('heading', { name: 'API keys' })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Key name').fill('Practice sync');
  await page.getByRole('button', { name: 'Generate API key' }).click();
  const shown = page.getByTestId('new-api-key');
  await expect(shown).toHaveText(/^pk_[A-Za-z0-9]{8}_[A-Za-z0-9]{32}$/);
  const key = (await shown.textContent()) ?? '';
  const row = page.getByRole('row', { name: /Practice sync/ });
  await expect(row).toContainText(key.slice(0, 11));

  const headers = { Authorization: `Bearer ${key}` };
  const accounts = await page.request.get('/api/v1/accounts', { headers });
  expect(accounts.status()).toBe(200);
  const [account] = await accounts.json();
  expect(account).toMatchObject({ name: 'Riverside Family Practice', vendor_access: 'full' });
  const claims = await page.request.get(`/api/v1/accounts/${account.id}/claims`, { headers });
  expect(claims.status()).toBe(200);
  expect(await claims.json()).toHaveProperty('claims');

  // Shown once: after a reload only the prefix remains.
  await page.reload();
  await expect(page.getByRole('row', { name: /Practice sync/ })).toBeVisible();
  await expect(page.getByTestId('new-api-key')).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText(key);

  await hydrated(page);
  await page.getByRole('button', { name: 'Revoke Practice sync' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'no longer works' })).toBeVisible();
  const after = await page.request.get('/api/v1/accounts', { headers });
  expect(after.status()).toBe(401);
});


test('a vendor adds an account, and its invited Administrator signs in', async ({ page }) => {
  await signInAdministrator(page, 'vera.vendor@claimwise.example');
  await page.goto('/accounts');
  await page.getByRole('link', { name: 'Add new account' }).click();
  await expect(page.getByRole('heading', { name: 'Add new account' })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Account or practice name').fill('Lakeside Clinic');
  await page.getByLabel('Institutional claims').check();
  await page.getByLabel('First name').fill('Lena');
  await page.getByLabel('Last name').fill('Lake');
  await page.getByLabel('Contact email').fill('ada.admin@northwind.example');
  await page.getByLabel('Contact phone').fill('503 555 0142');
  // Seed 003's pricing details, from the server's configuration, and the
  // onboarding documentation, also in the invitation.
  const plans = page.getByRole('group', { name: 'Plan and pricing details' });
  await expect(plans.getByRole('radio')).toHaveCount(3);
  await expect(plans.getByRole('radio', { name: /^Standard — \$0\.25 per claim/ })).toBeChecked();
  await plans.getByRole('radio', { name: /^Starter — \$0\.35 per claim/ }).check();
  const onboarding = page.getByRole('link', { name: /docs\.portcullis\.example\/onboarding/ });
  await expect(onboarding).toHaveAttribute('href', 'https://docs.portcullis.example/onboarding');
  await page.getByRole('button', { name: 'Add account and invite the contact' }).click();
  await expect(page.locator('#new-account-email-error')).toHaveText('This email is already in use.');
  await page.getByLabel('Contact email').fill('lena.lake@lakeside.example');
  await page.getByRole('button', { name: 'Add account and invite the contact' }).click();
  await expect(page.getByRole('heading', { name: 'Lakeside Clinic', level: 1 })).toBeVisible();
  await expect(page.getByText('The account has been added')).toBeVisible();
  await expect(page.getByLabel('Institutional claims')).toBeChecked();

  await page.goto('/dev/mailbox');
  await hydrated(page);
  const message = page.getByRole('listitem').filter({ hasText: 'To lena.lake@lakeside.example' }).first();
  await expect(message.getByRole('heading')).toHaveText('You are invited to Lakeside Clinic on Portcullis');
  await expect(message).toContainText('Getting started, for you and your users: https://docs.portcullis.example/onboarding');
  const link = (await message.getByRole('link', { name: 'Open the link' }).getAttribute('href')) ?? '';
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

  await page.goto(link);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Welcome! Choose your password' })).toBeVisible();
  await page.getByLabel('New password', { exact: true }).fill('portcullis-demo');
  await page.getByLabel('New password again').fill('portcullis-demo');
  await page.getByRole('button', { name: 'Set the password' }).click();
  await expect(page.getByRole('status')).toHaveText('Your new password is set. Sign in with it.');
  // An Administrator: two-factor enrolment comes first, then the account.
  await signInAdministrator(page, 'lena.lake@lakeside.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Lena Lake' })).toBeVisible();
  await expect(page.getByRole('banner')).toContainText('Lakeside Clinic');
});
