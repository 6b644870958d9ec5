import type { Request } from '@playwright/test';
import { expect, storedTokens, test } from './fixtures.js';
import { redeemElsewhere, runOwnFlowInAppOrigin } from './attackFixtures.js';
import { sealedSignIn, vaultEvents } from './sealedFixtures.js';
import { defined } from './defined.js';

// Script in the app origin (an XSS, a compromised dependency) ignores the vault and runs an
// authorization request of its own, then hands whatever it could read to a server of its own,
// which redeems it (no CORS outside a browser). RFC 10017 §5.1.3.

test.use({ devHostOptions: { demo: 'sealed' } });

test.describe('sealed mode', () => {
  test('the attack: app-origin script runs its own prompt=none flow with every redirect URI the OP accepts; a Node script redeems what it read: no token', async ({
    page,
    context,
    devHost,
  }) => {
    // Ten authorization requests of 2.5 s each.
    test.setTimeout(120_000);
    const { app, proxy, op } = devHost.vault.origins;
    await sealedSignIn(page, devHost);
    const before = await storedTokens(page, devHost);
    // What the OP really answered (seen by the test, not by the attacker): codes it issued, and where to.
    const codesIssued: string[] = [];
    context.on('request', (request: Request) => {
      const url = new URL(request.url());
      if (url.searchParams.has('code') && url.searchParams.get('state') === 'attacker') codesIssued.push(url.origin + url.pathname);
    });
    // The sealed client's redirect URIs (the proxy's), and the app's pages, which the OP refuses for it.
    const redirectUris = [`${proxy}/callback`, `${proxy}/silent-callback`, `${app}/callback`, `${app}/silent-callback.html`, `${app}/`];
    const loot = await runOwnFlowInAppOrigin(page, { op, clientId: 'sealed', redirectUris, scope: 'openid profile api' });

    // The OP did answer prompt=none with codes (the attack is real), only ever to the proxy origin.
    expect(codesIssued.length).toBeGreaterThanOrEqual(2);
    expect(new Set(codesIssued.map((uri) => new URL(uri).origin))).toEqual(new Set([proxy]));
    // Where the answers landed, the attacker's script could read nothing.
    const readable = loot.attempts.flatMap((attempt) => attempt.read).filter((href) => href.includes('code='));
    expect(readable).toEqual([]);
    expect(loot.received.filter((message) => /code|token|verifier/i.test(message))).toEqual([]);
    // And the attacker's server, holding everything the app origin could read, obtains no token.
    expect(await redeemElsewhere(devHost, 'sealed', loot)).toEqual([]);
    // The codes that reached the proxy were refused there (unknown state), nothing stored.
    expect(defined(await storedTokens(page, devHost)).accessToken).toBe(defined(before).accessToken);
    expect(await vaultEvents(page)).toContain('error: TV_INVALID_STATE');
  });
});
