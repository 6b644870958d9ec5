import { expect, openApp, storedTokens, test } from './fixtures.js';
import { sealedSignIn, signInElsewhere, vaultEvents } from './sealedFixtures.js';

// Sealed mode: another user signs in at the OP. Under an OP that answers a prompt=none request for
// whoever is signed in (it ignores id_token_hint, as OpenID Connect Core allows), the watch's
// renewal brings a code for that other user: the ID token check finds another `sub`, nothing of it
// is kept (its tokens are revoked), and the vault signs out with the reason the watch decided,
// `user-changed`, in every tab.
// (The dev OP by default refuses another user for the hint, `login_required`: `session-ended`, see
// sealed-session.spec.ts.)
test.use({ devHostOptions: { demo: 'sealed', opIgnoresIdTokenHint: true } });

test('another user signs in at the OP: every tab’s app gets signed-out with user-changed, nothing of theirs kept', async ({ page, context, devHost }) => {
  // A sign-in, a second tab, another user's login at the OP: more than the suite's 45 s on a loaded machine.
  test.setTimeout(120_000);
  // The pages' clock (every tab's): the watches are held while Bob logs in at the OP. A check in the
  // middle of that login may find the OP between two sessions (its prompt=none answered
  // login_required: signed-out with session-ended, measured once in Firefox).
  await page.clock.install();
  await sealedSignIn(page, devHost);
  const second = await context.newPage();
  await openApp(second, devHost);
  await expect(second.locator('#user')).toHaveText('alice');
  await expect.poll(() => page.frames().some((frame) => frame.url().startsWith(`${devHost.vault.origins.op}/session/check`))).toBe(true);

  // Every refresh token the OP issues to Bob for this client: only the watch's renewal gets one.
  const bobs: string[] = [];
  devHost.vault.provider.on('refresh_token.saved', (token: { accountId: string; jti: string }) => {
    if (token.accountId === 'bob') bobs.push(token.jti);
  });
  await page.clock.pauseAt(await page.evaluate(() => Date.now() + 2000));
  await signInElsewhere(context, devHost, 'bob');
  // Every tab's watch asks again within its interval, the OP now Bob's.
  await page.clock.resume();

  for (const tab of [page, second]) {
    await expect.poll(() => vaultEvents(tab), { timeout: 20_000 }).toContain('signed-out: user-changed');
    expect(await vaultEvents(tab)).not.toContain('signed-out: session-ended');
    expect(await vaultEvents(tab)).not.toContain('renewed');
    await expect(tab.locator('#user')).toHaveText('signed out');
  }
  // Bob's tokens were redeemed and checked, never kept, and revoked: the OP holds none of the
  // renewal's refresh tokens any more (else they would stay valid, held by nobody). Alice's are gone.
  expect(await storedTokens(page, devHost)).toBeNull();
  expect(bobs.length).toBeGreaterThan(0);
  for (const jti of bobs) expect(await devHost.vault.provider.RefreshToken.find(jti)).toBeUndefined();
});
