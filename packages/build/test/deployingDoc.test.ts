import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { appPageHeaders, proxyFlowPageHeaders, proxyPageHeaders } from '../src/securityHeaders.js';
import { exampleConfig } from './exampleConfig.js';

// docs/deploying.md lists the headers to serve; its frame-ancestors must be what the kit sends
// (a deployer copies them by hand into a server the kit does not configure).
const doc = readFileSync(new URL('../../../docs/deploying.md', import.meta.url), 'utf8');
const config = exampleConfig({ hostOrigins: ['https://portal.example.net'] });

/** The frame-ancestors sources of a header map, with the configured origins written as the doc writes them. */
function fromHeaders(headers: Record<string, string>): string {
  const directive = /frame-ancestors ([^;]*)/.exec(headers['content-security-policy'] ?? '')?.[1] ?? '';
  return directive.replace(config.appOrigins.join(' '), '<app origins>').replace(config.hostOrigins.join(' '), '<host origins>');
}

/** The frame-ancestors sources in the table row that starts with `where`. */
function fromDoc(where: string): string {
  const row = doc.split('\n').find((line) => line.startsWith(`| ${where}`));
  expect(row, where).toBeDefined();
  return /frame-ancestors ([^;`]*)/.exec(row ?? '')?.[1]?.trim() ?? '';
}

describe('docs/deploying.md: the frame-ancestors of each page', () => {
  it.each([
    ['proxy origin `/` ', proxyPageHeaders(config)],
    ['proxy origin `/signin`', proxyFlowPageHeaders(config)],
    ['app pages', appPageHeaders(config)],
  ])('%s lists what the kit sends', (where, headers) => {
    expect(fromDoc(where)).toBe(fromHeaders(headers));
  });
});
