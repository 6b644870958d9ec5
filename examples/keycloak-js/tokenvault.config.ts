// The example's Token Vault configuration, for `npm start` (the dev host on port 8080, which serves
// this example at http://keycloak-js.vault.localhost:8080/ with its own OP client "keycloak-js"). The dev host
// renders the same shape per port for the tests.
import { defineConfig } from '@tokenvault/build';

export default defineConfig({
  // The library in the app is the OAuth client: its code arrives at the app origin.
  mode: 'drop-in',
  appOrigins: ['http://keycloak-js.vault.localhost:8080'],
  proxyOrigin: 'http://keycloak-js-proxy.vault.localhost:8080',
  issuer: 'http://op.vault.localhost:8080',
  clientId: 'keycloak-js',
  rules: [{ origin: 'http://api.vault.localhost:8080', pathPrefix: '/v1/' }],
  // keycloak-js decodes the access and the refresh token: JWT-shaped placeholders, which verify nowhere.
  placeholder: 'jwt',
});
