import { test, expect, type Browser, type BrowserContextOptions, type Page } from '@playwright/test';
import { PASSWORD, signInAdministrator } from './helpers';

// With JavaScript turned off, the main forms are plain server-rendered
// forms: a refused one comes back to its page with the same messages the
// browser would have shown, and a valid one is saved.

test.describe.configure({ timeout: 90_000 });

async function withoutJavaScript(browser: Browser, storageState?: BrowserContextOptions['storageState']) {
  const context = await browser.newContext({ javaScriptEnabled: false, storageState });
  return { context, page: await context.newPage() };
}

async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('signing in, one’s own profile and the context switcher work without JavaScript', async ({ browser }) => {
  const { context, page } = await withoutJavaScript(browser);
  await signIn(page, 'cathy.customer@northwind.example', 'not the password');
  await expect(page.getByRole('alert')).toHaveText('The email or password is not right, or the account is inactive.');
  await signIn(page, 'cathy.customer@northwind.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Cathy Customer' })).toBeVisible();

  await page.goto('/profile');
  await page.getByLabel('First name').fill('C4thy');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.locator('#profile-first-name-error')).toHaveText(
    'First name must have at least 2 characters. Numbers and special characters are not allowed.',
  );
  await page.getByLabel('First name').fill('Catherine');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByLabel('First name')).toHaveValue('Catherine');
  await page.getByLabel('First name').fill('Cathy');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByLabel('First name')).toHaveValue('Cathy');
  await context.close();

  // Pat acts in three companies: the switcher is a form with a button.
  const pat = await withoutJavaScript(browser);
  await signIn(pat.page, 'pat.partner@northwind.example');
  await expect(pat.page.getByRole('heading', { name: 'Welcome, Pat Partner' })).toBeVisible();
  await pat.page.getByLabel('Acting in').selectOption({ label: 'East Clinic' });
  await pat.page.getByRole('button', { name: 'Switch' }).click();
  await expect(pat.page.getByLabel('Acting in').locator('option:checked')).toHaveText('East Clinic');
  await pat.page.getByLabel('Acting in').selectOption({ label: 'South Clinic' });
  await pat.page.getByRole('button', { name: 'Switch' }).click();
  await expect(pat.page.getByLabel('Acting in').locator('option:checked')).toHaveText('South Clinic');
  await pat.context.close();
});

test('Edit User and the Vendor Access setting work without JavaScript', async ({ page, browser }) => {
  // Two-factor enrolment is done with JavaScript; the session then goes on without.
  await signInAdministrator(page, 'ben.backup@northwind.example');
  const { context, page: plain } = await withoutJavaScript(browser, await page.context().storageState());

  await plain.goto('/users');
  await plain.getByRole('table').getByRole('link', { name: 'Pat Partner' }).click();
  await expect(plain.getByRole('heading', { name: 'Pat Partner', level: 1 })).toBeVisible();
  await plain.getByLabel('Last name').fill('P4rtner');
  await plain.getByRole('button', { name: 'Save profile' }).click();
  await expect(plain.locator('#user-last-name-error')).toContainText('Numbers and special characters are not allowed');
  await plain.getByLabel('Last name').fill('Partner');
  await plain.getByRole('button', { name: 'Save profile' }).click();
  await expect(plain.locator('#user-last-name-error')).toHaveText('');
  await expect(plain.getByLabel('Last name')).toHaveValue('Partner');

  await plain.goto('/settings');
  const tier = plain.getByLabel('Vendor Access for Claimwise Billing Services');
  await tier.selectOption({ label: 'Full Access' });
  await plain.getByLabel('For how long').selectOption({ label: 'Until a date' });
  await plain.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(plain.getByText('Enter a date from today up to a year ahead, as YYYY-MM-DD.')).toBeVisible();
  await expect(plain.getByTestId('vendor-access-now')).toHaveText('All Support');
  await plain.getByLabel('Vendor Access for Claimwise Billing Services').selectOption({ label: 'Limited Access' });
  await plain.getByLabel('For how long').selectOption({ label: 'Until I change it' });
  await plain.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(plain.getByTestId('vendor-access-now')).toHaveText('Limited Access');
  // Back as the demo has it, for the specs after this one.
  await plain.getByLabel('Vendor Access for Claimwise Billing Services').selectOption({ label: 'All Support' });
  await plain.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(plain.getByTestId('vendor-access-now')).toHaveText('All Support');
  await context.close();
});
