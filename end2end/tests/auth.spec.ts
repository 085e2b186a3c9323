import { test, expect, type Page } from '@playwright/test';

const PASSWORD = 'portcullis-demo';

async function hydrated(page: Page) {
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('a Partner signs in, sees the companies the policy gives them, and signs out', async ({ page }) => {
  await signIn(page, 'pat.partner@northwind.example', PASSWORD);
  await expect(page.getByRole('heading', { name: 'Welcome, Pat Partner' })).toBeVisible();
  const companies = page.getByRole('list', { name: 'Companies you can act in' }).getByRole('listitem');
  await expect(companies).toHaveText(['East Clinic', 'North Clinic', 'South Clinic']);
  await expect(page.getByRole('banner')).toContainText('Northwind Health Partners');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.goto('/');
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible();
});

test('a signed-out visit to a signed-in page signs in and comes back to it', async ({ page }) => {
  await page.goto('/claims?status=denied');
  await expect(page).toHaveURL('/sign-in?next=%2Fclaims%3Fstatus%3Ddenied');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Email').fill('pat.partner@northwind.example');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL('/claims?status=denied');
  await expect(page.getByRole('heading', { name: 'Claims', level: 1 })).toBeVisible();

  // A session that ends under an open page: the next page asks to sign in.
  await page.context().clearCookies();
  await page.goto('/profile');
  await expect(page).toHaveURL('/sign-in?next=%2Fprofile');
});

test('a wrong password and an unknown email get the same message', async ({ page }) => {
  await signIn(page, 'pat.partner@northwind.example', 'wrong password');
  const alert = page.getByRole('alert');
  await expect(alert).toHaveText('The email or password is not right, or the account is inactive.');
  await page.getByLabel('Email').fill('nobody@northwind.example');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(alert).toHaveText('The email or password is not right, or the account is inactive.');
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('the session cookie is HttpOnly, SameSite=Strict and __Host- prefixed', async ({ page, context }) => {
  await signIn(page, 'cathy.customer@northwind.example', PASSWORD);
  await expect(page.getByRole('heading', { name: 'Welcome, Cathy Customer' })).toBeVisible();
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === '__Host-portcullis');
  expect(session).toBeDefined();
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe('Strict');
  expect(session?.secure).toBe(true);
  expect(await page.evaluate(() => document.cookie)).not.toContain('portcullis');
});

test('five wrong passwords lock the email address, and the message says until when', async ({ page }) => {
  // An address nobody has: the lock works the same, so it reveals nothing.
  const email = 'locked.out@northwind.example';
  await signIn(page, email, 'wrong password 1');
  const alert = page.getByRole('alert');
  await expect(alert).toHaveText('The email or password is not right, or the account is inactive.');
  for (let attempt = 2; attempt <= 5; attempt++) {
    await page.getByLabel('Password').fill(`wrong password ${attempt}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  }
  await expect(alert).toHaveText(/^Too many failed sign-ins for this email address\. Try again after \d\d:\d\d UTC\.$/);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(alert).toHaveText(/^Too many failed sign-ins/);
});
