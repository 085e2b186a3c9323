import { createHmac } from 'node:crypto';
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
  await expect(page.getByRole('heading', { name: 'Set up two-factor sign-in' })).toBeVisible();
  await hydrated(page);
  const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
  await page.getByLabel('Code from the app').fill(totp(secret));
  await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  await page.getByRole('link', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: /^Welcome, / })).toBeVisible();
  return secret;
}
