import { createHash } from 'node:crypto';
import { builtConfigDigestInput, fromBuiltConfig, resolveProxyConfig } from '@tokenvault/config';
import { describe, expect, it } from 'vitest';
import { scriptSafeJson, withConfigBlock, withJsonBlock } from '../src/configBlock.js';
import { renderAppPage, renderProxyPage, withDiscoveryPreload, withProxyFrame } from '../src/renderPages.js';
import { renderWorkerScript } from '../src/renderWorkerScript.js';
import { resolveConfig } from '../src/resolveConfig.js';
import { exampleConfig } from './exampleConfig.js';
import { appCsp, appPageHeaders, proxyAssetHeaders, proxyCsp, proxyPageHeaders, workerScriptHeaders } from '../src/securityHeaders.js';
import { defined } from '@tokenvault/test-support';

const config = exampleConfig({ appOrigins: ['https://app.example.com', 'https://beta.example.com'], serviceWorker: { path: '/vault/sw.js', scope: '/' } });
const page = '<!doctype html><html><head><title>x</title></head><body></body></html>';

describe('configuration blocks', () => {
  it('cannot be closed from inside by a value', () => {
    const json = scriptSafeJson({ clientId: '</script><script>alert(1)</script><!--' });
    expect(json).not.toMatch(/[<>]/);
    expect(JSON.parse(json)).toEqual({ clientId: '</script><script>alert(1)</script><!--' });
  });

  it('is added to the head once, and replaced (not duplicated) by a second render', () => {
    const first = renderAppPage(config, page);
    const again = renderAppPage(resolveConfig({ ...config.proxy, proxyOrigin: 'https://vault.example.com' }), first);
    expect(again.match(/id="tokenvault-app-config"/g)).toHaveLength(1);
    expect(again).toContain('"proxyUrl":"https://vault.example.com/"');
    expect(again).not.toContain('https://proxy.example.com/');
  });

  it('keeps "$" sequences of the value literally', () => {
    expect(withConfigBlock(page, 'x', { a: "$$ $' $1 $`" })).toContain(`{"a":"$$ $' $1 $\`"}`);
    expect(withConfigBlock(withConfigBlock(page, 'x', {}), 'x', { a: '$$' })).toContain('{"a":"$$"}');
  });

  it('refuses a page without a head', () => {
    expect(() => withConfigBlock('<p>no head</p>', 'x', {})).toThrow(/no <\/head>/);
  });

  it("preloads the OP's discovery document first in the proxy page's head, once, at the URL the proxy fetches", () => {
    const html = renderProxyPage(config, page);
    const link = `<link rel="preload" as="fetch" crossorigin="anonymous" referrerpolicy="no-referrer" id="tokenvault-discovery" href="${config.proxy.issuer}/.well-known/openid-configuration" />`;
    expect(html.startsWith(`<!doctype html><html><head>${link}<title>`)).toBe(true);
    const again = renderProxyPage(exampleConfig({ issuer: 'https://other-op.example.com' }), html);
    expect(again.match(/id="tokenvault-discovery"/g)).toHaveLength(1);
    expect(again).toContain('href="https://other-op.example.com/.well-known/openid-configuration"');
    expect(withDiscoveryPreload(page, 'https://op.example.com/a?b=1&c="><script>')).toContain('href="https://op.example.com/a?b=1&amp;c=&quot;&gt;&lt;script&gt;"');
    expect(() => withDiscoveryPreload('<p>no head</p>', 'https://op.example.com/')).toThrow(/no <head>/);
  });

  it("keeps the proxy build's module preloads of the host's door only when host origins take the session directly, the request path's always", () => {
    const built = `<!doctype html><html><head><script type="module" crossorigin src="/assets/index-a.js"></script>
    <link rel="modulepreload" crossorigin href="/assets/listenForHost-b.js" data-tokenvault-start="host">
    <link rel="modulepreload" crossorigin href="/assets/hostSession-c.js" data-tokenvault-start="host request">
    <link rel="modulepreload" crossorigin href="/assets/routeFetch-d.js" data-tokenvault-start="request">
  </head><body></body></html>`;
    const withHost = renderProxyPage(exampleConfig({ hostOrigins: ['https://host.example.com'] }), built);
    expect(withHost).toContain('href="/assets/listenForHost-b.js" data-tokenvault-start="host"');
    expect(withHost).toContain('href="/assets/hostSession-c.js" data-tokenvault-start="host request"');
    for (const other of [exampleConfig({}), exampleConfig({ hostOrigins: ['https://host.example.com'], hostSession: { handoff: 'app-window' } })]) {
      const html = renderProxyPage(other, built);
      expect(html).not.toContain('listenForHost');
      // The request path's chunks stay, one of them shared with the door.
      expect(html.match(/rel="modulepreload"/g)).toHaveLength(2);
      expect(html).toContain('href="/assets/hostSession-c.js"');
      expect(html).toContain('href="/assets/routeFetch-d.js"');
      expect(html).toContain('<script type="module" crossorigin src="/assets/index-a.js"></script>');
    }
  });

  it('gives the proxy page its own configuration and nothing of the build', () => {
    const html = renderProxyPage(config, page);
    const block = JSON.parse(defined(/id="tokenvault-config">([^<]*)</.exec(html))[1]) as unknown;
    expect(block).toEqual(config.proxy);
    expect(block).not.toHaveProperty('proxyOrigin');
    expect(block).not.toHaveProperty('serviceWorker');
  });

  it('gives the proxy page the resolved configuration too, with the digest of both blocks', () => {
    const withMethods = exampleConfig({ rules: [{ origin: 'https://api.example.com', pathPrefix: '/v1/', methods: ['GET'] }] });
    const html = renderProxyPage(withMethods, page);
    const given = defined(/id="tokenvault-config">([^<]*)</.exec(html))[1];
    const [, sha256, resolved] = defined(/id="tokenvault-config-resolved" data-sha256="([\w-]+)">([^<]*)</.exec(html));
    expect(sha256).toBe(createHash('sha256').update(builtConfigDigestInput(given, resolved)).digest('base64url'));
    // What the proxy frame reads back is what its own checker makes of the given block.
    expect(fromBuiltConfig(JSON.parse(resolved))).toEqual(resolveProxyConfig(JSON.parse(given)));
  });

  it("gives the proxy page's resolved block sealed mode's session check, defaults filled in", () => {
    const html = renderProxyPage(exampleConfig({ sessionCheck: { intervalMs: 15_000 } }), page);
    const resolved = defined(/id="tokenvault-config-resolved" data-sha256="[\w-]+">([^<]*)</.exec(html))[1];
    expect(fromBuiltConfig(JSON.parse(resolved)).sessionCheck).toEqual({ intervalMs: 15_000, timeoutMs: 10_000 });
  });

  it('replaces both proxy blocks on a second render (the dev host re-targets a build)', () => {
    const again = renderProxyPage(exampleConfig({ clientId: 'other' }), renderProxyPage(config, page));
    expect(again.match(/id="tokenvault-config"/g)).toHaveLength(1);
    expect(again.match(/id="tokenvault-config-resolved"/g)).toHaveLength(1);
    expect(again).not.toContain('"clientId":"spa"');
  });

  it('refuses an attribute value that would need escaping', () => {
    expect(() => withJsonBlock(page, 'x', '{}', { 'data-x': '"><script>' })).toThrow(/cannot be written/);
  });
});

