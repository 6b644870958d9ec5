import { describe, expect, test } from 'vitest';
import { ownFlowInPage, redeemElsewhere, type Attempt } from '../e2e/attackFixtures.js';
import { signIn, useWebKit } from './harness.js';

// e2e/dropin-attack.spec.ts in WebKitGTK: the documented limit of drop-in mode. App-origin script
// runs its own prompt=none flow; the code lands on the app origin, where it reads it; a Node script
// redeems it for tokens of its own.
describe('WebKit: drop-in mode', () => {
  const wk = useWebKit();

  test('documented limit (drop-in mode): the attack reads the code on the app origin and a Node script redeems it', async () => {
    const { driver, devHost } = wk;
    const { app, op } = devHost.vault.origins;
    await signIn(wk);
    await driver.manage().setTimeouts({ script: 60_000 });
    const loot = await driver.executeAsyncScript<{ attempts: Attempt[]; received: string[] }>(
      `const done = arguments[arguments.length - 1]; (${ownFlowInPage.toString()})(arguments[0]).then(done, (e) => done({ attempts: [], received: [String(e)] }));`,
      { op, clientId: 'demo', redirectUris: [`${app}/silent-callback.html`], scope: 'openid api' },
    );
    const obtained = await redeemElsewhere(devHost, 'demo', loot);
    expect(obtained.length).toBeGreaterThanOrEqual(1);
    expect(typeof obtained[0].access_token).toBe('string');
    expect(typeof obtained[0].refresh_token).toBe('string');
  }, 90_000);
});
