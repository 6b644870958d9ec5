import { apiCalls, expect, pageFetch, signIn, test } from './fixtures.js';

// Issue 21: routing-override headers reached the API with the credential. Behind a server that
// honours them (IIS, Symfony, many reverse proxies), `GET /v1/profile` with `X-Original-URL:
// /admin/` is a request to /admin/ with the vault's token: outside the rule's path prefix. App
// script sends them through the worker; the sample API's CORS admits them (as an API allowing any
// header would), and its request log says what arrived.

const ROUTING = {
  'X-Original-URL': '/admin/delete-everything',
  'X-Rewrite-URL': '/admin/',
  'X-Original-URI': '/admin/',
  'X-Forwarded-Uri': '/admin/',
  'X-Forwarded-Prefix': '/admin',
  'X-Forwarded-Path': '/admin/',
  'X-Forwarded-Host': 'internal.vault.localhost',
  'X-Forwarded-Proto': 'https',
  'X-Forwarded-Port': '8443',
  'X-Host': 'internal.vault.localhost',
  Forwarded: 'host=internal.vault.localhost;proto=https',
};

test.describe('routing-override headers from app script', () => {
  test('are stripped on the way to the API (the request log sees none); the request itself goes through with its credential', async ({ page, devHost }) => {
    await signIn(page, devHost);
    const response = await pageFetch(page, `${devHost.vault.origins.api}/v1/profile`, { headers: ROUTING });
    expect(response.status).toBe(200);
    expect(apiCalls(devHost, '/v1/profile')).toHaveLength(1);
    const [call] = apiCalls(devHost, '/v1/profile');
    expect(call.authorization?.scheme).toBe('DPoP');
    const arrived = Object.keys(call.headers).filter((name) => Object.keys(ROUTING).some((sent) => sent.toLowerCase() === name));
    expect(arrived).toEqual([]);
  });
});
