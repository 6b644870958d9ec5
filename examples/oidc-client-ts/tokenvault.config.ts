// The example's Token Vault configuration, for `npm start` (the dev host on port 8080, which serves
// this example at http://oidc-client-ts.vault.localhost:8080/ with its own OP client "oidc-client-ts"). The dev host
// renders the same shape per port for the tests.
import { defineConfig } from '@tokenvault/build';

export default defineConfig({
  // The library in the app is the OAuth client: its code arrives at the app origin.
  mode: 'drop-in',
  appOrigins: ['http://oidc-client-ts.vault.localhost:8080'],
  proxyOrigin: 'http://oidc-client-ts-proxy.vault.localhost:8080',
  issuer: 'http://op.vault.localhost:8080',
  clientId: 'oidc-client-ts',
  // With JWT access tokens for the API (PER_API=1 npm start), name it: the API gets its own token,
  // and userinfo (loadUserInfo) the OP's (docs/one-token-per-api.md):
  // rules: [{ origin: 'http://api.vault.localhost:8080', pathPrefix: '/v1/', resource: 'http://api.vault.localhost:8080/' }],
  rules: [{ origin: 'http://api.vault.localhost:8080', pathPrefix: '/v1/' }],
});
