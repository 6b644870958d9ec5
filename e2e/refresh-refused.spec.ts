import { expect, pageFetch, signIn, storedTokens, test, tokenRequests } from './fixtures.js';
import { appRefreshGrant } from './refreshGrant.js';

// Issue 21: a refresh grant without client_id, sent by app script through the worker, got
// `400 invalid_request` from the OP and the vault signed the user out. Only the OP saying the grant
// is dead (`invalid_grant`) may cost the session; in sealed mode the app sends no refresh grant at all.

test.describe('a malformed refresh grant from app script', () => {
  test('drop-in: the OP answers invalid_request, the app gets it, and the user stays signed in', async ({ page, devHost }) => {
    await signIn(page, devHost);
    const before = await storedTokens(page, devHost);
    const grants = tokenRequests(devHost);

    const answer = await appRefreshGrant(page, devHost);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ error: 'invalid_request' });
    // The request did reach the OP (this is the OP's refusal, not the vault's).
    expect(tokenRequests(devHost)).toBe(grants + 1);

    expect(await storedTokens(page, devHost)).toEqual(before);
    await expect(page.locator('#events')).not.toContainText('signed-out');
    expect((await pageFetch(page, `${devHost.vault.origins.api}/v1/profile`)).status).toBe(200);
  });
});
