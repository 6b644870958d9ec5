import { defineConfig } from '@playwright/test';
import type { WorkerFixtures } from './e2e/fixtures.js';

// Debian's Chromium: Playwright cannot download browsers here, and users run the real thing anyway.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const launchOptions = {
  executablePath: chromium,
  // This machine has no network but loopback: keep Chromium from trying.
  args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
};

export default defineConfig<WorkerFixtures>({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  // Each worker runs its own dev host (its own OP state) on port E2E_PORT_BASE (8180) + its parallel index.
  workers: 2,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 45_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
  use: {
    trace: 'retain-on-failure',
    actionTimeout: 10_000,
  },
  projects: [
    {
      name: 'chromium',
      use: { browserName: 'chromium', launchOptions },
    },
    {
      // The production shape: the demo built by `vite build` with the Token Vault plugin, app and
      // proxy origins served as static files by Debian's nginx (infra/nginx template), the OP and
      // the API by the dev host. The spine's round trip and the deployment checks run here; the
      // rest exercises the same built code and stays on the dev host.
      name: 'chromium-nginx',
      testMatch: ['spine.spec.ts', 'deploy.spec.ts'],
      use: { browserName: 'chromium', launchOptions, servedBy: 'nginx' },
    },
  ],
});
