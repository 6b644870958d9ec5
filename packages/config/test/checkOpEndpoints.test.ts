import { describe, expect, it } from 'vitest';
import { checkOpEndpoints } from '../src/checkOpEndpoints.js';
import { resolveProxyConfig } from '../src/config.js';
import type { ResourceRule } from '../src/rules.js';

const endpoints = {
  issuer: 'https://accounts.example.com',
  token: 'https://oauth2.example.com/token',
  revocation: 'https://oauth2.example.com/revoke',
  userinfo: 'https://accounts.example.com/userinfo',
  end_session: 'https://logout.example.com/end',
};
const config = (rules: ResourceRule[], opOrigins: string[] = ['https://oauth2.example.com']) =>
  resolveProxyConfig({ appOrigins: ['https://app.example.com'], issuer: 'https://accounts.example.com', clientId: 'c', opOrigins, rules });
const check = (rules: ResourceRule[], opOrigins?: string[]) => () => {
  checkOpEndpoints(config(rules, opOrigins), endpoints);
};

describe('checkOpEndpoints: endpoint origins', () => {
  it('accepts endpoints on the issuer’s origin and on listed origins; end_session may be anywhere', () => {
    expect(check([])).not.toThrow();
  });

  it('refuses an endpoint on an origin the configuration does not list, naming opOrigins and the origin', () => {
    expect(check([], [])).toThrow(/opOrigins must list https:\/\/oauth2\.example\.com/);
  });
});

describe('checkOpEndpoints: rules that overlap the OP', () => {
  it.each([
    ['the token endpoint', { origin: 'https://oauth2.example.com', pathPrefix: '/token' }],
    ['the token endpoint in upper case', { origin: 'https://oauth2.example.com', pathPrefix: '/TOKEN/' }],
    ['the whole origin of the token endpoint', { origin: 'https://oauth2.example.com' }],
    ['the revocation endpoint, for GET only', { origin: 'https://oauth2.example.com', pathPrefix: '/revoke', methods: ['GET'] }],
    ['the userinfo endpoint with the host session', { origin: 'https://accounts.example.com', pathPrefix: '/userinfo', credential: 'host_session' }],
  ] as [string, ResourceRule][])('refuses a rule covering %s, naming the rule', (_name, rule) => {
    expect(check([{ origin: 'https://api.example.com' }, rule])).toThrow(/rules\[1\] must not cover/);
  });

  it('accepts a rule for userinfo with the access token, and rules beside the endpoints', () => {
    expect(check([{ origin: 'https://accounts.example.com', pathPrefix: '/userinfo' }])).not.toThrow();
    expect(check([{ origin: 'https://oauth2.example.com', pathPrefix: '/tokens' }])).not.toThrow();
    expect(check([{ origin: 'https://accounts.example.com', pathPrefix: '/api/' }])).not.toThrow();
  });
});
