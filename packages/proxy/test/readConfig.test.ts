import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/readConfig.js';

const PROXY = 'https://proxy.example.com';
const page = (config: unknown) =>
  ({ location: { origin: PROXY }, getElementById: (id: string) => (id === 'tokenvault-config' ? { textContent: JSON.stringify(config) } : null) }) as unknown as Document;
const config = { appOrigins: ['https://app.example.com'], issuer: 'https://op.example.com', clientId: 'spa', rules: [{ origin: 'https://api.example.com' }] };

describe('readConfig', () => {
  it('reads the block of its own page', () => {
    expect(readConfig(page(config)).rules[0]?.origin).toBe('https://api.example.com');
  });

  it('refuses a rule on the proxy origin itself, naming the rule', () => {
    expect(() => readConfig(page({ ...config, rules: [config.rules[0], { origin: PROXY, pathPrefix: '/' }] }))).toThrow(/rules\[1\]\.origin must not be the proxy origin/);
  });
});
