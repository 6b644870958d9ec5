import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { VaultError } from '@tokenvault/protocol';
import { loadConfig } from './loadConfig.js';
import { renderNginxSite } from './renderNginxSite.js';
import { renderAppPage } from './renderPages.js';
import { appPageHeaders, proxyAssetHeaders, proxyFlowPageHeaders, proxyPageHeaders, workerScriptHeaders, type HeaderMap } from './securityHeaders.js';
import type { ResolvedTokenVaultConfig } from './resolveConfig.js';
import { writeProxyOrigin, writeWorker } from './writeBuild.js';

/** The `tokenvault` command's help text (`tokenvault --help`). */
export const USAGE = `Usage: tokenvault <command> [options]

Commands:
  build     write the app's worker into its build, and the proxy origin's files next to it
  check     validate the configuration and show what it resolves to
  headers   print the response headers each origin must send
  nginx     print an nginx configuration serving the app and the proxy as two origins

Options:
  --config <file>          the configuration (default: tokenvault.config.ts, .mts, .js, .mjs
                           or .json in the working directory)
  --out-dir <dir>          the app's build directory; the worker goes in it (default: dist)
  --proxy-out-dir <dir>    the proxy origin's files (default: <out-dir>-proxy)
  --html <file>            build: a page of the app to write the app's configuration block
                           into, in place (repeat for several pages)
  --app-root <dir>         nginx: where the app's files are on the server (default: --out-dir)
  --proxy-root <dir>       nginx: where the proxy's files are (default: --proxy-out-dir)
  --listen <param>         nginx: a listen parameter for both origins (repeatable;
                           default: each origin's own port)
  --ssl-certificate <file>, --ssl-certificate-key <file>
                           nginx: for https origins
  -h, --help               this text
`;

/** Where {@link runCli} runs and writes: injectable, so that tests need no process. */
export interface CliIo {
  /** The directory relative paths and the config file are resolved from. */
  cwd: string;
  /** Standard output. */
  out: (text: string) => void;
  /** Standard error. */
  err: (text: string) => void;
}

const defaultIo: CliIo = { cwd: process.cwd(), out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) };

/** What to register at the OP: in sealed mode the proxy origin's redirect URIs and nothing else. */
function redirectUrisNote(config: ResolvedTokenVaultConfig): string {
  if (config.mode === 'sealed') {
    return (
      `Register at the OP for client ${config.proxy.clientId} ONLY these redirect URIs (sealed mode):\n` +
      config.redirectUris.map((uri) => `  ${uri}`).join('\n') +
      `\n  No redirect URI on an app origin: script there could read its code and redeem it elsewhere.\n`
    );
  }
  return `Drop-in mode: the app's OIDC client library receives the code on its own redirect URI${config.redirectUris.length ? ` (${config.redirectUris.join(', ')})` : ''}; script in the app origin can run a flow of its own (see the README's threat model).\n`;
}

function formatHeaders(title: string, headers: HeaderMap): string {
  return `${title}\n${Object.entries(headers)
    .map(([name, value]) => `  ${name}: ${value}`)
    .join('\n')}\n`;
}

/**
 * The `tokenvault` command. Returns the exit code: 0 done, 1 the configuration or the build failed
 * (the message names the field and the fix), 2 wrong usage.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2))
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        'out-dir': { type: 'string', default: 'dist' },
        'proxy-out-dir': { type: 'string' },
        html: { type: 'string', multiple: true },
        'app-root': { type: 'string' },
        'proxy-root': { type: 'string' },
        listen: { type: 'string', multiple: true },
        'ssl-certificate': { type: 'string' },
        'ssl-certificate-key': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    io.err(`tokenvault: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (!command || !['build', 'check', 'headers', 'nginx'].includes(command) || rest.length > 0) {
    io.err(`tokenvault: ${command ? `unknown command ${JSON.stringify([command, ...rest].join(' '))}` : 'no command given'}\n\n${USAGE}`);
    return 2;
  }

  try {
    const { file, config } = await loadConfig({ root: io.cwd, ...(values.config ? { file: values.config } : {}) });
    const outDir = resolve(io.cwd, values['out-dir']);
    const proxyOutDir = values['proxy-out-dir'] ? resolve(io.cwd, values['proxy-out-dir']) : join(dirname(outDir), `${basename(outDir)}-proxy`);
    switch (command) {
      case 'check':
        io.out(
          `${basename(file)} is valid.\n` +
            `  app origins:   ${config.appOrigins.join(', ')}\n` +
            `  proxy origin:  ${config.proxyOrigin}\n` +
            `  issuer:        ${config.proxy.issuer} (client ${config.proxy.clientId})\n` +
            `  worker:        ${config.serviceWorker.path} (scope ${config.serviceWorker.scope})\n` +
            `  rules:\n${config.proxy.rules.map((rule) => `    ${rule.origin}${rule.pathPrefix ?? '/'} ${rule.methods?.join(',') ?? 'any method'} → ${rule.credential ?? 'access_token'}`).join('\n')}\n`,
        );
        return 0;
      case 'headers':
        io.out(
          [
            formatHeaders(`${config.appOrigins.join(', ')} — the app's pages`, appPageHeaders(config)),
            formatHeaders(`${config.appOrigins.join(', ')} — ${config.serviceWorker.path}`, workerScriptHeaders(config)),
            formatHeaders(`${config.proxyOrigin}/ — the proxy page`, proxyPageHeaders(config)),
            formatHeaders(`${config.proxyOrigin}/assets/*`, proxyAssetHeaders()),
            ...(config.mode === 'sealed'
              ? [
                  formatHeaders(
                    `${config.proxyOrigin}/signin, /callback — the sealed sign-in's pages (the proxy page's HTML); /silent-callback (silent-callback.html, a page that runs nothing)`,
                    proxyFlowPageHeaders(config),
                  ),
                ]
              : []),
            redirectUrisNote(config),
          ].join('\n'),
        );
        return 0;
      case 'nginx':
        io.out(
          renderNginxSite(config, {
            appRoot: resolve(io.cwd, values['app-root'] ?? outDir),
            proxyRoot: resolve(io.cwd, values['proxy-root'] ?? proxyOutDir),
            ...(values.listen ? { listen: values.listen } : {}),
            ...(values['ssl-certificate'] ? { sslCertificate: values['ssl-certificate'] } : {}),
            ...(values['ssl-certificate-key'] ? { sslCertificateKey: values['ssl-certificate-key'] } : {}),
          }),
        );
        return 0;
      default: {
        const worker = writeWorker(config, outDir);
        for (const page of values.html ?? []) {
          const path = resolve(io.cwd, page);
          writeFileSync(path, renderAppPage(config, readFileSync(path, 'utf8')));
        }
        const proxyFiles = writeProxyOrigin(config, proxyOutDir);
        io.out(
          `Token Vault build from ${basename(file)}:\n` +
            `  ${worker}  → serve at ${config.appOrigins[0]}${config.serviceWorker.path}\n` +
            `  ${proxyOutDir}/ (${proxyFiles.length} files)  → serve at ${config.proxyOrigin}/\n` +
            `Headers each origin must send: npx tokenvault headers\n`,
        );
        return 0;
      }
    }
  } catch (err) {
    if (err instanceof VaultError) {
      io.err(`tokenvault: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
