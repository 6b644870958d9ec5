import { invalidConfig } from '@tokenvault/protocol';
import { parseOrigin } from './parseOrigin.js';
import { ambiguousPath, type CredentialKind, type NormalizedRule, type ResourceIndicator, type ResourceParam, type ResourceRule } from './rules.js';

// A rule's checks, apart from the matching (rules.ts): the proxy frame trusts the build's resolved
// configuration and matches requests at start, but checks rules only when it checks a configuration.

const METHOD = /^[A-Z]+$/;
// The compiler keeps this list complete: a new rule field cannot be forgotten in the unknown-key check.
const RULE_FIELDS: Record<keyof ResourceRule, true> = {
  origin: true,
  pathPrefix: true,
  methods: true,
  credential: true,
  dpop: true,
  resource: true,
  audience: true,
  scope: true,
  requireAuthorizationHeader: true,
};
const CREDENTIALS: readonly CredentialKind[] = ['access_token', 'host_session'];

/**
 * A resource indicator (RFC 8707 §2): an absolute URI without a fragment; or an audience: a
 * non-empty identifier of printable ASCII without spaces. At most 1024 characters either way.
 */
function resourceIndicator(rule: Partial<Record<keyof ResourceRule, unknown>>, name: string, credential: CredentialKind): ResourceIndicator | null {
  if (rule.resource !== undefined && rule.audience !== undefined) throw invalidConfig(`${name}.audience`, { why: 'resourceAndAudience' });
  const scope = ruleScope(rule.scope, name, credential);
  const param: ResourceParam = rule.audience !== undefined ? 'audience' : 'resource';
  const value = rule[param];
  if (value === undefined) return scope === undefined ? null : { param: 'scope', value: scope };
  if (credential !== 'access_token') throw invalidConfig(`${name}.${param}`, { why: 'onlyAccessToken' });
  if (typeof value !== 'string' || value === '' || value.length > 1024 || !/^[\x21-\x7e]+$/.test(value)) {
    throw invalidConfig(`${name}.${param}`, { why: 'apiIdentifier' });
  }
  if (param === 'resource' && (!URL.canParse(value) || value.includes('#'))) {
    throw invalidConfig(`${name}.resource`, { why: 'resourceUri', value });
  }
  return scope === undefined ? { param, value } : { param, value, scope };
}

// RFC 6749 §3.3: scope tokens of NQCHAR (%x21 / %x23-5B / %x5D-7E), one space between each.
const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/;

/** A rule's `scope` (RFC 6749 §3.3), or undefined when it names none. */
function ruleScope(value: unknown, name: string, credential: CredentialKind): string | undefined {
  if (value === undefined) return undefined;
  if (credential !== 'access_token') throw invalidConfig(`${name}.scope`, { why: 'onlyAccessToken' });
  if (typeof value !== 'string' || value.length > 1024 || !SCOPE.test(value)) {
    throw invalidConfig(`${name}.scope`, { why: 'ruleScope', value: typeof value === 'string' ? value.slice(0, 1100) : typeof value });
  }
  return value;
}

function isMethodList(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.length > 0 && value.every((m) => typeof m === 'string' && METHOD.test(m));
}

function isCredentialKind(value: unknown): value is CredentialKind {
  return CREDENTIALS.some((kind) => kind === value);
}

/**
 * Validates a rule (a {@link ResourceRule}, as read from a configuration: any value is checked) and
 * returns its canonical form. Throws `TV_INVALID_CONFIG` naming the field.
 *
 * @example
 * ```ts
 * normalizeRule({ origin: 'https://API.example.com:443', pathPrefix: '/v1/' })
 * // { origin: 'https://api.example.com', base: '/v1', methods: null, credential: 'access_token', dpop: false, resource: null, requireAuthorizationHeader: false }
 * ```
 */
export function normalizeRule(value: unknown, name = 'rule'): NormalizedRule {
  // The rule comes from a configuration file or a build tool's caller: checked field by field.
  if (typeof value !== 'object' || value === null) {
    throw invalidConfig(name, { why: 'notObject' });
  }
  const rule: Partial<Record<keyof ResourceRule, unknown>> = value;
  for (const key of Object.keys(rule)) {
    if (!Object.hasOwn(RULE_FIELDS, key)) throw invalidConfig(`${name}.${key}`, { why: 'unknownRuleField', known: Object.keys(RULE_FIELDS).join(', ') });
  }
  const origin = parseOrigin(rule.origin, `${name}.origin`);
  const prefix = rule.pathPrefix ?? '/';
  if (typeof prefix !== 'string' || !prefix.startsWith('/') || prefix.startsWith('//')) {
    throw invalidConfig(`${name}.pathPrefix`, { why: 'pathPrefix' });
  }
  if (ambiguousPath(prefix) || /[?#]/.test(prefix)) {
    throw invalidConfig(`${name}.pathPrefix`, { why: 'pathPrefixAmbiguous' });
  }
  let methods: Set<string> | null = null;
  if (rule.methods !== undefined) {
    if (!isMethodList(rule.methods)) {
      throw invalidConfig(`${name}.methods`, { why: 'methods' });
    }
    methods = new Set(rule.methods);
  }
  const credential = rule.credential ?? 'access_token';
  if (!isCredentialKind(credential)) {
    throw invalidConfig(`${name}.credential`, { why: 'credential', known: CREDENTIALS.join(', ') });
  }
  const dpop = rule.dpop ?? false;
  if (typeof dpop !== 'boolean') throw invalidConfig(`${name}.dpop`, { why: 'boolean' });
  if (dpop && credential !== 'access_token') throw invalidConfig(`${name}.dpop`, { why: 'onlyAccessToken' });
  const resource = resourceIndicator(rule, name, credential);
  const requireAuthorizationHeader = rule.requireAuthorizationHeader ?? false;
  if (typeof requireAuthorizationHeader !== 'boolean') throw invalidConfig(`${name}.requireAuthorizationHeader`, { why: 'boolean' });
  return { origin, base: prefix.replace(/\/+$/, ''), methods, credential, dpop, resource, requireAuthorizationHeader };
}
