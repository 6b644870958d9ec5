// ESLint for the whole monorepo (`npm run lint`): typescript-eslint's strictest type-checked set
// over every TypeScript project, the realm's globals per folder, and eslint-config-prettier last so
// that no stylistic rule argues with prettier (which owns the layout).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier/flat';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const ts = ['**/*.ts', '**/*.mts', '**/*.cts'];
const scripts = ['**/*.js', '**/*.mjs', '**/*.cjs'];
const browser = ['apps/*/src/**', 'packages/proxy/src/**', 'packages/client/src/**', 'packages/oidc/src/**', 'packages/protocol/src/**', 'examples/*/src/**', 'bench/entries/**'];
const serviceWorker = ['packages/interceptor/src/**', 'bench/entries/*-sw.js', 'bench/entries/*interceptor.js', 'bench/entries/workbox-*.js'];

/**
 * The proxy's layers (CONTRIBUTING.md, "The proxy's layers"): what each folder of
 * packages/proxy/src may import of the others. A folder not named here may import nothing of
 * them; no folder imports the root (main.ts, startProxy.ts, readConfig.ts), which wires them.
 * The door and the network never reach the tokens: they carry what they are handed.
 */
/** @type {Record<string, string[]>} */
export const PROXY_LAYERS = {
  signin: ['routing', 'dpop', 'network', 'shared'],
  routing: ['handlers', 'tokens', 'dpop', 'network', 'shared'],
  handlers: ['tokens', 'dpop', 'network', 'shared'],
  tokens: ['door', 'dpop', 'network', 'shared'],
  dpop: ['shared'],
  network: ['shared'],
  door: ['shared'],
  shared: [],
};

/**
 * One no-restricted-imports block per layer of the proxy, from PROXY_LAYERS.
 * @type {import('eslint').Linter.Config[]}
 */
export const proxyLayerRules = Object.entries(PROXY_LAYERS).map(([layer, allowed]) => {
  const forbidden = Object.keys(PROXY_LAYERS).filter((other) => other !== layer && !allowed.includes(other));
  const may = allowed.length > 0 ? allowed.map((other) => `${other}/`).join(', ') : 'none of the other folders';
  return {
    files: [`packages/proxy/src/${layer}/**`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...(forbidden.length > 0
              ? [{ regex: `^\\.\\./(${forbidden.join('|')})/`, message: `The proxy's ${layer}/ may import ${may} (CONTRIBUTING.md, "The proxy's layers").` }]
              : []),
            { regex: '^\\.\\./[^/]+$', message: `main.ts, startProxy.ts and readConfig.ts wire the proxy's layers: ${layer}/ does not import them.` },
          ],
        },
      ],
    },
  };
});

export default defineConfig(
  {
    // Build output and reports; bench/results holds the runs' raw output.
    ignores: ['**/dist/', '**/dist-proxy/', '**/node_modules/', 'test-results/', 'playwright-report/', 'bench/results/', 'docs/api/'],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  {
    files: ts,
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: {
        // Each file is checked by the tsconfig.json nearest to it (the same program tsc builds);
        // the tools' own config files, which no tsconfig includes, by tsconfig.base.json's options.
        projectService: {
          allowDefaultProject: ['*.config.ts', '*/*/*.config.ts', 'packages/build/client.d.ts'],
          defaultProject: 'tsconfig.base.json',
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 24,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Ports, sizes and counts in messages and URLs are numbers; String() around each adds nothing.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `const { body: _body, ...rest } = reply` is how a field is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      // `async` states a Promise contract here even without an await: fastify plugins and handlers
      // (a sync plugin must take a done callback), oidc-provider hooks, interface implementations.
      '@typescript-eslint/require-await': 'off',
      // Deprecated on purpose: http issuers in the dev-only examples, document.domain in the test that proves it is refused.
      '@typescript-eslint/no-deprecated': [
        'error',
        {
          allow: [
            { from: 'package', package: 'oauth4webapi', name: 'allowInsecureRequests' },
            { from: 'package', package: 'openid-client', name: 'allowInsecureRequests' },
            { from: 'lib', name: 'domain' },
          ],
        },
      ],
    },
  },
  {
    // The plain-JS files (bench pages, bins, build scripts) have no types to check against.
    files: scripts,
    extends: [tseslint.configs.disableTypeChecked],
  },
  // Globals per realm, what each folder's code runs in. Everything else (build tools, dev host, tests, e2e drivers, benchmarks' harness) runs in Node.
  { ignores: [...browser, ...serviceWorker], languageOptions: { globals: globals.node } },
  { files: browser, ignores: serviceWorker, languageOptions: { globals: globals.browser } },
  { files: serviceWorker, languageOptions: { globals: globals.serviceworker } },
  ...proxyLayerRules,
  prettier,
);
