import type { FastifyInstance } from 'fastify';
import { appOriginDump, authorizationHash, expect, jwtClaims, pageFetch, storedTokens, test, ENGINE_NEUTRAL } from './fixtures.js';
import { apiTokens, audiences, profile } from './perApiFixtures.js';
import { sealedSignIn } from './sealedFixtures.js';
import { defined } from '@tokenvault/test-support';

// A rule's `scope` (docs/one-token-per-api.md): the scope an API's token is asked with on the
// refresh grant. The dev host's perApi setup with `perApiScope`: the first sample API's rule is
// `{ origin: api, pathPrefix: '/v1/', resource: <api>, scope: 'api' }`. The OP (oidc-provider)
// sees the refresh grant's parameters; the API echoes the token's scope and audience claims.
// (oidc-provider chooses the API by resource: a rule naming its API by scope alone gets the token
// of whichever granted API has that scope, so the dev host's rule keeps its resource beside it.)
const RULE_SCOPE = 'api';
test.use({ devHostOptions: { demo: 'sealed', perApi: true, perApiScope: RULE_SCOPE, dpop: false } });
test.describe.configure({ timeout: 120_000 });

/** The refresh grants the OP issued tokens on from now on: the resource and scope each asked for ('' for none). */
function refreshesSeen(devHost: FastifyInstance): { resource: string; scope: string }[] {
  const seen: { resource: string; scope: string }[] = [];
  devHost.vault.provider.on('grant.success', (ctx) => {
    const params = ctx.oidc.params ?? {};
    if (params.grant_type !== 'refresh_token') return;
    seen.push({ resource: typeof params.resource === 'string' ? params.resource : '', scope: typeof params.scope === 'string' ? params.scope : '' });
  });
  return seen;
}

test.describe("a rule's scope (one token per API)", () => {
  test("the API's token is asked with the rule's scope, and is what the API gets", { tag: ENGINE_NEUTRAL }, async ({ page, devHost }) => {
    await sealedSignIn(page, devHost);
    const aud = audiences(devHost);
    const refreshes = refreshesSeen(devHost);
    const own = defined(await storedTokens(page, devHost));
    // The sign-in's own token has the sign-in's wider scope.
    expect(own.scope?.split(' ')).toEqual(expect.arrayContaining(['openid', 'profile', RULE_SCOPE]));

    const answer = await pageFetch(page, profile(devHost, 'api'));
    expect(answer.status).toBe(200);
    // The OP was asked for the API's token with the rule's scope, beside its resource.
    expect(refreshes).toEqual([{ resource: aud.api, scope: RULE_SCOPE }]);
    // The API saw a token for it alone, with that scope alone.
    expect(JSON.parse(answer.text)).toMatchObject({ sub: 'alice', aud: aud.api, scope: RULE_SCOPE });
    // It is the token of the API's own slot, sent by the proxy, not the sign-in's.
    const slot = defined((await apiTokens(page, devHost))[aud.api]).accessToken;
    expect(slot).not.toBe(own.accessToken);
    expect(jwtClaims(slot)).toMatchObject({ aud: aud.api, scope: RULE_SCOPE });
    const sent = devHost.vault.requestLog
      .find('api', '/v1/profile')
      .filter((entry) => entry.method === 'GET')
      .map((entry) => ({ origin: entry.headers.origin, authorization: entry.authorization?.sha256 }));
    expect(sent).toEqual([{ origin: devHost.vault.origins.proxy, authorization: authorizationHash(`Bearer ${slot}`) }]);

    // A second request reuses the slot: no new grant.
    expect((await pageFetch(page, profile(devHost, 'api'))).status).toBe(200);
    expect(refreshes).toHaveLength(1);
  });

  test("the app origin never sees the API's token", async ({ page, context, devHost }) => {
    await sealedSignIn(page, devHost);
    const aud = audiences(devHost);
    const answer = await pageFetch(page, profile(devHost, 'api'));
    expect(JSON.parse(answer.text)).toMatchObject({ aud: aud.api, scope: RULE_SCOPE });
    const slot = defined((await apiTokens(page, devHost))[aud.api]).accessToken;
    // Not in what the app's fetch got back (headers included), nor anywhere the app origin keeps
    // things (storage, IndexedDB, caches, cookies), nor on the app's window.
    expect(JSON.stringify(answer)).not.toContain(slot);
    const dump = await appOriginDump(page, context);
    expect(dump.length).toBeGreaterThan(0);
    expect(dump).not.toContain(slot);
    const status = await page.evaluate(() => window.sealedDemo.vault.status());
    expect(status.apis.map((api) => api.api)).toContain(aud.api);
    expect(JSON.stringify(status)).not.toContain(slot);
    expect(await page.evaluate(() => document.documentElement.outerHTML)).not.toContain(slot);
  });
});
