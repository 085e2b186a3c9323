import { test, expect } from '@playwright/test';
import { hydrated, signInAdministrator, submitSignIn } from './helpers';

// Seed 002's ticket views (My, Team, CC'd Tickets) and CC: an Administrator
// CCs a user who does not handle tickets; the user is told by email, finds
// the ticket in their CC'd Tickets, reads it and comments.

const SUBJECT = 'Facility address on South Clinic claims';

test('an Administrator CCs a user on a ticket, who is told, reads it and comments', async ({ page }) => {
  await signInAdministrator(page, 'ben.backup@northwind.example');
  await page.getByRole('banner').getByRole('link', { name: 'Support' }).click();
  await hydrated(page);
  const views = page.getByRole('navigation', { name: 'Ticket views' });
  await expect(views.getByRole('link', { name: 'My Tickets' })).toHaveAttribute('aria-current', 'page');
  // Sam opened the demo's tickets: they are the team's, not Ben's.
  await expect(page.getByRole('link', { name: new RegExp(SUBJECT) })).toHaveCount(0);
  await views.getByRole('link', { name: 'Team Tickets' }).click();
  await expect(page).toHaveURL(/view=team/);
  await expect(views.getByRole('link', { name: 'Team Tickets' })).toHaveAttribute('aria-current', 'page');
  await page.getByRole('link', { name: new RegExp(SUBJECT) }).click();
  await expect(page.getByRole('heading', { name: new RegExp(SUBJECT), level: 1 })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('CC a user').selectOption({ label: 'Pat Partner' });
  await page.getByRole('button', { name: 'Add to CC' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'CC' })).toHaveText(
    "Pat Partner is now CC'd on this ticket, and has been told by email.",
  );
  await expect(page.getByText(/· CC: Pat Partner/)).toBeVisible();
  // Pat is no longer offered.
  await expect(page.getByLabel('CC a user').locator('option', { hasText: 'Pat Partner' })).toHaveCount(0);

  await page.goto('/dev/mailbox');
  await hydrated(page);
  await expect(
    page.getByRole('listitem').filter({ hasText: 'To pat.partner@northwind.example' }).filter({ hasText: `CC: support ticket` }),
  ).toHaveCount(1);
  await page.getByRole('button', { name: 'Sign out' }).click();

  // Pat opens no ticket, but reads and comments on the one he is CC'd on.
  await submitSignIn(page, 'pat.partner@northwind.example');
  await expect(page.getByRole('heading', { name: /^Welcome, Pat/ })).toBeVisible();
  await page.getByRole('banner').getByRole('link', { name: 'Support' }).click();
  await expect(page.getByText('Only Administrators and Support Users can open support tickets.')).toBeVisible();
  const ccd = page.getByRole('region', { name: "CC'd Tickets" });
  await ccd.getByRole('link', { name: new RegExp(SUBJECT) }).click();
  await expect(page.getByRole('heading', { name: new RegExp(SUBJECT), level: 1 })).toBeVisible();
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Handle this ticket' })).toHaveCount(0);
  await page.getByLabel('Add a comment').fill('South Clinic prints the old address on paper claims too.');
  await page.getByRole('button', { name: 'Add comment' }).click();
  await expect(page.locator('ol.comments')).toContainText('South Clinic prints the old address on paper claims too.');
  await expect(page.getByRole('link', { name: "← CC'd Tickets" })).toBeVisible();
});
