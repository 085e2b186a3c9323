// Measures the Users page of a running Portcullis server in headless Chromium:
//   first_paint_ms  – the `first-contentful-paint` entry (server-rendered HTML);
//   interactive_ms  – performance.now() when <html data-hydrated="true"> appears.
// Both are milliseconds since navigation start of that page load.
//
// Usage: node end2end/bench/page-timing.mjs <baseURL> <email> <password> <runs>
// With PAGE_TIMING_COOKIE=name=value (a signed-in session, as `bench run`
// passes for an Administrator who signed in with two factors),
// email and password are ignored ("-") and the cookie is used instead.
// Prints one line of JSON to stdout; on failure prints a message to stderr and
// exits non-zero.
import { chromium } from '@playwright/test';

const SIGN_IN_TIMEOUT_MS = 30_000;
const STEP_TIMEOUT_MS = 30_000; // per navigation / wait after sign-in

function fail(message) {
  console.error(`page-timing: ${message}`);
  process.exit(1);
}

const [baseURL, email, password, runsArg] = process.argv.slice(2);
const runs = Number(runsArg);
if (!baseURL || !email || !password || !Number.isInteger(runs) || runs < 1) {
  fail('usage: node end2end/bench/page-timing.mjs <baseURL> <email> <password> <runs>  (runs >= 1)');
}

// Runs in every new document before its own scripts: records the moment the
// app marks <html> as hydrated in window.__hydratedAt (ms since navigation start).
function watchHydration() {
  const isHydrated = () => document.documentElement?.getAttribute('data-hydrated') === 'true';
  const record = () => {
    if (window.__hydratedAt === undefined && isHydrated()) window.__hydratedAt = performance.now();
    return window.__hydratedAt !== undefined;
  };
  if (record()) return; // already there
  // Observe the whole document: <html> may not exist yet when this runs.
  const observer = new MutationObserver(() => record() && observer.disconnect());
  observer.observe(document, { attributes: true, attributeFilter: ['data-hydrated'], childList: true, subtree: true });
}

// Nearest-rank percentile of an ascending array.
const percentile = (sorted, p) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
const round1 = (x) => Math.round(x * 10) / 10;
const summary = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: round1(percentile(sorted, 50)), p95: round1(percentile(sorted, 95)) };
};

// Rejects with message() if `promise` has not settled within `ms`.
function withTimeout(promise, ms, message) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(message())), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const hydratedSelector = 'html[data-hydrated="true"]';

async function signIn(page) {
  await page.goto(new URL('/sign-in', baseURL).href);
  await page.waitForSelector(hydratedSelector, { state: 'attached' });
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/sign-in');
}

// One fresh navigation to /users; returns its two timings.
async function measureUsers(page) {
  const response = await page.goto(new URL('/users', baseURL).href, { waitUntil: 'load' });
  const path = new URL(page.url()).pathname;
  if (!response?.ok() || path !== '/users') {
    throw new Error(`/users answered ${response?.status() ?? 'nothing'} and ended at ${path}; ` +
      'does this user hold Users: view without needing two-factor sign-in?');
  }
  // Both moments, in either order: a page whose code is cached may be
  // hydrated before its first paint.
  await page.waitForFunction(
    () => window.__hydratedAt !== undefined &&
      performance.getEntriesByType('paint').some((e) => e.name === 'first-contentful-paint'),
    null, { timeout: STEP_TIMEOUT_MS });
  return page.evaluate(() => ({
    firstPaint: performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint')?.startTime,
    interactive: window.__hydratedAt,
  }));
}

let browser;
try {
  browser = await chromium.launch({
    headless: true,
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext();
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  await context.addInitScript(watchHydration);
  const page = await context.newPage();

  const cookie = process.env.PAGE_TIMING_COOKIE;
  if (cookie) {
    const at = cookie.indexOf('=');
    const name = cookie.slice(0, at);
    await context.addCookies([{
      name, value: cookie.slice(at + 1), domain: new URL(baseURL).hostname, path: '/',
      // __Host- cookies must be Secure; Chromium accepts that on loopback.
      secure: name.startsWith('__Host-'), httpOnly: true, sameSite: 'Strict',
    }]);
  } else {
    await withTimeout(signIn(page), SIGN_IN_TIMEOUT_MS, () =>
      `sign-in as ${email} did not finish within ${SIGN_IN_TIMEOUT_MS / 1000} s (still at ${page.url()})`);
  }

  await measureUsers(page); // warm-up, not counted
  const firstPaint = [];
  const interactive = [];
  for (let i = 0; i < runs; i++) {
    const t = await measureUsers(page);
    if (typeof t.firstPaint !== 'number') throw new Error(`run ${i + 1}: no first-contentful-paint entry`);
    firstPaint.push(t.firstPaint);
    interactive.push(t.interactive);
  }

  // Reference: the first paint of a tiny static page in the same browser,
  // what Chromium takes on this machine before any server work counts.
  const floor = [];
  for (let i = 0; i <= runs; i++) {
    await page.goto('data:text/html,<!doctype html><title>t</title><p>Portcullis</p>', { waitUntil: 'load' });
    await page.waitForFunction(() => performance.getEntriesByType('paint').some((e) => e.name === 'first-contentful-paint'));
    const t = await page.evaluate(() => performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint').startTime);
    if (i > 0) floor.push(t); // the first is a warm-up
  }

  console.log(JSON.stringify({
    runs, first_paint_ms: summary(firstPaint), interactive_ms: summary(interactive),
    static_first_paint_ms: summary(floor),
  }));
  await browser.close();
} catch (error) {
  await browser?.close().catch(() => {});
  fail(error?.message ?? String(error));
}
