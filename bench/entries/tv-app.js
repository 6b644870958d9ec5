// The benchmark's minimal app page for our vault, the counterpart of fr-app.js: start the vault
// first thing, as the README advises. "Ready" is when `vault.ready` resolves (the worker controls
// the page and the proxy has answered on both channels).
import { createVault } from '@tokenvault/client';

const { proxyUrl } = JSON.parse(document.getElementById('bench-config').textContent);
// For the first visit's timeline (bench/src/profile.ts): when the app hands over to the vault.
performance.mark('createVault called');
createVault({ proxyUrl }).ready.then(() => {
  window.benchReadyAt = performance.now();
});
