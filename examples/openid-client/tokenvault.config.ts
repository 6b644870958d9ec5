// The example's Token Vault configuration, for `npm start` (the dev host on port 8080, which serves
// this example at http://openid-client.vault.localhost:8080/ with its own OP client "openid-client"). The dev host
// renders the same shape per port for the tests.
import { defineConfig } from '@tokenvault/build';

export default defineConfig({
  // The library in the app is the OAuth client: its code arrives at the app origin.
  mode: 'drop-in',
  appOrigins: ['http://openid-client.vault.localhost:8080'],
  proxyOrigin: 'http://openid-client-proxy.vault.localhost:8080',
  issuer: 'http://op.vault.localhost:8080',
  clientId: 'openid-client',
  rules: [{ origin: 'http://api.vault.localhost:8080', pathPrefix: '/v1/' }],
});
