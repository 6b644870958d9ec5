import type { Page } from '@playwright/test';
import type { FastifyInstance } from 'fastify';
import { expect, storedTokens, test, tokenRequests } from './fixtures.js';
import { sealedSignIn, vaultEvents } from './sealedFixtures.js';
import { defined } from '@tokenvault/test-support';

// Sign-in CSRF: a page of another site sends the browser to the proxy's /signin. Before, the vault
// completed that sign-in (a prompt=none code redeemed, the stored set swapped for a narrower one).
// Now only a sign-in the app's own vault started may run: the server refuses a cross-site
// navigation to /signin (Sec-Fetch-Site), and the page requires a one-time ticket the proxy frame
// minted (kept in the proxy origin's store).
test.use({ devHostOptions: { demo: 'sealed' } });

/** What the OP saw of authorization requests and code redemptions since the log was cleared. */
function opActivity(devHost: FastifyInstance): { authorizations: number; tokenPosts: number } {
  return { authorizations: devHost.vault.requestLog.find('op', '/auth').length, tokenPosts: tokenRequests(devHost) };
}

/** The /signin URL as the issue's attacker wrote it. */
function forged(devHost: FastifyInstance, extra: Record<string, string> = {}): string {
  const { proxy, app } = devHost.vault.origins;
  return `${proxy}/signin?${new URLSearchParams({ prompt: 'none', scope: 'openid', return_to: `${app}/`, ...extra })}`;
}

/** App-origin script navigates to `url`; resolves once the proxy sent the browser back to the app with the error. */
async function refusedByThePage(page: Page, url: string): Promise<void> {
  await Promise.all([
    page.waitForRequest((request) => request.url().includes('tokenvault_error=TV_SIGN_IN_NOT_STARTED')),
    page.evaluate((to) => {
      location.assign(to);
    }, url),
  ]);
  await expect.poll(() => vaultEvents(page).catch(() => [])).toContain('error: TV_SIGN_IN_NOT_STARTED');
}

async function signedInWithTokens(page: Page, devHost: FastifyInstance): Promise<string> {
  await sealedSignIn(page, devHost);
  return defined(defined(await storedTokens(page, devHost)).accessToken);
}

test.describe('sign-in CSRF', () => {
  // A sign-in and several navigations each: slow on a loaded machine.
  test.describe.configure({ timeout: 120_000 });

  test('a page on another site (evil.localhost) sends the browser to /signin by link, form and window.open: refused, no code redeemed, nothing stored changes', async ({
    page,
    context,
    devHost,
  }) => {
    const accessToken = await signedInWithTokens(page, devHost);
    devHost.vault.requestLog.clear();
    const evil = await context.newPage();
    await evil.goto(`${devHost.vault.origins.evil}/`);
    // 1. A top-level navigation: a link on the attacker's page that the user clicks.
    await evil.evaluate((url) => {
      document.body.append(Object.assign(document.createElement('a'), { id: 'bait', href: url, textContent: 'Claim your prize' }));
    }, forged(devHost));
    const [refused] = await Promise.all([evil.waitForResponse((response) => response.url().startsWith(`${devHost.vault.origins.proxy}/signin`)), evil.locator('#bait').click()]);
    expect(refused.status()).toBe(403);
    await expect(evil.locator('body')).toContainText('TV_SIGN_IN_NOT_STARTED');
    // 2. A form submission, and 3. a new window, from the attacker's page.
    await evil.goto(`${devHost.vault.origins.evil}/`);
    const statuses: number[] = [];
    context.on('response', (response) => {
      if (response.url().startsWith(`${devHost.vault.origins.proxy}/signin`)) statuses.push(response.status());
    });
    await evil.evaluate(
      (url) => {
        const target = new URL(url);
        const form = document.createElement('form');
        form.action = `${target.origin}${target.pathname}`;
        form.method = 'get';
        for (const [name, value] of target.searchParams) form.append(Object.assign(document.createElement('input'), { type: 'hidden', name, value }));
        document.body.append(form);
        window.open(url, '_blank');
        form.submit();
      },
      forged(devHost, { login_hint: 'alice' }),
    );
    await expect.poll(() => statuses.length).toBeGreaterThanOrEqual(2);
    expect(statuses.every((status) => status === 403)).toBe(true);
    // The OP was asked nothing, no code was redeemed, and the vault holds what it held.
    expect(opActivity(devHost)).toEqual({ authorizations: 0, tokenPosts: 0 });
    expect(defined(await storedTokens(page, devHost)).accessToken).toBe(accessToken);
  });

  test('a navigation to /signin that no vault started (same-site, so the server lets it through; forged or used ticket): the page refuses it, TV_SIGN_IN_NOT_STARTED, the OP asked nothing', async ({
    page,
    devHost,
  }) => {
    const accessToken = await signedInWithTokens(page, devHost);
    devHost.vault.requestLog.clear();
    // No ticket, then a made-up one: each comes back to the app with the error, nothing asked of the OP.
    for (const url of [forged(devHost), forged(devHost, { ticket: 'A'.repeat(43) })]) await refusedByThePage(page, url);
    expect(opActivity(devHost)).toEqual({ authorizations: 0, tokenPosts: 0 });
    expect(defined(await storedTokens(page, devHost)).accessToken).toBe(accessToken);
  });

  test('the app’s own redirect sign-in carries a one-time ticket: it works once, and its URL replayed starts nothing', async ({ page, context, devHost }) => {
    const starts: string[] = [];
    context.on('request', (request) => {
      if (request.url().startsWith(`${devHost.vault.origins.proxy}/signin`)) starts.push(request.url());
    });
    await signedInWithTokens(page, devHost);
    expect(starts).toHaveLength(1);
    const start = new URL(starts[0]);
    // Only the ticket: what the app chose is kept in the proxy origin, not in the URL.
    expect([...start.searchParams.keys()]).toEqual(['ticket']);
    devHost.vault.requestLog.clear();
    await refusedByThePage(page, start.href);
    expect(opActivity(devHost).authorizations).toBe(0);
  });
});
