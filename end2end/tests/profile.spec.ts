import { test, expect, type Page, type Browser } from '@playwright/test';

const PASSWORD = 'portcullis-demo';

async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto('/sign-in');
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: /^Welcome, / })).toBeVisible();
}

async function openProfile(page: Page) {
  await page.getByRole('banner').locator('a[href="/profile"]').click();
  await expect(page.getByRole('heading', { name: 'Your profile', level: 1 })).toBeVisible();
}

test('a user corrects their name, sees the shared validation as they type, and saves', async ({ page }) => {
  await signIn(page, 'mia.manager@northwind.example');
  await openProfile(page);
  const first = page.getByLabel('First name');
  await first.fill('M1a');
  await expect(page.locator('#profile-first-name-error')).toHaveText(
    'First name must have at least 2 characters. Numbers and special characters are not allowed.',
  );
  await expect(first).toHaveAttribute('aria-invalid', 'true');
  await first.fill('Mia-Rose');
  await expect(page.locator('#profile-first-name-error')).toHaveText('');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'successfully' })).toHaveText(
    'Your profile has been successfully updated.',
  );
  await page.reload();
  await expect(page.getByLabel('First name')).toHaveValue('Mia-Rose');
});

async function secondBrowserSignedIn(browser: Browser, email: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  return { context, page };
}

test('a password change signs out every session, the other browser included', async ({ page, browser }) => {
  const email = 'sam.support@northwind.example';
  await signIn(page, email);
  const other = await secondBrowserSignedIn(browser, email);

  await openProfile(page);
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByLabel('New password', { exact: true }).fill('a much better secret');
  await page.getByLabel('New password again').fill('a much better secret');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText('Your password has been changed');

  // The other browser's session is dead on its very next request.
  await other.page.reload();
  await expect(other.page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible();
  await other.context.close();

  await signIn(page, email, 'a much better secret');
});

test('the profile says whether two-factor sign-in is on and leads to setting it up', async ({ page }) => {
  await signIn(page, 'pat.partner@northwind.example');
  await openProfile(page);
  const card = page.locator('section', { has: page.getByRole('heading', { name: 'Two-factor sign-in' }) });
  await expect(card).toContainText('Off: your password alone signs you in.');
  await card.getByRole('link', { name: 'Set up two-factor sign-in' }).click();
  await expect(page.getByRole('heading', { name: 'Set up two-factor sign-in' })).toBeVisible();
  await expect(page.getByText('Administrators must use two-factor sign-in.')).toHaveCount(0);
});
