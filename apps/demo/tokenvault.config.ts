// The demo's Token Vault configuration, for `npm start` (the dev host on port 8080): sealed mode,
// the vault being the OAuth client "sealed". The dev host renders the same shape per port for the
// tests (drop-in, client "demo", for the drop-in page); the nginx test run builds with its own.
import { defineConfig } from '@tokenvault/build';

export default defineConfig({
  appOrigins: ['http://app.vault.localhost:8080'],
  proxyOrigin: 'http://proxy.vault.localhost:8080',
  issuer: 'http://op.vault.localhost:8080',
  mode: 'sealed',
  clientId: 'sealed',
  scope: 'openid profile api',
  rules: [
    // dpop: the API's access tokens are bound to the vault's key (RFC 9449); a proof goes with each call.
    { origin: 'http://api.vault.localhost:8080', pathPrefix: '/v1/', dpop: true },
    // The sample host's API gets the session ID the host page hands the embedded app.
    { origin: 'http://host.localhost:8080', pathPrefix: '/api/', credential: 'host_session' },
  ],
  // The sample host page (another site) embeds the app.
  hostOrigins: ['http://host.localhost:8080'],
});
