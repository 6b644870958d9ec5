import { apiCalls, expect, pageFetch, signIn, test } from './fixtures.js';

// Issue 21, on a rule limited to some methods (here the sample API's /v1/ to GET and POST): a
// method-override header or a `_method` field would make the API act as DELETE with the vault's
// credential. Headers are stripped; a `_method` field is refused (TV_INVALID_REQUEST: the vault
// never rewrites a body), and the API sees nothing of that request.

test.use({ devHostOptions: { apiMethods: ['GET', 'POST'] } });

test.describe('method overrides from app script on a method-limited rule', () => {
  test('method-override headers are stripped: the API sees a plain GET', async ({ page, devHost }) => {
    await signIn(page, devHost);
    const headers = { 'X-HTTP-Method-Override': 'DELETE', 'X-HTTP-Method': 'DELETE', 'X-Method-Override': 'DELETE' };
    expect((await pageFetch(page, `${devHost.vault.origins.api}/v1/profile`, { headers })).status).toBe(200);
    expect(apiCalls(devHost, '/v1/profile')).toHaveLength(1);
    const [call] = apiCalls(devHost, '/v1/profile');
    expect(call.method).toBe('GET');
    expect(call.authorization).not.toBeNull();
    expect(Object.keys(call.headers).filter((name) => name.includes('method'))).toEqual([]);
  });

  test('a _method field (form, JSON, query) is refused TV_INVALID_REQUEST and never reaches the API; without one the POST goes through', async ({ page, devHost }) => {
    await signIn(page, devHost);
    const { api } = devHost.vault.origins;
    const answers = await page.evaluate(async (api) => {
      const post = async (url: string, type: string, body: string) => {
        const response = await fetch(url, { method: 'POST', headers: { authorization: 'Bearer REDACTED', 'content-type': type }, body });
        return { status: response.status, text: await response.text() };
      };
      return [
        await post(`${api}/v1/echo`, 'application/x-www-form-urlencoded', '_method=DELETE'),
        await post(`${api}/v1/echo`, 'application/json', '{"_method":"DELETE"}'),
        await post(`${api}/v1/echo?_method=DELETE`, 'text/plain', 'x'),
        await post(`${api}/v1/echo`, 'application/x-www-form-urlencoded', 'name=alice'),
      ];
    }, api);
    for (const refused of answers.slice(0, 3)) {
      expect(refused.status).toBe(400);
      expect(JSON.parse(refused.text)).toMatchObject({ error: 'TV_INVALID_REQUEST' });
    }
    expect(answers[3]?.status).toBe(200);
    expect(apiCalls(devHost, '/v1/echo').map((call) => call.method)).toEqual(['POST']);
  });
});
