import type { FastifyInstance } from 'fastify';
import { sha256 } from '@tokenvault/dev-host';

// What a test asks the dev host about, in process: shared by the Playwright suite (e2e/) and the
// WebKit suite (e2e-webkit/).

/** The SHA-256 the dev host's request log keeps for an Authorization header value. */
export function authorizationHash(value: string): string {
  return sha256(value);
}

/** A request to the OP made by the test itself, in process (Node's resolver does not know *.localhost). */
export async function opForm(devHost: FastifyInstance, path: string, form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await devHost.inject({
    method: 'POST',
    url: path,
    headers: { host: new URL(devHost.vault.origins.op).host, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(form).toString(),
  });
  return { status: response.statusCode, body: response.body ? (JSON.parse(response.body) as Record<string, unknown>) : {} };
}

/** The claims of a JWT, without verifying it (the tests only need the jti). */
export function jwtClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The POST requests that reached the OP's token endpoint (code redemptions and refreshes). */
export function tokenRequests(devHost: FastifyInstance): number {
  return devHost.vault.requestLog.find('op', '/token').filter((entry) => entry.method === 'POST' && entry.path === '/token').length;
}

/** The requests (preflights left out) that reached a path of the sample API. */
export function apiCalls(devHost: FastifyInstance, path: string): ReturnType<FastifyInstance['vault']['requestLog']['find']> {
  return devHost.vault.requestLog.find('api', path).filter((entry) => entry.method !== 'OPTIONS');
}

/** The Authorization headers (their SHA-256, as the request log keeps them) of the GETs that reached `/v1/profile` of a sample API, in order. */
export function profileAuthorizations(devHost: FastifyInstance, name: 'api' | 'api2'): (string | undefined)[] {
  return devHost.vault.requestLog
    .find(name, '/v1/profile')
    .filter((entry) => entry.method === 'GET')
    .map((entry) => entry.authorization?.sha256);
}

/**
 * What `vault.logout()` reports of its revocations against the dev OP after a sign-in and a call to
 * each of its two APIs with their own tokens (`perApi: true`): oidc-provider revokes the refresh
 * token (and its grant) and the opaque access token, and refuses to revoke a JWT (400, RFC 7009
 * §2.2.1), which each API's token is; the app is told so, per API.
 */
export function perApiLogoutRevocations(devHost: FastifyInstance): unknown[] {
  const { api, api2 } = devHost.vault.origins;
  return [
    { token: 'refresh_token', status: 200 },
    { token: 'access_token', status: 200 },
    { token: 'access_token', api: `${api}/`, status: 400 },
    { token: 'access_token', api: `${api2}/`, status: 400 },
  ];
}
