import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Browser, type Page, expect, test } from '@playwright/test';
import { enrolHere, hydrated, signInAdministrator, submitSignIn } from './helpers';

// The platform side (issue 22). First, what the "done when" asks,
// on a database of its own where only `portcullis admin create-operator`
// ran: through the browser alone, the platform's Administrator creates a
// customer and a vendor, they link with both consents, a ticket goes each
// way, and a locked-out customer is reactivated with two approvals. Then
// the refusals, on the demo.

const SERVER = process.env.E2E_SERVER ?? 'target/release/portcullis';
const FRESH_PORT = Number(process.env.E2E_PORT ?? 3100) + 10;
const FRESH = `http://127.0.0.1:${FRESH_PORT}`;
const NEW_PASSWORD = 'granite harbour lantern';

let server: ChildProcess | undefined;
let dataDir = '';

function portcullis(args: string[]) {
  const run = spawnSync(SERVER, args, {
    cwd: '..',
    env: { ...process.env, PORTCULLIS_DATA_DIR: dataDir, RUST_LOG: 'warn' },
    encoding: 'utf8',
  });
  expect(run.status, `${args.join(' ')}: ${run.stderr}`).toBe(0);
  return run.stdout;
}

test.beforeAll(async () => {
  // Beside the suite's own data directory (relative to the repository),
  // new for each run.
  dataDir = `${process.env.E2E_DATA_DIR ?? 'target/e2e-data'}-fresh-${Date.now()}`;
});

test.afterAll(async () => {
  if (server) {
    server.kill('SIGTERM');
    await new Promise((done) => server?.once('exit', done));
  }
  // Its private cluster stopped with it; nothing of the run is kept.
  if (dataDir) rmSync(resolve('..', dataDir), { recursive: true, force: true });
});

/** A new browser context on the fresh server, as one person. */
async function person(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: FRESH });
  return context.newPage();
}

/** The link of the newest message to `email` in the fresh server's development mailbox. */
async function mailedLink(page: Page, email: string, subject: string | RegExp): Promise<string> {
  await page.goto('/dev/mailbox');
  await hydrated(page);
  const message = page.getByRole('listitem').filter({ hasText: `To ${email}` }).first();
  await expect(message.getByRole('heading')).toHaveText(subject);
  return (await message.getByRole('link', { name: 'Open the link' }).getAttribute('href')) ?? '';
}

/** Chooses a password from a mailed link, signs in and sets up two-factor sign-in. */
async function acceptInvitation(page: Page, link: string, email: string) {
  await page.goto(link);
  await hydrated(page);
  await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('New password again').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Set the password' }).click();
  await expect(page.getByRole('status')).toHaveText('Your new password is set. Sign in with it.');
  await submitSignIn(page, email, NEW_PASSWORD);
  await enrolHere(page, email);
}

