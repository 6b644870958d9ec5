import { existsSync, readdirSync } from 'node:fs';
import { defineConfig, type PlaywrightTestOptions, type PlaywrightWorkerOptions, type Project } from '@playwright/test';
import type { WorkerFixtures } from './e2e/fixtures.js';

// Debian's browsers: Playwright cannot download its own here, and users run the real thing anyway.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const firefox = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const nginx = process.env.NGINX_PATH ?? '/usr/sbin/nginx';

type VaultProject = Project<PlaywrightTestOptions, PlaywrightWorkerOptions & WorkerFixtures>;

/** The project, if everything it runs on is installed. */
function installed(executables: string[], project: VaultProject): VaultProject[] {
  return executables.every((file) => existsSync(file)) ? [project] : [];
}

const launchOptions = {
  executablePath: chromium,
  // This machine has no network but loopback: keep Chromium from trying.
  args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
};

/** Spec files the firefox projects leave out (why: at the firefox projects below). */
const FIREFOX_SKIPS = [
  'examples.spec.ts',
  'op-split-origin.spec.ts',
  'overrides.spec.ts',
  'overrides-methods.spec.ts',
  'dpop-leaked-log.spec.ts',
  'dpop-bearer-only.spec.ts',
  'refresh-refused.spec.ts',
  'sealed-refresh-refused.spec.ts',
  'per-api-expiry.spec.ts',
  'host-compat.spec.ts',
  'sealed-dpop-pending.spec.ts',
  // The proxy's queue (maxUpstreamRequests, queueMs) and the page's limit it extends: timers and
  // messages over the paths every Firefox spec drives; WebKit mirrors them (e2e-webkit/upstreamQueue.test.ts).
  'upstream-queue.spec.ts',
  'upstream-queue-timeout.spec.ts',
  // One token per API and the refresh before expiry: the proxy's and the OP's decisions (WebKit
  // mirrors: per-api.test.ts, refreshBeforeExpiry.test.ts); per-api-scope/-dropin and the refresh
  // specs kept here drive the same paths in Firefox.
  'per-api.spec.ts',
  'refresh-before-expiry.spec.ts',
];

/** The e2e spec files Firefox runs, in four parts of about equal count, one Firefox project each. */
const FIREFOX_PARTS: string[][] = (() => {
  const files = readdirSync(new URL('e2e', import.meta.url))
    .filter((file) => file.endsWith('.spec.ts') && !FIREFOX_SKIPS.includes(file))
    .sort();
  const size = Math.ceil(files.length / 4);
  return [0, 1, 2, 3].map((part) => files.slice(part * size, (part + 1) * size)).filter((part) => part.length > 0);
})();

export default defineConfig<WorkerFixtures>({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  // Each worker runs its own dev host (its own OP state) on port E2E_PORT_BASE (8180) + its parallel index.
  workers: 2,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  // One retry under CI: a test that passes only on its retry is reported as flaky, not hidden.
  retries: process.env.CI ? 1 : 0,
  timeout: 45_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
  use: {
    // A trace only for a retry (CI): recording one for every test doubled Firefox's time per test
    // (spine + logout: 69 s with, 41 s without; Chromium 49 s and 40 s). To trace a local run:
    // `npx playwright test … --trace on`.
    trace: 'on-first-retry',
    actionTimeout: 10_000,
  },
  // Only the engines that are installed: scripts/ensure-browsers.mjs installs them (or says how)
  // and requires all of them under CI.
  projects: [
    ...installed([chromium], {
      name: 'chromium',
      use: { browserName: 'chromium' as const, launchOptions },
    }),
    ...installed([chromium, nginx], {
      // The production shape: the demo built by `vite build` with the Token Vault plugin, app and
      // proxy origins served as static files by Debian's nginx (@tokenvault/build's template), the OP and
      // the API by the dev host. The spine's round trip and the deployment checks run here; the
      // rest exercises the same built code and stays on the dev host.
      name: 'chromium-nginx',
      testMatch: ['spine.spec.ts', 'deploy.spec.ts'],
      use: { browserName: 'chromium' as const, launchOptions, servedBy: 'nginx' as const },
    }),
    ...FIREFOX_PARTS.flatMap((files, index) =>
      installed([firefox], {
        // Firefox ESR over WebDriver BiDi ('moz-firefox'; Playwright 1.64.x, see DESIGN.md). It needs no
        // preferences for the vault: it resolves *.localhost to loopback itself (the system resolver
        // here does not), treats http://*.localhost as a secure context (service workers allowed), and
        // gives the same-site proxy iframe the proxy origin's own, unpartitioned storage.
        // Tests tagged NEEDS_CDP (e2e/fixtures.ts) are skipped here.
        name: `firefox-${index + 1}`,
        // One part of the spec files (FIREFOX_PARTS): a project is a worker hash, so each part starts
        // its own browsers. A Firefox kept for the whole project slowed down with age (session and
        // COOP specs: 10 s per test late in a run, 6.6 s in a fresh browser).
        testMatch: files,
        // Specs whose outcome is decided by the proxy's code, the dev OP or the API, over paths that
        // the specs kept here already drive in Firefox (the worker, the proxy frame's port, IndexedDB):
        // they run in Chromium (and their WebKit mirrors, where there is one). Everything that depends
        // on the engine (storage, cookies, frames, messages between windows, the worker, URL parsing,
        // streams, aborts, COOP, sign-in flows) runs here too. This keeps CI well under 30 minutes.
        // Single tests of the same kind in specs that stay: tagged ENGINE_NEUTRAL (e2e/fixtures.ts).
        grepInvert: /@engine-neutral/,
        testIgnore: FIREFOX_SKIPS,
        use: {
          browserName: 'firefox' as const,
          channel: 'moz-firefox',
          launchOptions: { executablePath: firefox },
        },
      }),
    ),
  ],
});
