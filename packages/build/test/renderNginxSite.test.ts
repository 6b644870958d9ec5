import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nginxTemplatePath, renderNginxSite } from '../src/renderNginxSite.js';
import { appPageHeaders, proxyAssetHeaders, proxyFlowPageHeaders, proxyPageHeaders, workerScriptHeaders, type HeaderMap } from '../src/securityHeaders.js';
import { exampleConfig } from './exampleConfig.js';
import { SILENT_CALLBACK_FILE } from '../src/silentCallbackPage.js';

const template = readFileSync(fileURLToPath(new URL('../nginx/tokenvault.conf.template', import.meta.url)), 'utf8');
const config = exampleConfig();
const roots = { appRoot: '/srv/app/dist', proxyRoot: '/srv/app/dist-proxy', template };
const tls = { sslCertificate: '/etc/ssl/example.pem', sslCertificateKey: '/etc/ssl/example.key' };

describe('renderNginxSite', () => {
  it('fills every placeholder from the configuration', () => {
    const site = renderNginxSite(config, { ...roots, ...tls });
    expect(site).not.toMatch(/\{\{/);
    expect(site).toContain('server_name app.example.com;');
    expect(site).toContain('server_name proxy.example.com;');
    expect(site).toContain('root /srv/app/dist-proxy;');
    expect(site).toContain('location = /sw.js {');
    expect(site).toContain('listen 443 ssl;');
    expect(site).toContain('ssl_certificate_key /etc/ssl/example.key;');
    expect(site).toContain(
      `add_header Content-Security-Policy "default-src 'none'; script-src 'self'; connect-src https://op.example.com https://api.example.com; frame-src 'self' https://op.example.com; frame-ancestors https://app.example.com; base-uri 'none'; form-action 'none'" always;`,
    );
  });

  it("sends the app pages' Cross-Origin-Opener-Policy", () => {
    const site = renderNginxSite(config, { ...roots, ...tls });
    const app = site.slice(0, site.indexOf('server_name proxy.example.com;'));
    expect(app).toContain('add_header Cross-Origin-Opener-Policy "same-origin-allow-popups" always;');
  });

  // The template is written by hand; the headers every other server sends come from securityHeaders.
  // Each location must send exactly those (add_header in a location replaces the server's).
  it('sends, in every location, exactly the headers securityHeaders gives that place', () => {
    const site = renderNginxSite(config, { ...roots, ...tls });
    const [appServer = '', proxyServer = ''] = site.split(/^server \{$/m).slice(1);
    const headersOf = (block: string): HeaderMap =>
      Object.fromEntries<string>([
        ...[...block.matchAll(/^\s*add_header ([\w-]+) "([^"]*)" always;$/gm)].map(([, name = '', value = '']): [string, string] => [name.toLowerCase(), value]),
        ...[...block.matchAll(/^\s*default_type "([^"]*)";$/gm)].map(([, value = '']): [string, string] => ['content-type', value]),
      ]);
    const location = (server: string, head: string): string => {
      const start = server.indexOf(`location ${head} {`);
      expect(start, head).toBeGreaterThan(-1);
      return server.slice(start, server.indexOf('\n    }', start));
    };
    // The server-level headers (what `location /` of the app inherits): everything before the first location.
    const appPages = appServer.slice(0, appServer.indexOf('location '));
    expect(headersOf(appPages)).toEqual(appPageHeaders(config));
    expect(headersOf(location(appServer, '= /sw.js'))).toEqual(workerScriptHeaders(config));
    expect(headersOf(location(appServer, '/'))).toEqual({});
    expect(headersOf(location(proxyServer, '= /'))).toEqual(proxyPageHeaders(config));
    expect(headersOf(location(proxyServer, '~ ^/(signin|callback)$'))).toEqual(proxyFlowPageHeaders(config));
    expect(headersOf(location(proxyServer, '= /silent-callback'))).toEqual(proxyFlowPageHeaders(config));
    expect(headersOf(location(proxyServer, '/assets/'))).toEqual(proxyAssetHeaders());
  });

  // The renewal's redirect URI gets the page that runs nothing the build writes, not the proxy page
  // (its discovery preload would cost a request to the OP on every renewal).
  it('answers /silent-callback with the silent callback page, not the proxy page', () => {
    const proxyServer = renderNginxSite(config, { ...roots, ...tls }).split(/^server \{$/m)[2] ?? '';
    const start = proxyServer.indexOf('location = /silent-callback {');
    expect(start).toBeGreaterThan(-1);
    const block = proxyServer.slice(start, proxyServer.indexOf('\n    }', start));
    expect([...block.matchAll(/^\s*try_files (.*);$/gm)].map(([, files]) => files)).toEqual([`/${SILENT_CALLBACK_FILE} /index.html =404`]);
    expect(proxyServer).not.toMatch(/location ~ [^{]*silent-callback/);
  });

  it('asks for a certificate for https origins', () => {
    expect(() => renderNginxSite(config, roots)).toThrow(/https origins need sslCertificate and sslCertificateKey/);
  });

  it('refuses a root that would break out of its nginx token', () => {
    expect(() => renderNginxSite(config, { ...roots, ...tls, appRoot: '/srv/app; include /etc/passwd' })).toThrow(/appRoot cannot go into an nginx configuration/);
    expect(() => renderNginxSite(config, { ...roots, ...tls, proxyRoot: 'relative/dir' })).toThrow(/proxyRoot must be an absolute path/);
  });

  it('refuses a template with a placeholder it does not know', () => {
    expect(() => renderNginxSite(config, { ...roots, ...tls, template: 'root {{nope}};' })).toThrow(/unknown placeholder \{\{nope\}\}/);
  });

  // The template's one source is this package: a published @tokenvault/build has no sibling
  // infra/nginx to read, so the default must come from a directory the tarball ships.
  it('renders, by default, the template this package ships', () => {
    const packageRoot = fileURLToPath(new URL('../', import.meta.url));
    expect(nginxTemplatePath()).toBe(`${packageRoot}nginx/tokenvault.conf.template`);
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('nginx');
    const { template: _ignored, ...withoutTemplate } = roots;
    expect(renderNginxSite(config, { ...withoutTemplate, ...tls })).toBe(renderNginxSite(config, { ...roots, ...tls }));
  });
});
