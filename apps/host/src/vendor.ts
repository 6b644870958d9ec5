// A host page we do not control, as the vendor of the seed document wrote it: it answers every
// "ready" of the app's window with {"message_id":"session_id",...} as a JSON string, posted to the
// app's window. `?target=star` posts it to "*", as the widely copied sample does; otherwise to the
// app's origin. For the tests of the 'app-window' compatibility mode: the kit's own code never
// posts to "*". `?hold`: it answers only once `host.release()` is called (for the tests).
import './style.css';

interface HostConfig {
  appUrl: string;
  appOrigin: string;
  sessionId: string;
}

const config = JSON.parse(document.getElementById('host-config')?.textContent ?? '{}') as HostConfig;
const target = new URLSearchParams(location.search).get('target') === 'star' ? '*' : config.appOrigin;
const log = (text: string): void => {
  const item = document.createElement('li');
  item.textContent = text;
  document.getElementById('log')?.append(item);
};

let release!: () => void;
const released = new Promise<void>((resolve) => (release = resolve));
const hold = new URLSearchParams(location.search).has('hold');
(window as unknown as { host: { release(): void } }).host = { release };

const frame = document.createElement('iframe');
frame.id = 'app';
frame.title = 'Demo app';
window.addEventListener('message', (event) => {
  void answerReady(event);
});

async function answerReady(event: MessageEvent): Promise<void> {
  const app = frame.contentWindow;
  if (app === null || event.source !== app || typeof event.data !== 'string') return;
  let message: { message_id?: unknown };
  try {
    message = JSON.parse(event.data) as { message_id?: unknown };
  } catch {
    return;
  }
  if (message.message_id !== 'ready') return;
  log('the app is ready');
  if (hold) await released;
  app.postMessage(JSON.stringify({ message_id: 'session_id', data: { session_id: config.sessionId } }), target);
  log(`posted the session ID to ${target === '*' ? '"*"' : 'the app origin'}`);
}
frame.src = config.appUrl;
const tab = document.getElementById('tab');
if (!tab) throw new Error('the page has no #tab');
tab.append(frame);
