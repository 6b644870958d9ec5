// The example's Token Vault configuration, for `npm start` (the dev host on port 8080, which serves
// this example at http://ping-sdk.vault.localhost:8080/ with its own OP client "ping-sdk"). The dev host
// renders the same shape per port for the tests.
import { defineConfig } from '@tokenvault/build';

export default defineConfig({
  // The SDK in the app is the OAuth client (centralized login): its code arrives at the app origin.
  mode: 'drop-in',
  appOrigins: ['http://ping-sdk.vault.localhost:8080'],
  proxyOrigin: 'http://ping-sdk-proxy.vault.localhost:8080',
  issuer: 'http://op.vault.localhost:8080',
  clientId: 'ping-sdk',
  rules: [{ origin: 'http://api.vault.localhost:8080', pathPrefix: '/v1/' }],
  // The SDK's own calls to AM that are not OAuth endpoints: FRUser.logout()'s sessions call (the dev
  // OP has a sample of AM's) and the journeys of embedded login. They go from the page, as without the vault.
  // It revokes its access token without a token_type_hint: a JWT-shaped placeholder names the token
  // (with REDACTED the vault would take the refresh token, and revoking that ends the grant).
  placeholder: 'jwt',
  opPassThrough: ['http://op.vault.localhost:8080/am/json/realms/root/sessions', 'http://op.vault.localhost:8080/am/json/realms/root/authenticate'],
});
