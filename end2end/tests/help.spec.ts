import { test, expect } from '@playwright/test';
import { hydrated, signInAdministrator, submitSignIn } from './helpers';

// The Help Center (seed 002): every signed-in user opens and searches it;
// the ticket form suggests its articles while the subject is typed.

test('a user searches the Help Center and reads an article', async ({ page }) => {
  await submitSignIn(page, 'pat.partner@northwind.example');
  await expect(page.getByRole('heading', { name: /^Welcome, Pat/ })).toBeVisible();
  await page.getByRole('banner').getByRole('link', { name: 'Help' }).click();
  await expect(page.getByRole('heading', { name: 'Help Center', level: 1 })).toBeVisible();
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'All articles' })).toBeVisible();
  const articles = page.locator('.help-list > li > a');
  await expect(articles).toHaveCount(8);
  await expect(articles.first()).toHaveText('User types: Customer and Partner');

  // Found by its words, not its title's: "wrong password" is in the text.
  await page.getByLabel('Search the Help Center').fill('wrong password');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/\/help\?q=wrong\+password/);
  await expect(page.getByRole('heading', { name: /for “wrong password”/ })).toBeVisible();
  await expect(articles.first()).toHaveText('Locked out: what to do when you cannot sign in');
  await expect(page.locator('.help-list mark').first()).toHaveText(/wrong|password/i);

  await articles.first().click();
  await expect(page.getByRole('heading', { name: 'Locked out: what to do when you cannot sign in', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Getting back in', level: 2 })).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: 'locked-out users are listed on their start page' })).toBeVisible();
  await page.getByRole('link', { name: '← Help Center' }).click();
  await expect(page.getByRole('heading', { name: 'All articles' })).toBeVisible();

  // Words no article has: said, with the way back to all of them.
  await page.goto('/help?q=xylophone');
  await expect(page.getByRole('heading', { name: 'No articles for “xylophone”' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'see every article' })).toBeVisible();
  await page.goto('/help/no-such-article');
  await expect(page.getByRole('heading', { name: 'Article not found' })).toBeVisible();
});

test('the Help Center searches without JavaScript too', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill('pat.partner@northwind.example');
  await page.getByLabel('Password').fill('portcullis-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.goto('/help');
  await page.getByLabel('Search the Help Center').fill('vendor access');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.locator('.help-list > li > a').first()).toHaveText('Vendor Access: how far your billing vendor may reach');
  await context.close();
});

test('the ticket form suggests articles as the subject is typed', async ({ page }) => {
  await signInAdministrator(page, 'ben.backup@northwind.example');
  await page.getByRole('banner').getByRole('link', { name: 'Support' }).click();
  await hydrated(page);
  const suggestions = page.getByRole('region', { name: 'These articles may answer it' });
  await expect(suggestions).toHaveCount(0);
  await page.getByLabel('Subject').pressSequentially('A user is locked out', { delay: 20 });
  const first = suggestions.getByRole('link').first();
  await expect(first).toHaveText(/Locked out: what to do when you cannot sign in/);
  // Opened beside the form, so the ticket being written stays.
  await expect(first).toHaveAttribute('target', '_blank');
  await page.getByLabel('Subject').fill('xylophone');
  await expect(suggestions).toHaveCount(0);
  await expect(page.getByLabel('Subject')).toHaveValue('xylophone');
});
