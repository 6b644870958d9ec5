import { invalidConfig, type ErrorDetails } from '@tokenvault/protocol';
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
  if (!Array.isArray(value)) fail(field, { why: 'passThroughList' });
  const issuerUrl = new URL(issuer);
  return value.map((entry: unknown, index) => {
    const name = `${field}[${index}]`;
    if (typeof entry !== 'string' || !URL.canParse(entry)) fail(name, { why: 'passThroughUrl' });
    const url = new URL(entry);
    const rawPath = /^[a-z][a-z\d+.-]*:\/\/[^/?#\\]*([^?#]*)/i.exec(entry)?.[1] ?? '';
    if (url.search || url.hash || url.username || url.password || entry.includes('?') || entry.includes('#')) fail(name, { why: 'passThroughShape' });
    if (ambiguousPath(rawPath) || ambiguousPath(url.pathname)) fail(name, { why: 'passThroughAmbiguous' });
    const origin = routeOrigin(url);
    if (!opOrigins.includes(origin)) fail(name, { why: 'passThroughOrigin', origins: opOrigins.join(', ') });
    const base = routePath(url.pathname);
    if (base === '') fail(name, { why: 'passThroughRoot' });
    if (origin === routeOrigin(issuerUrl) && baseCovers(base, issuerUrl.pathname)) {
      fail(name, { why: 'ruleCoversIssuer', issuer });
    }
    if (base === '/.well-known' || base.startsWith('/.well-known/')) fail(name, { why: 'passThroughWellKnown' });
    rules.forEach((rule, ruleIndex) => {
      if (rule.origin === origin && (baseCovers(rule.base, base) || baseCovers(base, rule.base))) {
        fail(name, { why: 'passThroughOverlap', rule: ruleIndex });
      }
    });
    return { origin, base };
  });
}

function fail(field: string, details: ErrorDetails): never {
  throw invalidConfig(field, details);
}
