import { test, expect, type CDPSession, type Page } from '@playwright/test';
import { hydrated, signInAdministrator } from './helpers';

/** What the browser fetched for /pkg/ files during one load, from DevTools' network events. */
type Fetched = { url: string; transferred: number; decoded: number; encoding: string; cacheControl: string };

/** Records every /pkg/ file the page loads while `load` runs. */
async function pkgFiles(cdp: CDPSession, load: () => Promise<void>): Promise<Fetched[]> {
  const seen = new Map<string, Fetched>();
  const onResponse = (event: {
    requestId: string;
    response: { url: string; headers: Record<string, string> };
  }) => {
    if (!new URL(event.response.url).pathname.startsWith('/pkg/')) return;
    const headers = Object.fromEntries(Object.entries(event.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    seen.set(event.requestId, {
      url: event.response.url,
      transferred: 0,
      decoded: 0,
      encoding: headers['content-encoding'] ?? '',
      cacheControl: headers['cache-control'] ?? '',
    });
  };
  const onData = (event: { requestId: string; dataLength: number }) => {
    const file = seen.get(event.requestId);
    if (file) file.decoded += event.dataLength;
  };
  const onFinished = (event: { requestId: string; encodedDataLength: number }) => {
    const file = seen.get(event.requestId);
    if (file) file.transferred = event.encodedDataLength;
  };
  cdp.on('Network.responseReceived', onResponse);
  cdp.on('Network.dataReceived', onData);
  cdp.on('Network.loadingFinished', onFinished);
  await load();
  cdp.off('Network.responseReceived', onResponse);
  cdp.off('Network.dataReceived', onData);
  cdp.off('Network.loadingFinished', onFinished);
  return [...seen.values()];
}

async function visit(page: Page, path: string) {
  await page.goto(path);
  await hydrated(page);
  await page.waitForLoadState('networkidle');
}

test('a second load of a page transfers no WASM, JavaScript or CSS', async ({ page }) => {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');

  // The very first page of a fresh browser fetches everything.
  const first = await pkgFiles(cdp, () => visit(page, '/sign-in'));
  const kinds = (files: Fetched[]) => new Set(files.map((f) => new URL(f.url).pathname.split('.').pop()));
  expect(kinds(first)).toEqual(new Set(['wasm', 'js', 'css']));
  for (const file of first) {
    // Named by content, kept for a year, sent compressed.
    expect(file.url, 'hashed name').toMatch(/\.[A-Za-z0-9_-]{22}\.(wasm|js|css|json)$/);
    expect(file.transferred, file.url).toBeGreaterThan(0);
    expect(file.cacheControl, file.url).toBe('public, max-age=31536000, immutable');
    expect(file.encoding, file.url).toBe('br');
  }
  const bundle = first.find((f) => /\/portcullis\.[^/]*\.wasm$/.test(f.url));
  expect(bundle, 'the main bundle was loaded').toBeTruthy();
  // A third of the bundle or less crosses the network.
  expect(bundle!.transferred).toBeLessThan(bundle!.decoded / 3);

  await signInAdministrator(page, 'ben.backup@northwind.example');
  // Each page once, then again.
  for (const path of ['/sign-in', '/users', '/companies', '/']) {
    await visit(page, path);
    const again = await pkgFiles(cdp, () => visit(page, path));
    expect(again.length, `${path} uses the bundle`).toBeGreaterThan(0);
    const transferred = again.filter((f) => f.transferred > 0).map((f) => `${f.url} (${f.transferred} bytes)`);
    expect(transferred, `${path} loaded again`).toEqual([]);
  }
});

test('pages are asked for again each time', async ({ request }) => {
  const page = await request.get('/sign-in');
  expect(page.status()).toBe(200);
  expect(page.headers()['cache-control']).toBe('no-cache');
});
