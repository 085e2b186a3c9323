import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { hydrated, signInAdministrator, submitSignIn } from './helpers';

// The main pages, photographed for docs/SCREENSHOTS.md. They go to
// test-results/screenshots, or to $SCREENSHOTS_DIR (`SCREENSHOTS_DIR=
// ../docs/screenshots` refreshes the documentation's copies).

test.describe.configure({ timeout: 180_000 });

const dir = process.env.SCREENSHOTS_DIR ?? join('test-results', 'screenshots');
mkdirSync(dir, { recursive: true });

async function shoot(page: Page, name: string, heading: RegExp | string) {
  await expect(page.getByRole('heading', { name: heading }).first()).toBeVisible();
  await hydrated(page);
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

test('the main pages, as an Administrator sees them', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/sign-in');
  await shoot(page, '01-sign-in', 'Sign in');
  await signInAdministrator(page, 'ben.backup@northwind.example');
  await shoot(page, '02-start', /^Welcome, /);
  await page.goto('/users');
  await shoot(page, '03-users', 'Users');
  await page.getByRole('table').getByRole('link', { name: 'Pat Partner' }).click();
  await shoot(page, '04-edit-user', 'Pat Partner');
  await page.goto('/roles');
  await shoot(page, '05-roles', 'Roles');
  await page.goto('/companies');
  await shoot(page, '06-companies', 'Companies');
  await page.goto('/claims');
  await shoot(page, '07-claims', /Claims/);
  await page.goto('/payers-and-facilities');
  await shoot(page, '08-payers-and-facilities', /Payers and facilities/);
  await page.goto('/settings');
  await shoot(page, '09-vendor-access', /Settings|Account settings/);
  await page.goto('/support');
  await shoot(page, '10-support', /Support/);
  await page.goto('/audit');
  await shoot(page, '11-audit-log', 'Audit log');
  // A phone, and the dark theme the system may ask for.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/users');
  await shoot(page, '12-users-phone', 'Users');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole('table').getByRole('link', { name: 'Pat Partner' }).click();
  await shoot(page, '13-edit-user-dark', 'Pat Partner');
  // Edit User's Permissions tab, and Add User (seed 000, seed 001).
  await page.emulateMedia({ colorScheme: 'light' });
  await page.getByRole('tab', { name: 'Permissions' }).click();
  await shoot(page, '23-edit-user-permissions', 'Permissions & access');
  await page.goto('/users/new');
  await shoot(page, '24-add-user', 'Add user');
  await page.goto('/permissions-by-page?of=revserve_revequip');
  await shoot(page, '25-permissions-by-page', 'Permissions by page');
  // The Help Center's search, and the ticket form's suggestions (seed 002).
  await page.goto('/help?q=vendor+access');
  await shoot(page, '26-help-center', 'Help Center');
  await page.goto('/support');
  await hydrated(page);
  await page.getByLabel('Subject').pressSequentially('A user is locked out', { delay: 20 });
  await expect(page.getByRole('heading', { name: 'These articles may answer it' })).toBeVisible();
  await page.screenshot({ path: join(dir, '27-ticket-suggestions.png'), fullPage: true });
});

test('the vendor’s pages', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAdministrator(page, 'vera.vendor@claimwise.example');
  await page.goto('/accounts');
  await shoot(page, '14-vendor-accounts', 'Manage Accounts');
  await page.getByRole('link', { name: 'Riverside Family Practice' }).click();
  await shoot(page, '15-vendor-account', 'Riverside Family Practice');
});

test('a Standard user’s start page', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await submitSignIn(page, 'pat.partner@northwind.example');
  await shoot(page, '16-standard-user-start', /^Welcome, /);
});

test('the platform console', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAdministrator(page, 'paula.platform@portcullis.example');
  await page.goto('/platform');
  await shoot(page, '17-platform-organizations', 'Organizations');
  await page.getByRole('link', { name: 'Northwind Health Partners' }).click();
  await shoot(page, '18-platform-organization', 'Northwind Health Partners');
  await page.goto('/platform/desk');
  await shoot(page, '19-support-desk', 'Support desk');
  await page.getByRole('link', { name: /Medicare denials/ }).click();
  await shoot(page, '20-desk-ticket', /Medicare denials/);
  await page.goto('/platform/links');
  await shoot(page, '21-vendor-links', 'Vendor links');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/platform/desk');
  await shoot(page, '22-support-desk-phone', 'Support desk');
});
