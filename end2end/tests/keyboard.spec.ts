import { test, expect, type Locator, type Page } from '@playwright/test';
import { hydrated, signInAdministrator } from './helpers';

// Each main flow done with the keyboard alone: Tab to a control (its focus
// must be visible), type, choose with the arrow keys, press Space or Enter.

test.describe.configure({ timeout: 120_000 });

/** Presses Tab until `target` has the focus, and checks the focus shows. */
async function tabTo(page: Page, target: Locator, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) {
      const shown = await target.evaluate((el) => {
        const style = getComputedStyle(el);
        return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
      });
      expect(shown, 'the focus is visible').toBe(true);
      return;
    }
  }
  throw new Error(`Tab never reached ${target}`);
}

/** Chooses an option of a focused select by typing its first letters. */
async function choose(page: Page, select: Locator, label: string) {
  await tabTo(page, select);
  await page.keyboard.type(label.slice(0, 6));
  await expect(select.locator('option:checked')).toHaveText(label);
}

test('signing in and switching the company one acts in, by keyboard', async ({ page }) => {
  await page.goto('/sign-in');
  await hydrated(page);
  await tabTo(page, page.getByLabel('Email'));
  await page.keyboard.type('pat.partner@northwind.example');
  await tabTo(page, page.getByLabel('Password'));
  await page.keyboard.type('portcullis-demo');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Welcome, Pat Partner' })).toBeVisible();
  await hydrated(page);

  await choose(page, page.getByLabel('Acting in'), 'East Clinic');
  await tabTo(page, page.getByRole('button', { name: 'Switch' }));
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Acting in').locator('option:checked')).toHaveText('East Clinic');
  await hydrated(page);
  await choose(page, page.getByLabel('Acting in'), 'South Clinic');
  await tabTo(page, page.getByRole('button', { name: 'Switch' }));
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Acting in').locator('option:checked')).toHaveText('South Clinic');
});

test('editing a user’s permissions and the Vendor Access setting, by keyboard', async ({ page }) => {
  await signInAdministrator(page, 'ben.backup@northwind.example');
  await page.goto('/users');
  await hydrated(page);
  await tabTo(page, page.getByRole('table').getByRole('link', { name: 'Cathy Customer' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Cathy Customer', level: 1 })).toBeVisible();
  await hydrated(page);
  // To the Permissions tab: Tab reaches the selected tab, an arrow moves on.
  await tabTo(page, page.getByRole('tab', { name: 'Profile' }));
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Permissions' })).toHaveAttribute('aria-selected', 'true');
  const role = page.getByLabel('Role', { exact: true });
  const before = (await role.locator('option:checked').textContent()) ?? '';
  const other = before.startsWith('Front') ? 'Provider' : 'Front Office';
  await choose(page, role, other);
  await tabTo(page, page.getByRole('button', { name: 'Save permissions' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'saved' })).toHaveText('The user has been saved.');
  await choose(page, role, before);
  await tabTo(page, page.getByRole('button', { name: 'Save permissions' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'saved' })).toHaveText('The user has been saved.');

  await page.goto('/settings');
  await hydrated(page);
  const tier = page.getByLabel('Vendor Access for Claimwise Billing Services');
  await choose(page, tier, 'Limited Access');
  await tabTo(page, page.getByRole('button', { name: 'Save', exact: true }));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('vendor-access-now')).toHaveText('Limited Access');
  await choose(page, tier, 'All Support');
  await tabTo(page, page.getByRole('button', { name: 'Save', exact: true }));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('vendor-access-now')).toHaveText('All Support');
});

test('a vendor adds an account, by keyboard', async ({ page }) => {
  await signInAdministrator(page, 'vera.vendor@claimwise.example');
  await page.goto('/accounts');
  await hydrated(page);
  await tabTo(page, page.getByRole('link', { name: 'Add new account' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Add new account' })).toBeVisible();
  await hydrated(page);
  for (const [label, text] of [
    ['Account or practice name', 'Keyboard Clinic'],
    ['First name', 'Kim'],
    ['Last name', 'Keys'],
    ['Contact email', 'kim.keys@keyboard.example'],
    ['Contact phone', '503 555 0199'],
  ]) {
    await tabTo(page, page.getByLabel(label, { exact: true }));
    await page.keyboard.type(text);
  }
  await tabTo(page, page.getByLabel('Dental claims'));
  await page.keyboard.press('Space');
  await expect(page.getByLabel('Dental claims')).toBeChecked();
  // The plans are radios: Tab reaches the chosen one, an arrow key moves the choice.
  await tabTo(page, page.getByRole('radio', { name: /^Standard — / }));
  await page.keyboard.press('ArrowUp');
  await expect(page.getByRole('radio', { name: /^Starter — / })).toBeChecked();
  await tabTo(page, page.getByRole('button', { name: 'Add account and invite the contact' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Keyboard Clinic', level: 1 })).toBeVisible();
  await expect(page.getByLabel('Dental claims')).toBeChecked();
});
