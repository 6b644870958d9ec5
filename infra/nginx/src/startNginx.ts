import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nginxTemplatePath, renderNginxSite, type ResolvedTokenVaultConfig } from '@tokenvault/build';

/**
 * The site template (the production shape) is @tokenvault/build's, the one `npx tokenvault nginx`
 * renders; this package adds only the whole-file nginx.conf that runs it from a temporary directory.
 */
export const SITE_TEMPLATE = nginxTemplatePath();
export const MAIN_TEMPLATE = fileURLToPath(new URL('../nginx.conf.template', import.meta.url));

export interface NginxOptions {
  config: ResolvedTokenVaultConfig;
  /** The app's build (with the worker in it) and the proxy origin's build. As root, nginx's workers run as "nobody": these must be world-readable. */
  appRoot: string;
  proxyRoot: string;
  /** The nginx binary. Default: NGINX_PATH, or Debian's /usr/sbin/nginx. */
  binary?: string;
  /** How long to wait for nginx to listen. Default 10 000 ms. */
  startTimeoutMs?: number;
}

export interface RunningNginx {
  /** Its prefix directory: nginx.conf, tokenvault.conf, error.log. */
  readonly prefix: string;
  /** The loopback ports it listens on. */
  readonly ports: readonly number[];
  /** Stops it and removes its directory. */
  stop(): Promise<void>;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) =>
        child.once('exit', () => {
          resolve();
        }),
      );
}

/**
 * Starts nginx in the foreground, on loopback only, from its own temporary prefix directory, serving
 * the app and the proxy as two origins with the configuration rendered from the production template.
 * Every origin must be `http://…:PORT` on a loopback name.
 *
 * @example
 * ```ts
 * const nginx = await startNginx({ config: resolveConfig(config), appRoot: 'dist', proxyRoot: 'dist-proxy' })
 * // … requests to http://app.vault.localhost:PORT/
 * await nginx.stop()
 * ```
 */
export async function startNginx(options: NginxOptions): Promise<RunningNginx> {
  const binary = options.binary ?? process.env.NGINX_PATH ?? '/usr/sbin/nginx';
  if (!existsSync(binary)) throw new Error(`nginx not found at ${binary}: apt-get install -y nginx (or set NGINX_PATH)`);
  const origins = [...options.config.appOrigins, options.config.proxyOrigin];
  const ports = [...new Set(origins.map((origin) => Number(new URL(origin).port || 80)))];
  const listen = ports.flatMap((port) => [`127.0.0.1:${port}`, `[::1]:${port}`]);

  const prefix = mkdtempSync(join(tmpdir(), 'tokenvault-nginx-'));
  // As root, nginx's workers run as "nobody": they must be able to read what the tests put here.
  chmodSync(prefix, 0o755);
  mkdirSync(join(prefix, 'tmp'));
  const site = renderNginxSite(options.config, { appRoot: options.appRoot, proxyRoot: options.proxyRoot, listen });
  writeFileSync(join(prefix, 'tokenvault.conf'), site);
  const main = readFileSync(MAIN_TEMPLATE, 'utf8')
    .replaceAll('{{prefix}}', prefix)
    .replace('{{default_listen}}', listen.map((address) => `        listen ${address} default_server;`).join('\n'));
  writeFileSync(join(prefix, 'nginx.conf'), main);

  const errorLog = join(prefix, 'error.log');
  const child = spawn(binary, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', errorLog], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // If this process dies without stopping it, nginx must not outlive it.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited(child);
    rmSync(prefix, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      const log = existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : '';
      await stop();
      throw new Error(`nginx did not start (exit ${String(child.exitCode ?? child.signalCode ?? 'timeout')}): ${stderr}${log}`.trim());
    }
    if ((await Promise.all(ports.map(accepts))).every(Boolean)) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { prefix, ports, stop };
}