describe("the app page's proxy frame", () => {
  const frameOf = (html: string): string[] => html.match(/<iframe data-tokenvault-proxy[^>]*><\/iframe>/g) ?? [];

  it('is the first element of the body, hidden, out of the tab order and the accessibility tree, without a referrer', () => {
    const html = renderAppPage(config, '<!doctype html><html><head><script type="module" src="/app.js"></script></head><body class="x"><div id="app"></div></body></html>');
    expect(html).toContain(
      '<body class="x"><iframe data-tokenvault-proxy src="https://proxy.example.com/" title="Token Vault proxy" hidden tabindex="-1" aria-hidden="true" referrerpolicy="no-referrer"></iframe><div id="app">',
    );
  });

  const scripted = '<!doctype html><html><head><script src="/app.js" defer></script></head><body><div id="app"></div></body></html>';

  it('is replaced, not duplicated, by a second render for another proxy origin', () => {
    const again = renderAppPage(resolveConfig({ ...config.proxy, proxyOrigin: 'https://vault.example.com' }), renderAppPage(config, scripted));
    expect(frameOf(again)).toEqual([expect.stringContaining('src="https://vault.example.com/"')]);
  });

  it('is left out of a page that runs no script, and removed from it by a second render', () => {
    // A redirect URI page the parent reads (the session monitor's): it never creates a vault.
    const blocks = '<!doctype html><html><head><script type="application/json" id="x">{}</script><script type="importmap">{}</script></head><body></body></html>';
    expect(frameOf(renderAppPage(config, page))).toEqual([]);
    expect(frameOf(renderAppPage(config, blocks))).toEqual([]);
    expect(frameOf(renderAppPage(config, withProxyFrame(blocks, 'https://proxy.example.com/')))).toEqual([]);
    for (const script of ['<script>', '<script type="module" src="/a.js">', '<SCRIPT TYPE=text/javascript>', "<script type='application/javascript'>"]) {
      expect(frameOf(renderAppPage(config, `<head>${script}</script></head><body></body>`))).toHaveLength(1);
    }
  });

  it("keeps the Vite plugin's preload of the account chunk in sealed mode, and drops it from a page re-targeted to drop-in mode", () => {
    const preload = '<link rel="modulepreload" crossorigin href="/assets/accountCalls-x.js" data-tokenvault-preload="account">';
    const other = '<link rel="modulepreload" crossorigin href="/assets/index-y.js">';
    const built = `<!doctype html><html><head>\n    ${preload}\n    ${other}\n</head><body></body></html>`;
    expect(config.mode).toBe('sealed');
    expect(renderAppPage(config, built)).toContain(preload);
    const dropIn = renderAppPage(exampleConfig({ mode: 'drop-in', redirectUris: ['https://app.example.com/callback'] }), built);
    expect(dropIn).not.toContain('accountCalls');
    expect(dropIn).toContain(other);
  });

  it('follows the proxyFrame option over the page (the Vite plugin knows what a page bundles)', () => {
    expect(frameOf(renderAppPage(config, scripted, { proxyFrame: false }))).toEqual([]);
    expect(frameOf(renderAppPage(config, renderAppPage(config, scripted), { proxyFrame: false }))).toEqual([]);
    expect(frameOf(renderAppPage(config, page, { proxyFrame: true }))).toHaveLength(1);
    // A second render (a server re-targeting a build) keeps what the first decided.
    expect(frameOf(renderAppPage(config, renderAppPage(config, scripted, { proxyFrame: false })))).toEqual([]);
    expect(frameOf(renderAppPage(config, renderAppPage(config, page, { proxyFrame: true })))).toHaveLength(1);
  });

  it('escapes its URL, and leaves a page without a body tag as it is', () => {
    expect(frameOf(withProxyFrame(page, 'https://proxy.example.com/?a=1&b="><script>'))).toEqual([
      expect.stringContaining('src="https://proxy.example.com/?a=1&amp;b=&quot;&gt;&lt;script&gt;"'),
    ]);
    expect(withProxyFrame('<p>no body</p>', 'https://proxy.example.com/')).toBe('<p>no body</p>');
  });
});

