import { test, expect } from '@playwright/test';
import { hydrated, submitSignIn } from './helpers';

const CATHY = 'cathy.customer@northwind.example';
const NEW_PASSWORD = 'seven quiet harbour lamps';

test('a forgotten password is reset through the mailed link, which then stops working', async ({ page }) => {
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page.getByRole('heading', { name: 'Forgot your password?' })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Email').fill(CATHY);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByRole('status')).toContainText('If an account uses that email address');

  // No SMTP server in tests: the development mailbox shows the message.
  await page.goto('/dev/mailbox');
  await hydrated(page);
  const message = page.getByRole('listitem').filter({ hasText: `To ${CATHY}` }).first();
  await expect(message.getByRole('heading')).toHaveText('Reset your Portcullis password');
  const link = (await message.getByRole('link', { name: 'Open the link' }).getAttribute('href')) ?? '';
  expect(link).toMatch(/\/reset-password\?token=[0-9a-f]{64}$/);

  await page.goto(link);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await expect(page.getByText(CATHY)).toBeVisible();
  await page.getByLabel('New password', { exact: true }).fill('password123');
  await page.getByLabel('New password again').fill('password123');
  await expect(page.locator('#reset-new-password-error')).toContainText('commonly used');
  await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('New password again').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Set the password' }).click();
  await expect(page.getByRole('status')).toHaveText('Your new password is set. Sign in with it.');

  await submitSignIn(page, CATHY, NEW_PASSWORD);
  await expect(page.getByRole('heading', { name: 'Welcome, Cathy Customer' })).toBeVisible();

  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'This link no longer works' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Ask for a new link' })).toBeVisible();
});
