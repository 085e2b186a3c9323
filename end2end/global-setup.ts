import type { FullConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUTHENTICATORS_FILE, type Authenticator, codeForStep, saveAuthenticator, stepAt } from './tests/authenticators';

/**
 * The Administrators most specs sign in as, enrolled once for the run
 * through the server functions (the enrolment itself is tested in
 * `two-factor.spec.ts` and `users.spec.ts`, with other Administrators).
 * Their authenticators go to a file named in the environment, which every
 * worker reads and writes, so no spec depends on another having enrolled
 * them first, and a worker started after a failure knows the codes used.
 */
const ENROLLED = ['ben.backup@northwind.example', 'vera.vendor@claimwise.example'];
const PASSWORD = 'portcullis-demo';

async function post(base: string, endpoint: string, body: string, cookie = ''): Promise<Response> {
  const reply = await fetch(`${base}/api/${endpoint}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: base,
      ...(cookie ? { cookie } : {}),
    },
    body,
  });
  if (reply.status >= 400) {
    throw new Error(`${endpoint}: ${reply.status} ${await reply.text()}`);
  }
  return reply;
}

/** The session cookie a reply sets, else the one sent. */
function cookieOf(reply: Response, sent: string): string {
  const set = reply.headers.getSetCookie().find((c) => c.includes('portcullis='));
  return set ? set.split(';')[0] : sent;
}

async function enrol(base: string, email: string): Promise<Authenticator> {
  const signedIn = await post(base, 'sign_in', new URLSearchParams({ email, password: PASSWORD }).toString());
  let cookie = cookieOf(signedIn, '');
  const begun = await post(base, 'begin_two_factor', '', cookie);
  const { secret } = (await begun.json()) as { secret: string };
  const step = stepAt();
  const confirmed = await post(base, 'confirm_two_factor', `code=${codeForStep(secret, step)}`, cookie);
  cookie = cookieOf(confirmed, cookie);
  const recovery = (await confirmed.json()) as string[];
  await post(base, 'sign_out', '', cookie);
  return { secret, lastStep: step, recovery };
}

export default async function globalSetup(config: FullConfig) {
  const base = config.projects[0].use.baseURL;
  if (!base) throw new Error('no baseURL');
  process.env[AUTHENTICATORS_FILE] = join(mkdtempSync(join(tmpdir(), 'portcullis-e2e-')), 'authenticators.json');
  for (const email of ENROLLED) {
    saveAuthenticator(email, await enrol(base, email));
  }
}
