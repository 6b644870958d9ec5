import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { resolveConfig, type TokenVaultConfig } from '@tokenvault/build';
import { startNginx } from '@tokenvault/nginx';

const root = fileURLToPath(new URL('../', import.meta.url));
const vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');

export interface NginxSite {
  stop(): Promise<void>;
}

/**
 * Serves the demo as a user would deploy it: built by `vite build` with the Token Vault plugin from
 * a config file (the worker and the proxy page with their configuration baked in), then served as
 * static files by Debian's nginx with the production template.
 */
export async function serveDemoWithNginx(config: TokenVaultConfig): Promise<NginxSite> {
  const dir = mkdtempSync(join(tmpdir(), 'tokenvault-e2e-'));
  // As root, nginx's workers run as "nobody": the build must be readable by them.
  chmodSync(dir, 0o755);
  const configFile = join(dir, 'tokenvault.config.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  try {
    await promisify(execFile)(process.execPath, [vite, 'build', '--outDir', join(dir, 'app'), '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: join(root, 'apps/demo'),
      env: { ...process.env, TOKENVAULT_CONFIG: configFile },
    });
    const nginx = await startNginx({ config: resolveConfig(config), appRoot: join(dir, 'app'), proxyRoot: join(dir, 'app-proxy') });
    return {
      stop: async () => {
        await nginx.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
