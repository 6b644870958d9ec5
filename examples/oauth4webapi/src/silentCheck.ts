/**
 * Loads `url` (a prompt=none authorization request) in a hidden iframe and resolves with the URL
 * the OP sends it back to, once it is on `redirectUri` (this origin, so its URL can be read).
 */
export function silentCheck(url: URL, redirectUri: string, timeoutMs = 10_000): Promise<URL> {
  const iframe = document.createElement('iframe');
  iframe.hidden = true;
  iframe.src = url.href;
  return new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => {
      iframe.remove();
      reject(new Error('The OP did not answer the session check in time'));
    }, timeoutMs);
    iframe.addEventListener('load', () => {
      let here: URL;
      try {
        here = new URL(iframe.contentWindow?.location.href ?? '');
      } catch {
        return; // still on the OP
      }
      if (`${here.origin}${here.pathname}` !== redirectUri) return;
      clearTimeout(timer);
      iframe.remove();
      resolve(here);
    });
    document.body.append(iframe);
  });
}
