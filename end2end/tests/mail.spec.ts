import { test, expect } from '@playwright/test';
import { hydrated, signInAdministrator } from './helpers';

// The run's mail server (smtp-sink.mjs) refuses addresses with "bounce" in
// them, as a real one refuses an unknown mailbox. Bea works in East Clinic,
// out of sight of the users other specs count.
test('an invitation the mail server refuses shows up for Administrators, with its link and Send again', async ({ page }) => {
  test.setTimeout(90_000);
  await signInAdministrator(page, 'ben.backup@northwind.example');
  await page.goto('/users/new');
  await hydrated(page);
  await page.getByLabel('First name').fill('Bea');
  await page.getByLabel('Last name').fill('Bounce');
  await page.getByLabel('Email').fill('bea.bounce@northwind.example');
  await page.getByLabel('User type').selectOption('customer');
  await page.getByLabel('Company', { exact: true }).selectOption({ label: 'East Clinic' });
  await page.getByRole('button', { name: 'Add user and send invitation' }).click();
  await expect(page.getByRole('heading', { name: 'Bea Bounce', level: 1 })).toBeVisible();
  await expect(page.getByRole('status').first()).toContainText('Undelivered mail');

  // The mail worker tries within seconds; the start page then lists it.
  const card = page.getByRole('region', { name: 'Undelivered mail' });
  await expect(async () => {
    await page.goto('/');
    await expect(card).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await hydrated(page);
  const row = card.getByRole('listitem').filter({ hasText: 'bea.bounce@northwind.example' });
  await expect(row).toContainText('Invitation to bea.bounce@northwind.example');
  await expect(row).toContainText('The mail server refused the message (code 550)');
  await expect(row).toContainText(/Waiting since \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  await expect(page.getByTestId('outgoing-mail')).toContainText('could not be delivered yet');

  // Its link, to pass on by hand.
  await row.getByRole('button', { name: 'Get the invitation link for bea.bounce@northwind.example' }).click();
  const link = row.getByLabel(/Invitation link for bea\.bounce@northwind\.example/);
  await expect(link).toHaveValue(/\/reset-password\?token=[0-9a-f]{64}$/);

  // Sent again: it is tried anew (and refused anew, by this server).
  await row.getByRole('button', { name: 'Send again to bea.bounce@northwind.example' }).click();
  await expect(card.getByRole('status')).toHaveText(
    'The message will be sent again in a moment; if it still fails, it stays listed here.',
  );
});
