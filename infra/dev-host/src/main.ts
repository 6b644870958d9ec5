#!/usr/bin/env node
import { build } from './build.js';
import { USERS } from './origins/op.js';

const port = Number(process.env.PORT ?? 8080);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`PORT must be a port number, got ${JSON.stringify(process.env.PORT)}`);
  process.exit(2);
}

// APP_ORIGIN / PROXY_ORIGIN: the app and its proxy are served elsewhere (your Vite dev server,
// nginx); the OP and the API are set up for them. See the README's quick start.
// DEMO=drop-in: the drop-in demo (oauth4webapi in the app) instead of the sealed one.
const demo = process.env.DEMO ?? 'sealed';
if (demo !== 'sealed' && demo !== 'drop-in') {
  console.error(`DEMO must be sealed or drop-in, got ${JSON.stringify(demo)}`);
  process.exit(2);
}
// OP_SITE=other: the OP on another site (login.idp.localhost), as real OPs live (README, session monitoring).
const opSite = process.env.OP_SITE ?? 'same';
if (opSite !== 'same' && opSite !== 'other') {
  console.error(`OP_SITE must be same or other, got ${JSON.stringify(opSite)}`);
  process.exit(2);
}
let app;
try {
  app = await build({
    port,
    demo,
    opSite,
    logger: process.env.TOKENVAULT_LOG !== '0',
    ...(process.env.APP_ORIGIN ? { appOrigin: process.env.APP_ORIGIN } : {}),
    ...(process.env.PROXY_ORIGIN ? { proxyOrigin: process.env.PROXY_ORIGIN } : {}),
    // OP_CORS=proxy-only: the OP answers CORS to the proxy origins only, for every endpoint (README, CORS).
    ...(process.env.OP_CORS === 'proxy-only' ? { opCors: 'proxy-only' as const } : {}),
    // OP_COOP=1: the OP's pages send Cross-Origin-Opener-Policy: same-origin (docs/sign-in-modes.md).
    ...(process.env.OP_COOP === '1' ? { opCoop: true } : {}),
    // PER_API=1: one token per API (RFC 8707): a second sample API, each with its own audience (docs/one-token-per-api.md).
    ...(process.env.PER_API === '1' ? { perApi: true } : {}),
  });
} catch (err) {
  console.error(`Cannot start the dev host: ${(err as Error).message}`);
  process.exit(2);
}
try {
  // "localhost" listens on every loopback address it resolves to (127.0.0.1 and ::1).
  await app.listen({ port, host: 'localhost' });
} catch (err) {
  console.error(`Cannot listen on port ${port}: ${(err as Error).message}. Set PORT to use another one.`);
  process.exit(1);
}
const { origins } = app.vault;
const users = Object.entries(USERS)
  .map(([name, user]) => `${name} / ${user.password}`)
  .join(', ');
process.stdout.write(`
Token Vault dev host is running.

  ${(process.env.APP_ORIGIN ? 'Your app:' : 'Open the demo app:').padEnd(20)} ${origins.app}/${process.env.APP_ORIGIN ? ' (served by you)' : ''}
  Sign-in mode:        ${demo}${demo === 'sealed' ? ' (DEMO=drop-in npm start for the drop-in demo)' : ''}
  Proxy origin:        ${origins.proxy}/
  OpenID Provider:     ${origins.op}/.well-known/openid-configuration${opSite === 'other' ? ' (another site: OP_SITE=other)' : ''}
  Sample API:          ${origins.api}/v1/profile (through the vault only)
  Second sample API:   ${origins.api2}/v1/profile (its own token with PER_API=1 npm start)
  Sample host page:    ${origins.host}/ (embeds the app and hands it a session ID)
  Examples:            ${app.vault.examples.map((example) => `${example.app}/`).join('\n                       ')}

  Demo users: ${users}
  (Chromium resolves *.localhost by itself; for other browsers see the README.)
  Stop with Ctrl+C.

`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}
