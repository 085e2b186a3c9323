import { test, expect } from '@playwright/test';
import { hydrated, submitSignIn, totp } from './helpers';

const ADA = 'ada.admin@northwind.example';

test('an Administrator must enrol an authenticator, and every later sign-in asks for a code', async ({ page }) => {
  await submitSignIn(page, ADA);
  await expect(page).toHaveURL(/\/two-factor$/);
  await expect(page.getByRole('heading', { name: 'Set up two-factor sign-in' })).toBeVisible();
  await expect(page.getByText('Administrators must use two-factor sign-in.')).toBeVisible();
  await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);

  // Nothing else opens before enrolment: the profile asks to sign in.
  await page.goto('/profile');
  await expect(page.getByRole('link', { name: 'Sign in' }).first()).toBeVisible();
  await page.goto('/two-factor');
  await hydrated(page);
  await expect(page.getByTestId('totp-secret')).toHaveText(secret);

  const code = page.getByLabel('Code from the app');
  await code.fill(totp(secret) === '000000' ? '111111' : '000000');
  await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  await expect(page.locator('#two-factor-code-error')).toContainText('That code is not right');

  const used = totp(secret);
  await code.fill(used);
  await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'on' })).toHaveText('Two-factor sign-in is on.');
  const recovery = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
  await expect(recovery).toHaveCount(10);
  const firstRecoveryCode = (await recovery.first().textContent()) ?? '';
  expect(firstRecoveryCode).toMatch(/^[0-9a-z]{5}-[0-9a-z]{5}$/);

  await page.getByRole('link', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'Welcome, Ada Admin' })).toBeVisible();
  const companies = page.getByRole('list', { name: 'Companies you can act in' }).getByRole('listitem');
  await expect(companies).toHaveText([
    'Northwind Health Partners',
    'East Clinic',
    'Harbor Imaging',
    'North Clinic',
    'South Clinic',
  ]);

  // Next sign-in: the password alone is not enough, and a used code is refused.
  await page.getByRole('button', { name: 'Sign out' }).click();
  // Signed out first: a sign-in page opened meanwhile would race the
  // sign-out's own redirect.
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await submitSignIn(page, ADA);
  await expect(page.getByRole('heading', { name: 'Two-factor sign-in' })).toBeVisible();
  const field = page.getByLabel('Authentication code');
  await field.fill(used);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.locator('#two-factor-code-error')).toContainText('used already');
  await field.fill(totp(secret, 30));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('heading', { name: 'Welcome, Ada Admin' })).toBeVisible();

  // Lost phone: a recovery code works once.
  await page.getByRole('button', { name: 'Sign out' }).click();
  // Signed out first: a sign-in page opened meanwhile would race the
  // sign-out's own redirect.
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await submitSignIn(page, ADA);
  await page.getByLabel('Authentication code').fill(firstRecoveryCode);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('heading', { name: 'Welcome, Ada Admin' })).toBeVisible();
  await page.goto('/two-factor');
  await expect(page.getByText('9 of 10 recovery codes left.')).toBeVisible();
});
