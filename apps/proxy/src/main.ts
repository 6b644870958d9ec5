import { readConfig } from './readConfig.js';
import { startProxy } from './startProxy.js';

const status = document.getElementById('status');
try {
  if (startProxy(readConfig()) && status) status.textContent = 'Token Vault proxy: running.';
} catch (err) {
  // Shown on the page, for the developer who opens it; never sent to the app.
  if (status) status.textContent = `Token Vault proxy: ${err instanceof Error ? err.message : String(err)}`;
  throw err;
}