describe('the worker script', () => {
  it('starts with its configuration, then the drop-in bundle', () => {
    expect(renderWorkerScript(config, '(()=>{})();')).toBe(
      'self.TOKENVAULT_CONFIG={"issuer":"https://op.example.com","rules":[{"origin":"https://api.example.com","pathPrefix":"/v1/"}]};\n(()=>{})();',
    );
  });
});

describe('security headers', () => {
  it('let only the app origins frame the proxy page, which connects only to the OP and the rules', () => {
    expect(proxyCsp(config)).toBe(
      "default-src 'none'; script-src 'self'; connect-src https://op.example.com https://api.example.com; frame-src 'self' https://op.example.com; frame-ancestors https://app.example.com https://beta.example.com; base-uri 'none'; form-action 'none'",
    );
    expect(proxyPageHeaders(config)).toMatchObject({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
      'cross-origin-resource-policy': 'same-origin',
    });
    expect(proxyPageHeaders(config)['origin-agent-cluster']).toBe('?1');
    expect(proxyAssetHeaders()['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('let the worker control its configured scope, revalidated at every update check', () => {
    expect(workerScriptHeaders(config)).toMatchObject({ 'service-worker-allowed': '/', 'cache-control': 'no-cache', 'content-type': 'text/javascript; charset=utf-8' });
  });

  it('give the app page a strict policy that frames the proxy and the OP', () => {
    const csp = appCsp(config, { frameAncestors: ["'none'"] });
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-src 'self' https://proxy.example.com https://op.example.com;");
    expect(csp).toContain("connect-src 'self' https://op.example.com https://api.example.com;");
    expect(csp).toMatch(/frame-ancestors 'none'$/);
    expect(appPageHeaders(config)['content-security-policy']).toMatch(/frame-ancestors 'self'$/);
  });

  it('sever the app page from a foreign opener, keeping its own popups (COOP same-origin-allow-popups)', () => {
    expect(appPageHeaders(config)['cross-origin-opener-policy']).toBe('same-origin-allow-popups');
  });
});
