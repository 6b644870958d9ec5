import { createHash, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

// What a script outside the browser (Node, holding a token it found somewhere) can do against the
// sample API: real HTTP requests to the dev host's port. Node's resolver does not know *.localhost,
// so it connects to 127.0.0.1 and names the API in the Host header, as curl --resolve would.
// Shared by the Playwright suite (e2e/) and the WebKit suite (e2e-webkit/).

export interface OutsideResponse {
  status: number;
  wwwAuthenticate: string | undefined;
  body: string;
}

/** A GET to the sample API from this Node process, with the headers given. */
export function outsideApiRequest(devHost: FastifyInstance, path: string, headers: Record<string, string>): Promise<OutsideResponse> {
  const api = new URL(devHost.vault.origins.api);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: Number(api.port), path, method: 'GET', headers: { ...headers, host: api.host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, wwwAuthenticate: res.headers['www-authenticate'], body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** A well-formed DPoP proof for `url` and `accessToken`, signed by a key of this Node process (not the vault's). */
export async function outsideProof(url: string, accessToken: string, method = 'GET'): Promise<string> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return new SignJWT({
    jti: randomUUID(),
    htm: method,
    htu: url.split('?')[0],
    iat: Math.floor(Date.now() / 1000),
    ath: createHash('sha256').update(accessToken).digest('base64url'),
  })
    .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: await exportJWK(publicKey) })
    .sign(privateKey);
}
