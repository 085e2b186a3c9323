import { test, expect, type Page } from '@playwright/test';

/** Waits until the WASM bundle has hydrated the page (the entry point marks <html>). */
async function hydrated(page: Page) {
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
}

/** Fails the test on any browser error, e.g. a broken wasm-opt breaking hydration. */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return errors;
}

test('the server renders the page, with the database status, before any JavaScript runs', async ({ browser, request }) => {
  const health = await (await request.get('/healthz')).json();
  expect(health.status).toBe('ok');
  expect(health.schema_version).toBeGreaterThan(0);

  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page).toHaveTitle('Portcullis');
  await expect(page.getByRole('link', { name: 'Portcullis' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Access management for your billing platform');
  const status = page.getByRole('region', { name: 'System status' });
  await expect(status.getByTestId('database')).toHaveText(/^PostgreSQL \d+/);
  // The figure on the page came from PostgreSQL, the same as /healthz reports.
  await expect(status.getByTestId('schema-version')).toHaveText(String(health.schema_version));
  await expect(page.getByRole('status')).toHaveText('Checked when the page loaded.');
  await context.close();
});

test('after hydration the button asks the server again and the page changes', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await hydrated(page);

  const answer = page.waitForResponse(
    (r) => r.url().endsWith('/api/system_status') && r.request().method() === 'POST',
  );
  await page.getByRole('button', { name: 'Check again' }).click();
  const response = await answer;
  expect(response.status()).toBe(200);
  const body = await response.json();

  await expect(page.getByRole('status')).toHaveText('Checked again 1 time since the page loaded.');
  await expect(page.getByTestId('checked-at')).toHaveText(`${body.checked_at} UTC`);
  await page.getByRole('button', { name: 'Check again' }).click();
  await expect(page.getByRole('status')).toHaveText('Checked again 2 times since the page loaded.');
  expect(errors).toEqual([]);
});

test('the button and skip link are reachable from the keyboard', async ({ page }) => {
  await page.goto('/');
  await hydrated(page);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  const button = page.getByRole('button', { name: 'Check again' });
  await button.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toHaveText('Checked again 1 time since the page loaded.');
});

test('an unknown address shows a helpful not-found page with status 404', async ({ page }) => {
  const response = await page.goto('/no/such/page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to the start page' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Access management for your billing platform');
});

test('server functions answer same-origin POST only', async ({ request, baseURL }) => {
  const get = await request.get('/api/system_status');
  expect(get.status()).toBe(405);
  // No Origin (a forged form from elsewhere, or a script): refused.
  const anonymous = await request.post('/api/system_status');
  expect(anonymous.status()).toBe(403);
  const foreign = await request.post('/api/system_status', { headers: { origin: 'http://evil.example' } });
  expect(foreign.status()).toBe(403);
  const own = await request.post('/api/system_status', { headers: { origin: baseURL! } });
  expect(own.status()).toBe(200);
  expect(await own.json()).toHaveProperty('schema_version');
});
