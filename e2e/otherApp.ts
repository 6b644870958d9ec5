import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

// Shared by the Playwright suite (e2e/) and the WebKit suite (e2e-webkit/).

/**
 * An authorization request straight at the OP, as another app of the same OP would make it: the
 * drop-in demo's client on its own origin, `prompt=login`, so that a login there makes the OP
 * session change hands.
 */
export function otherAppAuthorizeUrl(devHost: FastifyInstance): string {
  const { op, dropIn } = devHost.vault.origins;
  const url = new URL(`${op}/auth`);
  url.search = new URLSearchParams({
    client_id: 'demo',
    redirect_uri: `${dropIn}/silent-callback.html`,
    response_type: 'code',
    scope: 'openid',
    prompt: 'login',
    code_challenge: createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url'),
    code_challenge_method: 'S256',
    state: 'elsewhere',
  }).toString();
  return url.href;
}
