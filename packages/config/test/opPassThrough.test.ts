import { describe, expect, it } from 'vitest';
import type { OpEndpoints } from '@tokenvault/protocol';
import { checkOpEndpoints } from '../src/checkOpEndpoints.js';
import { classifyOpRequest } from '../src/classifyOpRequest.js';
import { resolveInterceptorConfig, resolveProxyConfig } from '../src/config.js';

// ForgeRock AM's layout: OAuth endpoints below the issuer path, the SDK's session and journey APIs under /am/json/.
const ISSUER = 'https://am.example.com/am/oauth2/realms/root';
const endpoints: OpEndpoints = {
  issuer: ISSUER,
  token: `${ISSUER}/access_token`,
  revocation: `${ISSUER}/token/revoke`,
  userinfo: `${ISSUER}/userinfo`,
  end_session: `${ISSUER}/connect/endSession`,
  jwks: `${ISSUER}/connect/jwk_uri`,
  discovery: `${ISSUER}/.well-known/openid-configuration`,
};
const valid = {
  appOrigins: ['https://app.example.com'],
  issuer: ISSUER,
  clientId: 'spa',
  rules: [{ origin: 'https://api.example.com', pathPrefix: '/v1/' }],
  opPassThrough: ['https://am.example.com/am/json/'],
};
const declared = resolveProxyConfig(valid).opPassThrough;
const kind = (url: string, method = 'POST') => classifyOpRequest(endpoints, url, method, declared).kind;

describe('classifyOpRequest with declared pass-through paths', () => {
  it.each([
    ['the sessions API', 'https://am.example.com/am/json/realms/root/sessions/?_action=logout'],
    ['a journey', 'https://am.example.com/am/json/realms/root/realms/alpha/authenticate'],
    ['the prefix itself', 'https://am.example.com/am/json'],
    ['another case and a trailing dot on the host', 'https://AM.example.com./AM/JSON/realms/root/authenticate'],
  ])('lets %s go as the page made it', (_name, url) => {
    expect(kind(url)).toBe('pass-through');
  });

  it.each([
    ['a path beside the prefix', 'https://am.example.com/am/jsonx/authenticate'],
    ['a path outside it', 'https://am.example.com/am/other'],
    ['an encoded slash under it', 'https://am.example.com/am/json/..%2F..%2Foauth2/realms/root/access_token'],
    ['the same path on another OP origin', 'https://other.example.com/am/json/authenticate'],
  ])('still refuses %s (unclassified or not the OP)', (_name, url) => {
    expect(['unclassified', 'none']).toContain(kind(url));
    expect(kind(url)).not.toBe('pass-through');
  });

  it('never makes an endpoint a pass-through: the endpoint wins', () => {
    const wide = [{ origin: 'https://am.example.com', base: '/am' }];
    expect(classifyOpRequest(endpoints, `${ISSUER}/access_token`, 'POST', wide).kind).toBe('token');
    expect(classifyOpRequest(endpoints, `${ISSUER}/token/revoke`, 'POST', wide).kind).toBe('revocation');
  });

  it('without a declaration, the same request stays unclassified', () => {
    expect(classifyOpRequest(endpoints, 'https://am.example.com/am/json/realms/root/sessions/', 'POST').kind).toBe('unclassified');
  });
});

describe('opPassThrough: what may be declared', () => {
  it('is none by default, and resolved the same for the worker', () => {
    expect(resolveProxyConfig({ ...valid, opPassThrough: undefined }).opPassThrough).toEqual([]);
    expect(resolveInterceptorConfig(valid).opPassThrough).toEqual([{ origin: 'https://am.example.com', base: '/am/json' }]);
  });

  it.each([
    ['not a list', 'https://am.example.com/am/json/', /opPassThrough must be a list/],
    ['a relative path', ['/am/json/'], /opPassThrough\[0\] must be an absolute URL prefix/],
    ['another origin', ['https://api.example.com/am/json/'], /opPassThrough\[0\] must be on the OP's origin/],
    ['the root', ['https://am.example.com/'], /opPassThrough\[0\] must name a path below the root/],
    ['the issuer path (the token endpoint lives below it)', [`${ISSUER}/`], /opPassThrough\[0\] must not cover the OP's issuer path/],
    ['a parent of the issuer path', ['https://am.example.com/AM/'], /must not cover the OP's issuer path/],
    ['a query', ['https://am.example.com/am/json/?x=1'], /no query/],
    ['dot segments', ['https://am.example.com/am/json/%2e%2e/oauth2/'], /must not contain dot segments/],
    ['an encoded slash', ['https://am.example.com/am/json%2Foauth2/'], /must not contain dot segments/],
  ])('refuses %s', (_name, opPassThrough, message) => {
    expect(() => resolveProxyConfig({ ...valid, opPassThrough })).toThrow(message);
    expect(() => resolveInterceptorConfig({ ...valid, opPassThrough })).toThrow(message);
  });

  it('refuses a path a rule covers or falls under: a pass-through gets no credential', () => {
    const rules = [{ origin: 'https://am.example.com', pathPrefix: '/am/json/realms/' }];
    expect(() => resolveProxyConfig({ ...valid, rules })).toThrow(/opPassThrough\[0\] must not overlap rules\[0\]/);
  });

  it('refuses, at proxy start, a path over any discovered endpoint (an OP whose issuer is the root)', () => {
    const root: OpEndpoints = {
      issuer: 'https://op.example.com',
      token: 'https://op.example.com/oauth/token',
      userinfo: 'https://op.example.com/me',
      jwks: 'https://op.example.com/jwks',
    };
    const config = (path: string) => resolveProxyConfig({ ...valid, issuer: root.issuer, opPassThrough: [`https://op.example.com${path}`] });
    expect(() => {
      checkOpEndpoints(config('/OAuth/'), root);
    }).toThrow(/opPassThrough\[0\] must not cover the OP's token endpoint/);
    expect(() => {
      checkOpEndpoints(config('/me'), root);
    }).toThrow(/userinfo endpoint/);
    expect(() => {
      checkOpEndpoints(config('/jwks'), root);
    }).toThrow(/jwks endpoint/);
    expect(() => {
      checkOpEndpoints(config('/.well-known/'), root);
    }).toThrow(/well-known/);
    expect(() => {
      checkOpEndpoints(config('/json/'), root);
    }).not.toThrow();
  });
});
