import { expect, openApp, storedTokens, test } from './fixtures.js';
import { sealedSignIn, vaultEvents } from './sealedFixtures.js';

// Sealed mode: a sign-in in one tab is news for every tab of the app (the docs promise `signed-in`
// to each). The tab that signs in goes through the redirect flow; the proxy page that redeems the
// code tells the other tabs' proxy frames over the proxy origin's BroadcastChannel (vaultChannel),
// and each tells its app. WebKit: e2e-webkit/sealed.test.ts (its two-tab cases).
test.use({ devHostOptions: { demo: 'sealed' } });

test('a sign-in in one tab: the other tab’s app gets signed-in and shows the user', async ({ page, context, devHost }) => {
  const other = await context.newPage();
  await openApp(other, devHost);
  await expect(other.locator('#user')).toHaveText('signed out');
  expect(await vaultEvents(other)).not.toContain('signed-in');

  await sealedSignIn(page, devHost);

  await expect.poll(() => vaultEvents(other)).toContain('signed-in');
  await expect(other.locator('#user')).toHaveText('alice');
  expect(await storedTokens(other, devHost)).not.toBeNull();
  // Its own session watch started with the news: the OP's check frame is under its proxy frame.
  await expect.poll(() => other.frames().some((frame) => frame.url().startsWith(`${devHost.vault.origins.op}/session/check`))).toBe(true);
});
