import { dev, invalidConfig } from '@tokenvault/protocol';
import { baseCovers } from './checkOpEndpoints.js';
import { routeOrigin, routePath, type PassThroughPath } from './classifyOpRequest.js';
import { ambiguousPath } from './rules.js';

/**
 * Validates `opPassThrough`: each entry an absolute URL prefix (`https://am.example.com/am/json/`)
 * on one of the OP's origins, with a path below the root that covers neither the issuer's path
 * (the OP's endpoints live below it) nor a `/.well-known/` document, that no one could read two
 * ways, and that no rule covers or falls under (a credential would go there). The OP's discovered
 * endpoints are checked at proxy start (checkOpEndpoints). Throws `TV_INVALID_CONFIG` naming the entry.
 */
export function resolvePassThrough(
  value: unknown,
  field: string,
  issuer: string,
  opOrigins: readonly string[],
  rules: readonly { origin: string; base: string }[],
): PassThroughPath[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(field, 'must be a list of URL prefixes on the OP, such as https://am.example.com/am/json/');
  const issuerUrl = new URL(issuer);
  return value.map((entry: unknown, index) => {
    const name = `${field}[${index}]`;
    if (typeof entry !== 'string' || !URL.canParse(entry)) fail(name, `must be an absolute URL prefix such as https://am.example.com/am/json/ (got ${JSON.stringify(entry)})`);
    const url = new URL(entry);
    const rawPath = /^[a-z][a-z\d+.-]*:\/\/[^/?#\\]*([^?#]*)/i.exec(entry)?.[1] ?? '';
    if (url.search || url.hash || url.username || url.password || entry.includes('?') || entry.includes('#')) fail(name, 'must have no query, fragment or credentials');
    if (ambiguousPath(rawPath) || ambiguousPath(url.pathname)) fail(name, 'must not contain dot segments, backslashes, encoded slashes or dots, ";", or double or %u encoding');
    const origin = routeOrigin(url);
    if (!opOrigins.includes(origin)) fail(name, `must be on the OP's origin (${opOrigins.join(', ')}): other origins are not the vault's to refuse`);
    const base = routePath(url.pathname);
    if (base === '') fail(name, "must name a path below the root: the whole origin would pass the OP's endpoints");
    if (origin === routeOrigin(issuerUrl) && baseCovers(base, issuerUrl.pathname)) {
      fail(name, `must not cover the OP's issuer path (${issuer}): its token and other endpoints live below it`);
    }
    if (base === '/.well-known' || base.startsWith('/.well-known/')) fail(name, "must not cover the OP's /.well-known/ documents");
    rules.forEach((rule, ruleIndex) => {
      if (rule.origin === origin && (baseCovers(rule.base, base) || baseCovers(base, rule.base))) {
        fail(name, `must not overlap rules[${ruleIndex}]: a declared pass-through path gets no credential`);
      }
    });
    return { origin, base };
  });
}

function fail(field: string, fix: string): never {
  throw invalidConfig(field, dev && fix);
}
