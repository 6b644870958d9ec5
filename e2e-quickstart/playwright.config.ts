import { defineConfig } from '@playwright/test';

// The quick-start test (docs/quick-start-vite.md, followed step by step): its own config, since it
// runs no dev host of the e2e fixtures' and one engine is enough to prove the page true. Chromium
// from Debian, as in ../playwright.config.ts.
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  // create-vite and two npm installs (from npm's cache where it can), a tsc + vite build, the sign-in.
  timeout: 300_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: { trace: 'retain-on-failure', actionTimeout: 15_000, navigationTimeout: 30_000 },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
        },
      },
    },
  ],
});
