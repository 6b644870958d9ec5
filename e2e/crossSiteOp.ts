import type { BrowserContext, Page } from '@playwright/test';
import type { FastifyInstance } from 'fastify';
import { PARTITIONED_STORAGE_ARGS, proxyFrame, test as base } from './fixtures.js';

// Specs against an OP on another site than the app (the dev host's `opSite: 'other'`,
// login.idp.localhost, SameSite=None; Secure cookies), each engine with the third-party cookie
// policy it ships: Chromium with its own storage partitioning (Playwright turns it off by default,
// see PARTITIONED_STORAGE_ARGS) and third-party cookies as Debian's build blocks them; Firefox ESR
// with Total Cookie Protection, either with its storage-access heuristics (a top-level sign-in at
// the OP grants the OP's frames under the app storage access) or without a grant.

export interface CrossSiteOpOptions {
  /**
   * Firefox only: whether its storage-access heuristics may grant the OP's frames the OP's cookies
   * after the top-level sign-in (Firefox's default, true). False plays a profile with no grant (a
   * grant expired, or none given): the `privacy.restrict3rdpartystorage.heuristic.*` preferences off.
   */
  storageAccessHeuristics: boolean;
}

const NO_HEURISTICS = {
  'privacy.restrict3rdpartystorage.heuristic.redirect': false,
  'privacy.restrict3rdpartystorage.heuristic.navigation': false,
  'privacy.restrict3rdpartystorage.heuristic.recently_visited': false,
  'privacy.restrict3rdpartystorage.heuristic.window_open': false,
  'privacy.restrict3rdpartystorage.heuristic.opened_window_after_interaction': false,
};

/** `test` for specs against the OP on another site: they say `test.use({ devHostOptions: { opSite: 'other', … } })`. */
export const test = base.extend<object, CrossSiteOpOptions>({
  storageAccessHeuristics: [true, { scope: 'worker', option: true }],
  launchOptions: [
    async ({ launchOptions, browserName, storageAccessHeuristics }, use) => {
      if (browserName === 'chromium') await use({ ...launchOptions, args: [...(launchOptions.args ?? []), ...PARTITIONED_STORAGE_ARGS] });
      else if (browserName === 'firefox' && !storageAccessHeuristics) await use({ ...launchOptions, firefoxUserPrefs: { ...launchOptions.firefoxUserPrefs, ...NO_HEURISTICS } });
      else await use(launchOptions);
    },
    { scope: 'worker' },
  ],
});

/**
 * Counts, in the proxy frame, the check_session_iframe's answers (messages from the OP origin) by
 * value; read them with the returned function.
 */
export async function countCheckAnswers(page: Page, devHost: FastifyInstance): Promise<() => Promise<Partial<Record<string, number>>>> {
  const frame = proxyFrame(page, devHost);
  await frame.evaluate((op) => {
    const counts: Record<string, number> = {};
    (window as unknown as { __checkAnswers: Record<string, number> }).__checkAnswers = counts;
    window.addEventListener('message', (event) => {
      if (event.origin === op && typeof event.data === 'string') counts[event.data] = (counts[event.data] ?? 0) + 1;
    });
  }, devHost.vault.origins.op);
  return () => frame.evaluate(() => ({ ...(window as unknown as { __checkAnswers: Record<string, number> }).__checkAnswers }));
}

/**
 * Records, from the start of every document of the context, what the OP's frames answered: the
 * check_session_iframe's messages (in the proxy frame) and each `prompt=none` answer's `error` or
 * `code` as it lands on the proxy's /silent-callback. Read with the returned function.
 */
export async function recordOpAnswers(context: BrowserContext, devHost: FastifyInstance): Promise<() => Promise<{ check: string[]; recheck: string[] }>> {
  const { op, proxy } = devHost.vault.origins;
  const recheck: string[] = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === proxy && url.pathname === '/silent-callback') recheck.push(url.searchParams.get('error') ?? (url.searchParams.has('code') ? 'code' : 'neither'));
  });
  await context.addInitScript((from: string) => {
    const seen: string[] = [];
    (window as unknown as { __opAnswers: string[] }).__opAnswers = seen;
    window.addEventListener('message', (event) => {
      if (event.origin === from && typeof event.data === 'string') seen.push(event.data);
    });
  }, op);
  return async () => {
    const check: string[] = [];
    for (const page of context.pages()) {
      for (const frame of page.frames().filter((f) => f.url().startsWith(`${proxy}/`))) {
        check.push(...(await frame.evaluate(() => (window as unknown as { __opAnswers?: string[] }).__opAnswers ?? []).catch(() => [])));
      }
    }
    return { check, recheck: [...recheck] };
  };
}
