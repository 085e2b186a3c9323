import { test, expect } from '@playwright/test';
import { PASSWORD, signInAdministrator, submitSignIn } from './helpers';

const MIA = 'mia.manager@northwind.example';
const BEN = 'ben.backup@northwind.example';

test('an Administrator sees a locked-out user on the start page and unlocks them', async ({ page, browser }) => {
  // Mia, in her own browser, gets herself locked out.
  const mia = await (await browser.newContext()).newPage();
  await submitSignIn(mia, MIA, 'not my password');
  for (let attempt = 2; attempt <= 5; attempt++) {
    await mia.getByLabel('Password').fill('not my password');
    await mia.getByRole('button', { name: 'Sign in' }).click();
    await expect(mia.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  }
  await expect(mia.getByRole('alert')).toContainText('Too many failed sign-ins');

  // Ben, an Administrator, signs in (with two-factor sign-in).
  await signInAdministrator(page, BEN);

  const card = page.locator('section', { has: page.getByRole('heading', { name: 'Locked sign-ins' }) });
  const row = card.getByRole('listitem').filter({ hasText: MIA });
  await expect(row).toContainText(/Locked until \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  await row.getByRole('button', { name: 'Unlock Mia' }).click();
  await expect(card).toContainText('Nobody is locked out.');

  await mia.getByLabel('Password').fill(PASSWORD);
  await mia.getByRole('button', { name: 'Sign in' }).click();
  await expect(mia.getByRole('heading', { name: /^Welcome, Mia/ })).toBeVisible();
});
