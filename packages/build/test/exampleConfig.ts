import type { TokenVaultConfig } from '../src/defineConfig.js';
import { resolveConfig } from '../src/resolveConfig.js';

/** The configuration the build tests start from: one app, its proxy, an OP and one API rule. */
export const EXAMPLE_CONFIG = {
  appOrigins: ['https://app.example.com'],
  proxyOrigin: 'https://proxy.example.com',
  issuer: 'https://op.example.com',
  clientId: 'spa',
  rules: [{ origin: 'https://api.example.com', pathPrefix: '/v1/' }],
} satisfies TokenVaultConfig;

/** EXAMPLE_CONFIG, resolved, with `changes` applied first. */
export function exampleConfig(changes: Partial<TokenVaultConfig> = {}) {
  return resolveConfig({ ...EXAMPLE_CONFIG, ...changes });
}
