import { PROTOCOL_VERSION, type ListeningMessage } from '@tokenvault/protocol';
import { readConfig } from './readConfig.js';
import { startProxy } from './startProxy.js';

const status = document.getElementById('status');
// The page reads its configuration asynchronously (the digest of its block, or the checker's
// chunk): the app's connect may come first (an app that connects at this frame's load event, the
// fallback when it missed the frame's "listening"). Kept here, the frame takes them when it starts
// (AppPorts.listen).
const early: MessageEvent[] = [];
const keep = (event: MessageEvent): void => {
  early.push(event);
};
window.addEventListener('message', keep);
// Shown on the page, for the developer who opens it; never sent to the app.
const show = (err: unknown): never => {
  if (status) status.textContent = `Token Vault proxy: ${err instanceof Error ? err.message : String(err)}`;
  throw err;
};
// One page, several roles by path: the frame the app embeds (/), and the sealed sign-in's
// start (/signin) and redirect URI (/callback), each in a chunk of its own (import()): the frame's
// first chunk holds only what it needs to say hello (startProxy says what loads later). /silent-callback
// runs nothing: the proxy frame reads the answer of a prompt=none request from its child frame's URL
// (same origin). The kit's servers answer it with a page of its own that loads no script
// (SILENT_CALLBACK_PAGE of @tokenvault/build); the case stays for a deployment that still serves
// this page there (an older template, a server configured by hand).
async function run(): Promise<void> {
  const config = await readConfig().finally(() => {
    window.removeEventListener('message', keep);
  });
  switch (location.pathname) {
    case '/signin': {
      const pages = await import('./signin/signInPages.js');
      if (new URLSearchParams(location.search).has('popup')) pages.runPopupStart(status);
      else void pages.runRedirectStart(config);
      break;
    }
    case '/callback':
      void (await import('./signin/signInPages.js')).runCallback(config, status);
      break;
    case '/silent-callback':
      break;
    default:
      if (startProxy(config, undefined, early.splice(0))) {
        // Listening now: the app may connect without waiting for this frame's load event (which
        // also waits for the chunks the frame imports). To each configured app origin exactly,
        // never "*": only the one that embeds this frame receives it.
        const listening: ListeningMessage = { v: PROTOCOL_VERSION, type: 'listening' };
        for (const origin of config.appOrigins) window.parent.postMessage(listening, origin);
        if (status) status.textContent = 'Token Vault proxy: running.';
      }
  }
}
void run().catch(show);
