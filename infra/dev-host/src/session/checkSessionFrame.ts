// The script of the OP's check_session_iframe page (a browser module, served by the dev host).
import { readBrowserState } from './browserState.js';
import { checkSessionAnswer, type CheckSessionClients } from './checkSessionAnswer.js';

const config = JSON.parse(document.getElementById('check-session-config')?.textContent ?? '{}') as { clients?: CheckSessionClients };
const clients = config.clients ?? {};

window.addEventListener('message', (event) => {
  const source = event.source as Window | null;
  // No window to answer, or an opaque origin that no answer can be addressed to: nothing to do.
  if (!source || typeof source.postMessage !== 'function' || event.origin === 'null') return;
  void checkSessionAnswer(event.data, event.origin, clients, readBrowserState(document.cookie)).then((answer) => {
    // To the asking window at its own origin only, as the spec's example does; never "*".
    source.postMessage(answer, event.origin);
  });
});
