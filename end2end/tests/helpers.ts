import { expect, type Page } from '@playwright/test';
import { type Authenticator, codeForStep, readAuthenticators, saveAuthenticator, stepAt } from './authenticators';

export { totp } from './authenticators';

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

/** The authenticator of an enrolled Administrator, from the run's file. */
function known(email: string): Authenticator | undefined {
  return readAuthenticators()[email];
}

/**
 * Signs an Administrator in for the first time, through two-factor
 * enrolment, up to the start page; returns the authenticator key.
 */
export async function signInEnrollingAdministrator(page: Page, email: string): Promise<string> {
  await submitSignIn(page, email);
  return (await enrolHere(page, email)).secret;
}

/** Enrols from the enrolment page the sign-in led to, up to the start page. */
export async function enrolHere(page: Page, email: string): Promise<Authenticator> {
  await expect(page.getByRole('heading', { name: 'Set up two-factor sign-in' })).toBeVisible();
  await hydrated(page);
  const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
  const lastStep = stepAt();
  await page.getByLabel('Code from the app').fill(codeForStep(secret, lastStep));
  await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
  await expect(codes).toHaveCount(10);
  const recovery = (await codes.allTextContents()).map((code) => code.trim());
  await page.getByRole('link', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: /^Welcome, / })).toBeVisible();
  const authenticator = { secret, lastStep, recovery };
  saveAuthenticator(email, authenticator);
  return authenticator;
}

/**
 * Signs an Administrator in up to the start page, enrolling their
 * authenticator if this is their first sign-in of the run, else answering
 * the code prompt: with the app's code when a step not used yet is due
 * (the server takes the current and the next one), else with a recovery
 * code rather than waiting for the clock; the recovery codes are renewed
 * before they run out.
 */
export async function signInAdministrator(page: Page, email: string) {
  await submitSignIn(page, email);
  const enrol = page.getByRole('heading', { name: 'Set up two-factor sign-in' });
  const prompt = page.getByLabel('Authentication code');
  await expect(enrol.or(prompt)).toBeVisible();
  if (await enrol.isVisible()) {
    await enrolHere(page, email);
    return;
  }
  const authenticator = known(email);
  expect(authenticator, `${email} was enrolled in the global setup or earlier in the run`).toBeDefined();
  const a = authenticator as Authenticator;
  let step = Math.max(stepAt(), a.lastStep + 1);
  let code: string;
  if (step <= stepAt() + 1 || a.recovery.length === 0) {
    while (step > stepAt() + 1) {
      await page.waitForTimeout(30_000 - (Date.now() % 30_000) + 100);
      step = Math.max(stepAt(), a.lastStep + 1);
    }
    code = codeForStep(a.secret, step);
    a.lastStep = step;
  } else {
    code = a.recovery.shift() as string;
  }
  saveAuthenticator(email, a);
  await hydrated(page);
  await prompt.fill(code);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('heading', { name: /^Welcome, / })).toBeVisible();
  if (a.recovery.length < 3) {
    const origin = new URL(page.url()).origin;
    const renewed = await page.request.post('/api/new_recovery_codes', { headers: { origin } });
    expect(renewed.ok(), await renewed.text()).toBeTruthy();
    a.recovery = (await renewed.json()) as string[];
    saveAuthenticator(email, a);
  }
}
