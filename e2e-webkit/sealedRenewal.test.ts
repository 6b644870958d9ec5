import { describe, expect, test } from 'vitest';
import { defined } from '@tokenvault/test-support';
import { login, newTab, pageFetch, storedTokens, useWebKit, type WebKitContext } from './harness.js';
import { sealedSignIn, vaultEvents } from './sealedSignIn.js';
import { otherAppAuthorizeUrl } from '../e2e/otherApp.js';

// e2e/sealed-session.spec.ts's renewal and e2e/sealed-user-changed.spec.ts in WebKitGTK: the
// session watch in the proxy frame sees the OP session change hands, renews with prompt=none in a
// child frame of the proxy frame, and keeps the renewal only for the same user.

/** In a new tab, `username` logs in at the OP through another client (the drop-in demo's): the OP session changes hands. */
async function signInElsewhere(wk: WebKitContext, username: string): Promise<void> {
  const { driver, devHost } = wk;
  const { dropIn } = devHost.vault.origins;
  const app = await driver.getWindowHandle();
  await newTab(wk);
  await driver.get(otherAppAuthorizeUrl(devHost));
  await login(driver, username);
  await expect.poll(() => driver.getCurrentUrl(), { timeout: 10_000 }).toMatch(new RegExp(`^${dropIn}/silent-callback.html\\?`));
  await driver.switchTo().window(app);
}

describe('WebKit: the sealed session watch, the same user again', () => {
  const wk = useWebKit({ demo: 'sealed', sessionCheckIntervalMs: 500 });

  test('the same user signs in again at the OP: a prompt=none renewal in the proxy frame, renewed, new tokens in the vault', async () => {
    const { driver, devHost } = wk;
    await sealedSignIn(wk);
    const before = defined(await storedTokens(wk));
    await signInElsewhere(wk, 'alice');
    await expect.poll(() => vaultEvents(wk), { timeout: 20_000 }).toContain('renewed');
    expect(await vaultEvents(wk)).not.toContain('signed-out: session-ended');
    expect(defined(await storedTokens(wk)).accessToken).not.toBe(before.accessToken);
    expect((await pageFetch(driver, `${devHost.vault.origins.api}/v1/profile`)).status).toBe(200);
  });
});

describe('WebKit: the sealed session watch, another user', () => {
  const wk = useWebKit({ demo: 'sealed', opIgnoresIdTokenHint: true, sessionCheckIntervalMs: 500 });

  test('another user signs in at the OP: signed-out with user-changed, nothing of theirs kept, their renewal revoked', async () => {
    const { devHost } = wk;
    await sealedSignIn(wk);
    const bobs: string[] = [];
    devHost.vault.provider.on('refresh_token.saved', (token: { accountId: string; jti: string }) => {
      if (token.accountId === 'bob') bobs.push(token.jti);
    });
    await signInElsewhere(wk, 'bob');
    await expect.poll(() => vaultEvents(wk), { timeout: 20_000 }).toContain('signed-out: user-changed');
    expect(await vaultEvents(wk)).not.toContain('renewed');
    expect(await storedTokens(wk)).toBeNull();
    expect(bobs.length).toBeGreaterThan(0);
    for (const jti of bobs) expect(await devHost.vault.provider.RefreshToken.find(jti)).toBeUndefined();
  });
});
