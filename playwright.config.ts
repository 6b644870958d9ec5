import { existsSync } from 'node:fs';
import { defineConfig, type Project } from '@playwright/test';

// Debian's browsers: Playwright cannot download its own here, and users run the real thing anyway.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const firefox = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/** The project, if its browser is installed. */
function installed(executable: string, project: Project): Project[] {
  return existsSync(executable) ? [project] : [];
}

export default defineConfig({
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
  // Only the engines that are installed: scripts/ensure-browsers.mjs installs them (or says how)
  // and requires all of them under CI.
  projects: [
    ...installed(chromium, {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: chromium,
          // This machine has no network but loopback: keep Chromium from trying.
          args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
        },
      },
    }),
    ...installed(firefox, {
      // Firefox ESR over WebDriver BiDi ('moz-firefox'; Playwright 1.64.x, see DESIGN.md). It needs no
      // preferences for the vault: it resolves *.localhost to loopback itself (the system resolver
      // here does not), treats http://*.localhost as a secure context (service workers allowed), and
      // gives the same-site proxy iframe the proxy origin's own, unpartitioned storage.
      // Tests tagged NEEDS_CDP (e2e/fixtures.ts) are skipped here.
      name: 'firefox',
      use: {
        browserName: 'firefox',
        channel: 'moz-firefox',
        launchOptions: { executablePath: firefox },
      },
    }),
  ],
});
