import { expect, pageFetch, proxyFrame, sessionEvents, signIn, storedTokens } from './fixtures.js';
import { test } from './crossSiteOp.js';

// Drop-in mode against an OP on another site (the dev host's opSite 'other', as OP_SITE=other npm
// start), each engine's cookie defaults as shipped (e2e/crossSiteOp.ts), Firefox without a
// storage-access grant: the app's SessionMonitor's frames cannot see the OP's cookies. The monitor
// must tell that from a sign-out (it asks the OP about the grant with a refresh through the vault),
// stop, raise `unwatchable` with its reason, and leave the vault signed in. The sealed mode's case:
// op-other-site.spec.ts.
test.use({ devHostOptions: { demo: 'drop-in', opSite: 'other' }, storageAccessHeuristics: false });

test('drop-in, OP on another site: the monitor raises unwatchable (op-cookies-not-visible); the tokens stay, the API answers 200', async ({ page, devHost }) => {
  test.setTimeout(90_000);
  await signIn(page, devHost);
  await expect.poll(() => sessionEvents(page), { timeout: 20_000 }).toContain('unwatchable: op-cookies-not-visible');
  const events = await sessionEvents(page);
  expect(events.filter((event) => event.startsWith('signedOut'))).toEqual([]);
  expect(events).not.toContain('unchanged');
  // Stopped: no check frame left on the app page, the vault still signed in.
  expect(page.frames().some((frame) => frame.url().startsWith(`${devHost.vault.origins.op}/`))).toBe(false);
  expect(proxyFrame(page, devHost)).toBeTruthy();
  expect(await storedTokens(page, devHost)).not.toBeNull();
  expect((await pageFetch(page, `${devHost.vault.origins.api}/v1/profile`)).status).toBe(200);
});