test('from create-operator alone, the browser runs a platform: organizations, a link, tickets both ways, a two-person reactivation', async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const said = portcullis([
    'admin', 'create-operator', '--first-name', 'Olga', '--last-name', 'Operator',
    '--email', 'olga@platform.example', '--public-url', FRESH,
  ]);
  expect(said).toContain('Created the platform Portcullis Platform');
  const invitation = /(http\S+reset-password\?token=[0-9a-f]{64})/.exec(said)?.[1] ?? '';
  expect(invitation).not.toBe('');
  server = spawn(SERVER, ['serve', '--listen', `127.0.0.1:${FRESH_PORT}`, '--dev-mailbox'], {
    cwd: '..',
    env: { ...process.env, PORTCULLIS_DATA_DIR: dataDir, LEPTOS_SITE_ROOT: 'target/site', RUST_LOG: 'warn' },
    stdio: 'inherit',
  });
  await expect(async () => {
    const health = await fetch(`${FRESH}/healthz`);
    expect(health.ok).toBeTruthy();
  }).toPass({ timeout: 60_000 });

  // The platform's Administrator, from the printed link.
  const olga = await person(browser);
  await acceptInvitation(olga, invitation, 'olga@platform.example');
  await expect(olga.getByText('Platform Administrator of Portcullis Platform')).toBeVisible();

  // A Support Agent, a customer and a vendor, each invited by mail.
  await olga.getByRole('banner').getByRole('link', { name: 'Staff' }).click();
  await hydrated(olga);
  await olga.getByLabel('First name').fill('Sean');
  await olga.getByLabel('Last name').fill('Support');
  await olga.getByLabel('Email').fill('sean@platform.example');
  await olga.getByLabel('Role').selectOption({ label: 'Support Agent' });
  await olga.getByRole('button', { name: 'Invite' }).click();
  await expect(olga.getByRole('cell', { name: 'sean@platform.example' })).toBeVisible();
  for (const [kind, name, first, last, email] of [
    ['Customer', 'Harbor Clinic', 'Hana', 'Harbor', 'hana@harbor.example'],
    ['Vendor', 'Beacon Billing', 'Bo', 'Beacon', 'bo@beacon.example'],
  ]) {
    await olga.getByRole('banner').getByRole('link', { name: 'Organizations' }).click();
    await olga.getByRole('link', { name: 'Add organization' }).click();
    await hydrated(olga);
    await olga.getByRole('radio', { name: new RegExp(`^${kind}:`) }).check();
    await olga.getByLabel('Organization name').fill(name);
    await olga.getByLabel('First name').fill(first);
    await olga.getByLabel('Last name').fill(last);
    await olga.getByLabel('Email').fill(email);
    await olga.getByRole('button', { name: 'Add organization' }).click();
    await expect(olga.getByRole('heading', { name, level: 1 })).toBeVisible();
    await expect(olga.getByText('The organization was added and its first Administrator invited by mail.')).toBeVisible();
  }
  await olga.getByRole('banner').getByRole('link', { name: 'Organizations' }).click();
  await expect(olga.getByRole('row', { name: /Harbor Clinic/ })).toContainText('Customer');
  await expect(olga.getByRole('row', { name: /Beacon Billing/ })).toContainText('Vendor');

  const sean = await person(browser);
  await acceptInvitation(sean, await mailedLink(sean, 'sean@platform.example', /You are invited/), 'sean@platform.example');
  const hana = await person(browser);
  await acceptInvitation(hana, await mailedLink(hana, 'hana@harbor.example', /You are invited/), 'hana@harbor.example');
  const bo = await person(browser);
  await acceptInvitation(bo, await mailedLink(bo, 'bo@beacon.example', /You are invited/), 'bo@beacon.example');

  // The customer asks for the link (Settings › Vendor Settings), agreeing
  // to Limited Access; the vendor consents; the platform completes it.
  await hana.getByRole('banner').getByRole('link', { name: 'Settings' }).click();
  await hana.getByRole('link', { name: 'Link a vendor' }).click();
  await hydrated(hana);
  await hana.getByLabel('Link with').selectOption({ label: 'Beacon Billing' });
  await hana.getByLabel('Highest Vendor Access you agree to').selectOption({ label: 'Limited Access' });
  await hana.getByRole('button', { name: 'Ask for the link' }).click();
  await expect(hana.getByRole('status').filter({ hasText: 'Asked' })).toContainText('Asked to link with Beacon Billing');

  await bo.getByRole('banner').getByRole('link', { name: 'Accounts' }).click();
  await bo.getByRole('link', { name: 'Link an existing account' }).click();
  await hydrated(bo);
  const request = bo.getByRole('row', { name: /Harbor Clinic/ });
  await request.getByRole('button', { name: 'Consent' }).click();
  await expect(bo.getByRole('status').filter({ hasText: 'Consent' })).toContainText('Consent given');

  await sean.getByRole('banner').getByRole('link', { name: 'Vendor links' }).click();
  await hydrated(sean);
  const pending = sean.getByRole('row', { name: /Harbor Clinic/ });
  await expect(pending).toContainText('Both sides');
  await expect(pending.getByLabel('Start at').locator('option')).toHaveText(['No Access', 'Limited Access']);
  await pending.getByRole('button', { name: 'Complete link' }).click();
  await expect(sean.getByRole('status').filter({ hasText: 'linked' })).toHaveText('Harbor Clinic is linked to Beacon Billing at Limited Access.');
  await hana.goto('/settings');
  await expect(hana.getByTestId('vendor-access-now')).toHaveText('Limited Access');

  // A ticket from the customer, answered by the platform, which asks the
  // vendor for its assistance (Limited Access: the vendor sees it then).
  await hana.getByRole('banner').getByRole('link', { name: 'Support' }).click();
  await hydrated(hana);
  await hana.getByLabel('Subject').fill('Claims stuck in review');
  await hana.getByLabel('What is the problem?').fill('Since Monday our claims stay in review.');
  await hana.getByRole('button', { name: 'Open ticket' }).click();
  await expect(hana.getByText('Your ticket has been opened.')).toBeVisible();
  const hanaTicket = hana.url().replace(/\?.*$/, '');

  await sean.getByRole('banner').getByRole('link', { name: 'Support desk' }).click();
  await sean.getByRole('link', { name: /Claims stuck in review/ }).click();
  await hydrated(sean);
  await sean.getByLabel('Add a comment').fill('We are looking into it with your vendor.');
  await sean.getByRole('button', { name: 'Add comment' }).click();
  await expect(sean.getByRole('status').filter({ hasText: 'comment' })).toHaveText('Your comment has been added.');
  await sean.getByLabel("Request the vendor's assistance").selectOption({ label: 'Beacon Billing (Limited Access)' });
  await sean.getByRole('button', { name: 'Ask for help' }).click();
  await expect(sean.getByRole('status').filter({ hasText: 'asked' })).toHaveText('Beacon Billing has been asked to help with this ticket.');
  await hana.goto(hanaTicket);
  await expect(hana.getByText('We are looking into it with your vendor.')).toBeVisible();
  await expect(hana.getByText('Platform: Portcullis Platform')).toBeVisible();
  await expect(hana.getByText('vendor help requested from Beacon Billing')).toBeVisible();
  await bo.goto(hanaTicket);
  await expect(bo.getByRole('heading', { name: /Claims stuck in review/ })).toBeVisible();

  // A ticket from the vendor (Vendor Support), answered the other way.
  await bo.getByRole('banner').getByRole('link', { name: 'Vendor Support' }).click();
  await hydrated(bo);
  await bo.getByLabel('Subject').fill('Remittance files arrive twice');
  await bo.getByLabel('What is the problem?').fill('Every 835 file is delivered twice.');
  await bo.getByRole('button', { name: 'Open ticket' }).click();
  await expect(bo.getByText('Your ticket has been opened.')).toBeVisible();
  const boTicket = bo.url().replace(/\?.*$/, '');
  await sean.goto('/platform/desk?organization=beacon');
  await sean.getByRole('link', { name: /Remittance files arrive twice/ }).click();
  await hydrated(sean);
  await sean.getByLabel('Add a comment').fill('Fixed at the clearinghouse; please check tomorrow.');
  await sean.getByRole('button', { name: 'Add comment' }).click();
  await expect(sean.getByRole('status').filter({ hasText: 'comment' })).toHaveText('Your comment has been added.');
  await bo.goto(boTicket);
  await expect(bo.getByText('Fixed at the clearinghouse; please check tomorrow.')).toBeVisible();

  // Harbor is locked out: its one Administrator is inactive (forced in
  // the database, past the console's own rule, as a data repair would).
  const url = /DATABASE_URL=(\S+)/.exec(portcullis(['db', 'start']))?.[1] ?? '';
  const psql = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-c',
    `ALTER TABLE users DISABLE TRIGGER users_keep_an_administrator;
     UPDATE users SET status = 'inactive' WHERE email = 'hana@harbor.example';
     ALTER TABLE users ENABLE TRIGGER users_keep_an_administrator;`], { encoding: 'utf8' });
  expect(psql.status, psql.stderr).toBe(0);

  // The agent opens a ticket for Harbor after a verified call, and
  // proposes the reactivation; only another Platform Administrator approves.
  await sean.getByRole('banner').getByRole('link', { name: 'Organizations' }).click();
  await sean.getByRole('link', { name: 'Harbor Clinic' }).click();
  await hydrated(sean);
  await sean.getByLabel('Subject').fill('Locked out');
  await sean.getByLabel('Message').fill('Hana called from the number on file; verified by call-back.');
  await sean.getByRole('button', { name: 'Open ticket' }).click();
  await expect(sean.getByRole('heading', { name: /Locked out/ })).toBeVisible();
  await hydrated(sean);
  const lockedTicket = sean.url().replace(/\?.*$/, '');
  await sean.getByLabel('Change', { exact: true }).selectOption({ label: 'Reactivate Administrator' });
  await sean.getByLabel('User', { exact: true }).selectOption({ label: 'Hana Harbor <hana@harbor.example> (Administrator, inactive)' });
  await sean.getByLabel('What was verified, and how').fill('Call-back to the number on file; Hana confirmed.');
  await sean.getByRole('button', { name: 'Propose change' }).click();
  await expect(sean.getByRole('status').filter({ hasText: 'waits' })).toContainText('waits for a second Platform Administrator');
  await expect(sean.getByRole('button', { name: 'Approve' })).toHaveCount(0);

  await olga.goto(lockedTicket);
  await hydrated(olga);
  const change = olga.getByRole('row', { name: /Reactivate Administrator/ });
  await expect(change).toContainText('Waiting for approval');
  await change.getByRole('button', { name: 'Approve' }).click();
  await expect(olga.getByRole('status').filter({ hasText: 'Approved' })).toContainText('is done');
  await expect(olga.getByRole('row', { name: /Reactivate Administrator/ })).toContainText('Approved by Olga Operator');

  // Hana is back in, with a new password and a new second factor.
  const back = await mailedLink(hana, 'hana@harbor.example', 'Your Portcullis account is active again');
  await acceptInvitation(hana, back, 'hana@harbor.example');
  await expect(hana.getByText('Administrator of Harbor Clinic')).toBeVisible();
});

