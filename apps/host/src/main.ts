// A host page on another site that embeds the demo like a custom web tab. It hands its session ID
// to the app's vault proxy frame, at the proxy origin only (serveHostSession): the app's window
// never receives it.
import { serveHostSession } from '@tokenvault/client';
import './style.css';

interface HostConfig {
  /** The embedded app's URL. */
  appUrl: string;
  appOrigin: string;
  /** The app's vault proxy origin: the session ID goes there. */
  proxyOrigin: string;
  /** This host's session ID for the user (in a real host: from its own sign-in). */
  sessionId: string;
}

declare global {
  interface Window {
    /** For the end-to-end tests: with `?hold` in the URL the host answers only once `release()` is called. */
    host: { release(): void };
  }
}

const config = JSON.parse(document.getElementById('host-config')?.textContent ?? '{}') as HostConfig;
const log = (text: string): void => {
  const item = document.createElement('li');
  item.textContent = text;
  document.getElementById('log')?.append(item);
};

let release!: () => void;
const released = new Promise<void>((resolve) => (release = resolve));
const hold = new URLSearchParams(location.search).has('hold');
window.host = { release };

const frame = document.createElement('iframe');
frame.id = 'app';
frame.title = 'Demo app';
// Started before the frame loads, so that the app's first "ready" is not missed.
serveHostSession({
  frame,
  proxyOrigin: config.proxyOrigin,
  appOrigin: config.appOrigin,
  sessionId: async () => {
    log('the app is ready');
    if (hold) await released;
    log('handed it the session ID');
    return config.sessionId;
  },
  onIgnored: (reason) => {
    log(`ignored a message (${reason})`);
  },
  onError: (error) => {
    log(`could not answer: ${error.code}`);
  },
  onHandedOver: () => {
    log('the vault took it');
  },
});
frame.src = config.appUrl;
const tab = document.getElementById('tab');
if (!tab) throw new Error('the page has no #tab');
tab.append(frame);
