// The example's Token Vault configuration, for `npm start` (the dev host on port 8080, which serves
// this example at http://oauth4webapi.vault.localhost:8080/ with its own OP client "oauth4webapi"). The dev host
// renders the same shape per port for the tests.
import { defineConfig } from '@tokenvault/build';

export default defineConfig({
  // The library in the app is the OAuth client: its code arrives at the app origin.
  mode: 'drop-in',
  appOrigins: ['http://oauth4webapi.vault.localhost:8080'],
  proxyOrigin: 'http://oauth4webapi-proxy.vault.localhost:8080',
  issuer: 'http://op.vault.localhost:8080',
  clientId: 'oauth4webapi',
  rules: [{ origin: 'http://api.vault.localhost:8080', pathPrefix: '/v1/' }],
});