test('customers and vendors are refused the console; an agent approves nothing', async ({ page, browser }) => {
  test.setTimeout(120_000);
  await signInAdministrator(page, 'ben.backup@northwind.example');
  await expect(page.getByRole('banner').getByRole('link', { name: 'Organizations' })).toHaveCount(0);
  for (const path of ['/platform', '/platform/desk', '/platform/staff']) {
    await page.goto(path);
    await expect(page.getByText("Only the platform's staff can do this.").first()).toBeVisible();
  }

  // Vendor staff cannot complete a link of their own.
  const vendor = await (await browser.newContext()).newPage();
  await signInAdministrator(vendor, 'vera.vendor@claimwise.example');
  const origin = new URL(vendor.url()).origin;
  const linked = await vendor.request.post('/api/complete_vendor_link', {
    headers: { origin },
    form: { request_id: '1', version: '1', tier: 'full' },
  });
  expect(linked.status()).toBe(403);

  // A Support Agent sees the changes waiting, but no way to approve one.
  const agent = await (await browser.newContext()).newPage();
  await signInAdministrator(agent, 'sean.support@portcullis.example');
  await agent.getByRole('banner').getByRole('link', { name: 'Support desk' }).click();
  await expect(agent.getByRole('heading', { name: 'Support desk' })).toBeVisible();
  const decided = await agent.request.post('/api/decide_change', {
    headers: { origin: new URL(agent.url()).origin },
    form: { change_id: '1', approve: 'true' },
  });
  expect([403, 404]).toContain(decided.status());
  await agent.goto('/platform/organizations/new');
  await hydrated(agent);
  await agent.getByLabel('Organization name').fill('Sneaky Vendor');
  await agent.getByLabel('First name').fill('Sid');
  await agent.getByLabel('Last name').fill('Sneak');
  await agent.getByLabel('Email').fill('sid@sneaky.example');
  await agent.getByRole('button', { name: 'Add organization' }).click();
  await expect(agent.getByRole('alert')).toHaveText('Only Platform Administrators can do this.');
});
