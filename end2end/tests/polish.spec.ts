import { test, expect, type Page } from '@playwright/test';
import { hydrated, signInAdministrator } from './helpers';

// What users of such a console expect beyond the features: a saved change
// confirmed by a toast, no silent loss of typed changes, a layout that
// holds on a phone and at 200% zoom, and the system's dark theme.

test.describe.configure({ timeout: 120_000 });

async function openPat(page: Page) {
  await page.goto('/users');
  await page.getByRole('table').getByRole('link', { name: 'Pat Partner' }).click();
  await expect(page.getByRole('heading', { name: 'Pat Partner', level: 1 })).toBeVisible();
  await hydrated(page);
}

/** Whether the page is wider than the window (a sideways scroll). */
async function overflows(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}

test('Edit User asks before leaving unsaved changes, and confirms a save with a toast', async ({ page }) => {
  await signInAdministrator(page, 'ben.backup@northwind.example');
  await openPat(page);
  await page.getByLabel('First name').fill('Patrick');
  let asked = '';
  page.once('dialog', (dialog) => {
    asked = dialog.message();
    void dialog.dismiss();
  });
  await page.getByRole('link', { name: '← User Management' }).click();
  await expect.poll(() => asked).toContain('changes you have not saved');
  await expect(page.getByLabel('First name')).toHaveValue('Patrick');
  await expect(page).toHaveURL(/\/users\/\d+$/);

  // Saved: a toast says so, and leaving no longer asks.
  await page.getByLabel('First name').fill('Pat');
  await page.getByRole('button', { name: 'Save profile' }).click();
  const toast = page.getByRole('status').filter({ hasText: 'The user has been saved.' });
  await expect(toast).toBeVisible();
  expect(await toast.evaluate((el) => getComputedStyle(el).position)).toBe('fixed');
  page.once('dialog', (dialog) => {
    asked = `asked again: ${dialog.message()}`;
    void dialog.dismiss();
  });
  await page.getByRole('link', { name: '← User Management' }).click();
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
  expect(asked).not.toContain('asked again');
});

test('a link followed while the page is still loading its code leads to a working page', async ({ page }) => {
  await signInAdministrator(page, 'ben.backup@northwind.example');
  // A slow line: each of the app's files arrives 150 ms late, so the link
  // is followed while the page is fetching them (the server once sent the
  // next page without its script policy when files were being served).
  await page.route(/\/pkg\/.*\.(wasm|js)$/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 150));
    await route.continue();
  });
  for (const wait of [0, 50, 100, 150, 200, 250]) {
    await page.goto('/users');
    await page.waitForTimeout(wait);
    await page.getByRole('table').getByRole('link', { name: 'Pat Partner' }).click();
    await expect(page.getByRole('heading', { name: 'Pat Partner', level: 1 })).toBeVisible();
    await hydrated(page);
  }
});

test('the main pages fit a phone and 200% zoom, and follow the system’s dark theme', async ({ page }) => {
  await signInAdministrator(page, 'ben.backup@northwind.example');
  // 200% zoom of a 1280 px window lays out like a 640 px one.
  for (const width of [390, 640]) {
    await page.setViewportSize({ width, height: 800 });
    for (const path of ['/', '/users', '/roles', '/claims', '/settings', '/audit']) {
      await page.goto(path);
      await hydrated(page);
      expect(await overflows(page), `${path} at ${width} px scrolls sideways`).toBe(false);
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/users');
  const light = await background();
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await background();
  expect(light).not.toBe(dark);
  // Dark: the background is darker than the text.
  const luminance = (rgb: string) => {
    const [r, g, b] = (rgb.match(/\d+/g) ?? []).map(Number);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const text = await page.evaluate(() => getComputedStyle(document.body).color);
  expect(luminance(dark)).toBeLessThan(luminance(text));
});
