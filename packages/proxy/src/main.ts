import { readConfig } from './readConfig.js';
import { runCallback, runPopupStart, runRedirectStart } from './signin/signInPages.js';
import { startProxy } from './startProxy.js';

const status = document.getElementById('status');
try {
  const config = readConfig();
  // One page, several roles by path: the frame the app embeds (/), and the sealed sign-in's
  // start (/signin) and redirect URI (/callback). /silent-callback runs nothing: the proxy frame
  // reads the answer of a prompt=none request from its child frame's URL (same origin).
  switch (location.pathname) {
    case '/signin':
      if (new URLSearchParams(location.search).has('popup')) runPopupStart(status);
      else void runRedirectStart(config);
      break;
    case '/callback':
      void runCallback(config, status);
      break;
    case '/silent-callback':
      break;
    default:
      if (startProxy(config) && status) status.textContent = 'Token Vault proxy: running.';
  }
} catch (err) {
  // Shown on the page, for the developer who opens it; never sent to the app.
  if (status) status.textContent = `Token Vault proxy: ${err instanceof Error ? err.message : String(err)}`;
  throw err;
}
