// The benchmark's ForgeRock app page, as the Token Vault README sets it up: register the
// interceptor, mount the proxy. "Ready" is when the worker controls the page and the proxy loaded.
import { client } from '@forgerock/token-vault';

const config = JSON.parse(document.getElementById('bench-config').textContent);
const register = client(config);
const controlled = navigator.serviceWorker.controller
  ? Promise.resolve()
  : new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
register.interceptor();
const loaded = register.proxy(document.getElementById('token-vault'));
Promise.all([controlled, loaded]).then(() => {
  window.benchReadyAt = performance.now();
});
