import type { SerializedRequest } from '@tokenvault/protocol';
import { REDACTED } from '../tokens/redact.js';
import { upstreamFetch } from '../network/upstream.js';
import { readAnswer } from '../tokens/tokenEndpoint.js';
import { tokenErrorResponse } from './tokenErrorResponse.js';
import { tokenParam } from './tokenParam.js';
import type { VaultAccess } from '../tokens/VaultAccess.js';

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

/**
 * An introspection request from the app (`token=REDACTED` and a `token_type_hint`), for OPs that
 * let a public client introspect its own tokens: performed by the proxy with the stored token of
 * that kind and the vault's `client_id`. The answer is rebuilt from its plain fields (strings,
 * numbers, booleans, lists of strings), with any copy of a stored token redacted. With nothing
 * stored the answer is `{"active":false}`, as RFC 7662 §2.2 answers an unknown token.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7662
 */
export async function introspectionRequest(access: VaultAccess, request: SerializedRequest, endpoint: string): Promise<Response> {
  const tokens = await access.tokens();
  const { kind, token } = tokenParam(request, tokens, access.clientId, access.placeholderShape);
  if (!tokens || !token) return new Response(JSON.stringify({ active: false }), { status: 200, headers: JSON_HEADERS });
  const response = await upstreamFetch(
    endpoint,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ token, token_type_hint: kind, client_id: access.clientId }),
    },
    access.upstreamMs,
  );
  const secrets = [tokens.accessToken, tokens.refreshToken];
  if (!response.ok) return tokenErrorResponse(await readAnswer(response), secrets);
  const json: unknown = await response.json().catch(() => null);
  return new Response(JSON.stringify(plainFields(json, secrets)), { status: 200, headers: JSON_HEADERS });
}

function plainFields(json: unknown, secrets: readonly (string | null)[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof json !== 'object' || json === null) return { active: false };
  const clean = (value: string): string => (secrets.includes(value) ? REDACTED : value);
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    if (typeof value === 'string') out[key] = clean(value);
    else if (typeof value === 'number' || typeof value === 'boolean') out[key] = value;
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) out[key] = value.map(clean);
  }
  return out;
}
