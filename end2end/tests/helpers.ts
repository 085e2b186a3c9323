import { createHmac } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';

/** Every demo user's password (README). */
export const PASSWORD = 'portcullis-demo';

export async function hydrated(page: Page) {
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
}

/** Fills and sends the sign-in form; the caller checks where it leads. */
export async function submitSignIn(page: Page, email: string, password = PASSWORD) {
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of text.replace(/=+$/, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >>> bits) & 0xff);
      value &= (1 << bits) - 1;
    }
  }
  return Buffer.from(bytes);
}

/**
 * The code an authenticator app shows `offsetSeconds` from now: RFC 6238
 * (HMAC-SHA-1, 30-second steps, 6 digits), written out here independently
 * of the server's implementation.
 */
export function totp(secretBase32: string, offsetSeconds = 0): string {
  const step = Math.floor((Date.now() / 1000 + offsetSeconds) / 30);
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secretBase32)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary =
    ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(binary % 1_000_000).padStart(6, '0');
}

/**
 * Signs an Administrator in for the first time, through two-factor
 * enrolment, up to the start page; returns the authenticator key.
 */
export async function signInEnrollingAdministrator(page: Page, email: string): Promise<string> {
  await submitSignIn(page, email);
  const secret = await signInEnrollingAdministratorHere(page);
  remember(email, secret, Math.floor(Date.now() / 30_000));
  return secret;
}

/** Enrols from the enrolment page the sign-in led to, up to the start page. */
async function signInEnrollingAdministratorHere(page: Page): Promise<string> {
  await expect(page.getByRole('heading', { name: 'Set up two-factor sign-in' })).toBeVisible();
  await hydrated(page);
  const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
  await page.getByLabel('Code from the app').fill(totp(secret));
  await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  await page.getByRole('link', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: /^Welcome, / })).toBeVisible();
  return secret;
}

/**
 * Authenticator keys of the Administrators enrolled during this run, kept in
 * a file because each spec file runs in a fresh module. A stale entry from an
 * earlier run never matters: the database is new on every run, so an
 * Administrator is always enrolled (and the entry rewritten) before a code is
 * asked of them. `lastStep` keeps a code from being offered twice, which the
 * server refuses.
 */
const secretsFile = join(tmpdir(), 'portcullis-e2e-authenticators.json');
type Enrolled = Record<string, { secret: string; lastStep: number }>;

function readEnrolled(): Enrolled {
  return existsSync(secretsFile) ? (JSON.parse(readFileSync(secretsFile, 'utf8')) as Enrolled) : {};
}

function remember(email: string, secret: string, lastStep: number) {
  const all = readEnrolled();
  all[email] = { secret, lastStep };
  writeFileSync(secretsFile, JSON.stringify(all));
}

/**
 * Signs an Administrator in up to the start page, enrolling their
 * authenticator if this is their first sign-in of the run, else answering
 * the code prompt with a code not used before.
 */
export async function signInAdministrator(page: Page, email: string) {
  await submitSignIn(page, email);
  const enrol = page.getByRole('heading', { name: 'Set up two-factor sign-in' });
  const code = page.getByLabel('Authentication code');
  await expect(enrol.or(code)).toBeVisible();
  if (await enrol.isVisible()) {
    const secret = await signInEnrollingAdministratorHere(page);
    remember(email, secret, Math.floor(Date.now() / 30_000));
    return;
  }
  const known = readEnrolled()[email];
  expect(known, `${email} was enrolled earlier in this run`).toBeDefined();
  let step = Math.max(Math.floor(Date.now() / 30_000), known.lastStep + 1);
  // The server accepts the next step's code too (clock drift); beyond that, wait.
  while (step > Math.floor(Date.now() / 30_000) + 1) {
    await page.waitForTimeout(30_000 - (Date.now() % 30_000) + 100);
  }
  const offset = step * 30 - Math.floor(Date.now() / 1000);
  await hydrated(page);
  await code.fill(totp(known.secret, offset));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('heading', { name: /^Welcome, / })).toBeVisible();
  remember(email, known.secret, step);
}
