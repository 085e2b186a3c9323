import { test, expect, type Page } from '@playwright/test';
import { hydrated, signInAdministrator, submitSignIn } from './helpers';

const VENDOR = 'Claimwise Billing Services';

// An Administrator signing in again within 30 s waits for a fresh
// authenticator code (helpers.ts): room for that wait.
test.describe.configure({ timeout: 90_000 });

/** Victor, vendor staff, in his own browser context, on Northwind's tickets. */
async function vendorOnNorthwind(page: Page) {
  await submitSignIn(page, 'victor.staff@claimwise.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Victor Staff' })).toBeVisible();
  await page.getByRole('banner').getByRole('link', { name: 'Accounts' }).click();
  await expect(page.getByRole('heading', { name: 'Manage Accounts' })).toBeVisible();
  await page.getByRole('link', { name: 'Northwind Health Partners' }).click();
  await expect(page.getByRole('heading', { name: 'Northwind Health Partners' })).toBeVisible();
}

async function setAccess(page: Page, tier: string, length = 'Until I change it', back = 'Limited Access') {
  await hydrated(page);
  await page.getByLabel(`Vendor Access for ${VENDOR}`).selectOption({ label: tier });
  await page.getByLabel('For how long').selectOption({ label: length });
  await page.getByLabel('Then back to (for a limited time)').selectOption({ label: back });
  await page.getByRole('button', { name: 'Save', exact: true }).click();
}

test('the customer changes Vendor Access and the vendor sees it on reload', async ({ page, browser }) => {
  const vendorContext = await browser.newContext();
  const vendor = await vendorContext.newPage();
  await vendorOnNorthwind(vendor);
  await expect(vendor.getByText('Vendor Access: All Support')).toBeVisible();
  await vendor.getByRole('link', { name: 'Support tickets' }).click();
  await expect(vendor.getByRole('heading', { name: 'Support tickets' })).toBeVisible();
  await expect(vendor.getByRole('table').getByRole('row')).toHaveCount(4);

  await signInAdministrator(page, 'ben.backup@northwind.example');
  await page.getByRole('banner').getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Vendor Settings' })).toBeVisible();
  await expect(page.getByTestId('vendor-access-now')).toHaveText('All Support');
  await setAccess(page, 'Limited Access');
  await expect(page.getByRole('status').filter({ hasText: 'now has' })).toHaveText(`${VENDOR} now has Limited Access.`);
  await expect(page.getByTestId('vendor-access-now')).toHaveText('Limited Access');

  // Limited Access: only the ticket Northwind asked the vendor to help on.
  await vendor.reload();
  await expect(vendor.getByText('gave your vendor Limited Access')).toBeVisible();
  const rows = vendor.getByRole('table').getByRole('row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText('Medicare denials at North Clinic');

  // "Until a date" without a date: the error beside the field, and the form
  // keeps what was chosen.
  await setAccess(page, 'Full Access', 'Until a date', 'Limited Access');
  await expect(page.getByText('Enter a date from today up to a year ahead, as YYYY-MM-DD.')).toBeVisible();
  await expect(page.getByLabel(`Vendor Access for ${VENDOR}`)).toHaveValue('full');
  await expect(page.getByTestId('vendor-access-now')).toHaveText('Limited Access');

  // Full Access for an hour: the vendor sees all claims, until it ends.
  await setAccess(page, 'Full Access', 'For 1 hour', 'Limited Access');
  await expect(page.getByTestId('vendor-access-now')).toContainText('Full Access until');
  await expect(page.getByTestId('vendor-access-now')).toContainText('then Limited Access');
  await page.getByText(/^History \(\d+ changes\)$/).click();
  await expect(page.locator('.history-list li').first()).toContainText('Limited Access → Full Access until');

  await vendor.goto('/accounts');
  await vendor.getByRole('link', { name: 'Northwind Health Partners' }).click();
  const claims = vendor.getByRole('region', { name: 'Claims' });
  await expect(claims.getByRole('row')).toHaveCount(26);

  await page.getByRole('button', { name: 'End now: back to Limited Access' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'now has' })).toHaveText(`${VENDOR} now has Limited Access.`);
  await vendor.reload();
  await expect(vendor.getByText('Full Access Not Available')).toBeVisible();
  await expect(vendor.getByRole('region', { name: 'Claims' })).toHaveCount(0);
  await vendorContext.close();
});

test('a Standard user sees the setting but cannot change it', async ({ page }) => {
  await submitSignIn(page, 'pat.partner@northwind.example');
  await expect(page.getByRole('heading', { name: /^Welcome, Pat/ })).toBeVisible();
  await page.goto('/settings');
  await expect(page.getByRole('heading', { name: 'Vendor Settings' })).toBeVisible();
  await expect(page.getByText('Only your Administrators can change Vendor Access.')).toBeVisible();
  await expect(page.getByTestId('vendor-access-now')).toHaveText('Limited Access');
  await expect(page.getByLabel(`Vendor Access for ${VENDOR}`)).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toHaveCount(0);
  // Nor may Pat handle support tickets: the page says why.
  await page.getByRole('banner').getByRole('link', { name: 'Support' }).click();
  await expect(page.getByText('Only Administrators and Support Users can open support tickets.')).toBeVisible();
});

test('an Administrator asks the vendor for help on a new ticket and the vendor answers', async ({ page, browser }) => {
  await signInAdministrator(page, 'ben.backup@northwind.example');
  await page.getByRole('banner').getByRole('link', { name: 'Support' }).click();
  await expect(page.getByRole('heading', { name: 'Support tickets' })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Subject').fill('Eligibility check fails');
  await page.getByLabel('What is the problem?').fill('The 270 request for NC-0001 times out.');
  await page.getByLabel(/^Claims it is about/).fill('nc-0001');
  await page.getByRole('button', { name: 'Open ticket' }).click();
  await expect(page.getByRole('heading', { name: /^#\d+ Eligibility check fails$/ })).toBeVisible();
  await expect(page.getByText('Your ticket has been opened.')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Claims' }).getByRole('link', { name: 'NC-0001' })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Request vendor help').selectOption({ label: `${VENDOR} (Limited Access)` });
  await page.getByRole('button', { name: 'Ask for help' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'asked' })).toHaveText(`${VENDOR} has been asked to help with this ticket.`);
  const ticketUrl = page.url().replace(/\?.*$/, '');

  // Limited Access is enough now: the vendor reads and comments.
  const vendorContext = await browser.newContext();
  const vendor = await vendorContext.newPage();
  await vendorOnNorthwind(vendor);
  await vendor.getByRole('link', { name: 'Support tickets' }).click();
  await vendor.getByRole('link', { name: /Eligibility check fails/ }).click();
  await expect(vendor.getByRole('heading', { name: /Eligibility check fails/ })).toBeVisible();
  await expect(vendor.getByRole('region', { name: 'Claims' })).toContainText('Alex Morgan');
  await hydrated(vendor);
  await vendor.getByLabel('Add a comment').fill('Looking into the clearinghouse logs.');
  await vendor.getByRole('button', { name: 'Add comment' }).click();
  await expect(vendor.getByText('Your comment has been added.')).toBeVisible();
  await vendorContext.close();

  await page.goto(ticketUrl);
  const comment = page.locator('.comments li').first();
  await expect(comment).toContainText('Victor Staff');
  await expect(comment).toContainText(`Vendor: ${VENDOR}`);
  await expect(comment).toContainText('Looking into the clearinghouse logs.');
});
