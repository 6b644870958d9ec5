import { expect, signIn, test } from './fixtures.js';
import { redeemElsewhere, runOwnFlowInAppOrigin } from './attackFixtures.js';

// The attack of sealed-attack.spec.ts against drop-in mode (the drop-in demo, oauth4webapi in the
// app, client "demo" with redirect URIs on the app origin): there it succeeds. This test passes by
// showing the exposure; it is the limit the README's threat model documents for drop-in mode.

test.describe('drop-in mode', () => {
  test('documented limit (drop-in mode): the same attack reads the code on the app origin and a Node script redeems it for tokens of its own', async ({ page, devHost }) => {
    const { app, op } = devHost.vault.origins;
    await signIn(page, devHost);
    const loot = await runOwnFlowInAppOrigin(page, { op, clientId: 'demo', redirectUris: [`${app}/silent-callback.html`, `${app}/callback`], scope: 'openid api' });
    const obtained = await redeemElsewhere(devHost, 'demo', loot);
    // The exposure the README's threat model states for drop-in mode: the attacker has its own session.
    expect(obtained.length).toBeGreaterThanOrEqual(1);
    expect(obtained[0]).toMatchObject({ token_type: 'Bearer' });
    expect(typeof obtained[0].access_token).toBe('string');
    expect(typeof obtained[0].refresh_token).toBe('string');
  });
});
