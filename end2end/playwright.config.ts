import { defineConfig } from '@playwright/test';

// The suite runs against the release server on a fresh database; test.sh
// builds it and chooses the data directory. Debian's Chromium is used because
// nothing may be downloaded from outside the package registries.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const smtpPort = Number(process.env.E2E_SMTP_PORT ?? port + 1);

export default defineConfig({
  testDir: './tests',
  // Enrols the Administrators most specs sign in as; their authenticators
  // reach the workers in the environment (global-setup.ts).
  globalSetup: './global-setup.ts',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
  webServer: [
    {
      // A real mail server for Portcullis to deliver to (smtp-sink.mjs).
      command: `node smtp-sink.mjs`,
      port: smtpPort,
      timeout: 20_000,
      reuseExistingServer: false,
      env: { E2E_SMTP_PORT: String(smtpPort) },
    },
    {
      // test.sh serves with the debug build its integration tests already
      // built: the suite tests the release WASM bundle and the behaviour.
      command: `${process.env.E2E_SERVER ?? 'target/release/portcullis'} serve --listen 127.0.0.1:${port} --seed-demo --smtp-url smtp://127.0.0.1:${smtpPort}`,
      cwd: '..',
      url: `${baseURL}/healthz`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
      // SIGTERM lets the server stop its private PostgreSQL cluster cleanly.
      gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
      env: {
        PORTCULLIS_DATA_DIR: process.env.E2E_DATA_DIR ?? 'target/e2e-data',
        LEPTOS_SITE_ROOT: 'target/site',
        RUST_LOG: 'warn',
      },
    },
  ],
});
