import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/resolveConfig.js';

const valid = {
  appOrigins: ['https://app.example.com'],
  proxyOrigin: 'https://proxy.example.com',
  issuer: 'https://op.example.com',
  clientId: 'spa',
  rules: [{ origin: 'https://api.example.com', pathPrefix: '/v1/' }],
};

describe('resolveConfig: sign-in mode and redirect URIs', () => {
  it('is sealed by default, with the proxy origin’s redirect URIs only', () => {
    const config = resolveConfig(valid);
    expect(config.mode).toBe('sealed');
    expect(config.redirectUris).toEqual(['https://proxy.example.com/callback', 'https://proxy.example.com/silent-callback']);
  });

  it('refuses an app-origin redirect URI in sealed mode, naming the field and the rule', () => {
    expect(() => resolveConfig({ ...valid, redirectUris: ['https://app.example.com/callback'] })).toThrow(
      /redirectUris\[0\] is refused in sealed mode: register only the proxy origin's redirect URIs/,
    );
  });

  it('refuses another page of the proxy origin in sealed mode', () => {
    expect(() => resolveConfig({ ...valid, redirectUris: ['https://proxy.example.com/other'] })).toThrow(/redirectUris\[0\] is refused in sealed mode/);
  });

  it('refuses an unknown mode', () => {
    expect(() => resolveConfig({ ...valid, mode: 'open' })).toThrow(/mode must be 'sealed'/);
  });

  it('refuses a sign-in scope without openid', () => {
    expect(() => resolveConfig({ ...valid, scope: 'api' })).toThrow(/scope must be a space-separated scope that includes openid/);
  });

  it('takes the app’s redirect URIs in drop-in mode, on an app origin only', () => {
    expect(resolveConfig({ ...valid, mode: 'drop-in', redirectUris: ['https://app.example.com/callback'] }).redirectUris).toEqual(['https://app.example.com/callback']);
    expect(() => resolveConfig({ ...valid, mode: 'drop-in', redirectUris: ['https://evil.example.net/callback'] })).toThrow(/redirectUris\[0\] must be a page of an app origin/);
  });
});
