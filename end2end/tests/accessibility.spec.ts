import AxeBuilder from '@axe-core/playwright';
import { test, expect, type Page } from '@playwright/test';
import { hydrated, signInAdministrator, submitSignIn } from './helpers';

// Every page, for each kind of demo user, checked with axe-core against
// WCAG 2.1 A and AA: no serious or critical violation may remain.

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// Every Content-Security-Policy violation the browser reports during the
// test: Chromium logs each refused script, style, frame or WASM compile.
let violations: string[] = [];
test.beforeEach(async ({ page }) => {
  violations = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply|compile|frame|connect)/.test(message.text())) {
      violations.push(`${page.url()}: ${message.text()}`);
    }
  });
});

async function expectAccessible(page: Page, what: string) {
  await hydrated(page);
  expect(violations, `${what}: no Content-Security-Policy violation`).toEqual([]);
  const results = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, `${what}: ${page.url()}`).toEqual([]);
}

/** Visits each path (or follows the first link matching a name or CSS selector) and checks it. */
async function checkPages(page: Page, paths: (string | { from: string; link: RegExp | string })[]) {
  for (const path of paths) {
    if (typeof path === 'string') {
      await page.goto(path);
      await expectAccessible(page, path);
    } else {
      await page.goto(path.from);
      await hydrated(page);
      const main = page.locator('main');
      const link = typeof path.link === 'string' ? main.locator(path.link) : main.getByRole('link', { name: path.link });
      await link.first().click();
      await expectAccessible(page, `${path.from} › ${path.link}`);
    }
  }
}

test.describe.configure({ timeout: 180_000 });

test('a signed-out visitor’s pages pass axe-core', async ({ page }) => {
  await checkPages(page, ['/', '/sign-in', '/forgot-password', '/reset-password?token=not-a-token', '/no-such-page']);
});

test('an Administrator’s pages pass axe-core', async ({ page }) => {
  await signInAdministrator(page, 'ben.backup@northwind.example');
  await checkPages(page, [
    '/',
    '/profile',
    '/users',
    '/users/new',
    { from: '/users', link: /Pat Partner/ },
    '/roles',
    { from: '/roles', link: /Front Office/ },
    '/companies',
    '/payers-and-facilities',
    '/claims',
    { from: '/claims', link: 'a[href^="/claims/"]' },
    '/permissions-by-page',
    '/audit',
    { from: '/audit', link: 'a[href^="/audit/"]' },
    '/settings',
    '/support',
    '/support?view=team',
    { from: '/support?view=team', link: /Facility address/ },
    '/help',
    '/help?q=vendor+access',
    '/help/locked-out',
  ]);
  // Edit User's second tab, which the first hides.
  await page.goto('/users');
  await hydrated(page);
  await page.getByRole('table').getByRole('link', { name: 'Pat Partner' }).click();
  await hydrated(page);
  await page.getByRole('tab', { name: 'Permissions' }).click();
  await expect(page.getByRole('heading', { name: 'Permissions & access' })).toBeVisible();
  await expectAccessible(page, 'Edit User › Permissions');
});

test('a Standard user’s and a Customer-type user’s pages pass axe-core', async ({ page }) => {
  for (const email of ['pat.partner@northwind.example', 'cathy.customer@northwind.example']) {
    await submitSignIn(page, email);
    await expect(page.getByRole('heading', { name: /^Welcome, / })).toBeVisible();
    await checkPages(page, ['/', '/profile', '/claims', '/support', '/settings', '/help']);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  }
});

test('vendor staff’s pages pass axe-core', async ({ page }) => {
  await signInAdministrator(page, 'vera.vendor@claimwise.example');
  await checkPages(page, [
    '/accounts',
    '/accounts/new',
    { from: '/accounts', link: /Riverside/ },
    { from: '/accounts', link: /Northwind/ },
    '/profile',
  ]);
});

test('platform staff’s pages pass axe-core', async ({ page }) => {
  await signInAdministrator(page, 'paula.platform@portcullis.example');
  await checkPages(page, [
    '/',
    '/platform',
    '/platform/organizations/new',
    { from: '/platform', link: /Northwind/ },
    '/platform/desk',
    { from: '/platform/desk', link: 'a[href^="/support/"]' },
    '/platform/links',
    '/platform/staff',
    '/audit',
  ]);
});

test('the link requests page passes axe-core for a customer’s Administrator', async ({ page }) => {
  await signInAdministrator(page, 'ben.backup@northwind.example');
  await checkPages(page, ['/vendor-links']);
});
