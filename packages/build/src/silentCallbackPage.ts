/**
 * The page the proxy origin answers `/silent-callback` with (sealed mode): the redirect URI of the
 * proxy frame's `prompt=none` renewal, whose answer the proxy frame reads from the child frame's URL
 * (same origin). It runs nothing and loads nothing: no script, no preload of the OP's discovery
 * document, no configuration to read, as the proxy page would on every renewal. Every server of the
 * proxy origin serves it with the flow pages' headers: the dev host, the Vite plugin's proxy-origin
 * server, and nginx (the build writes it as `silent-callback.html`).
 *
 * @example
 * ```ts
 * reply.type('text/html; charset=utf-8').headers(proxyFlowPageHeaders(resolved)).send(SILENT_CALLBACK_PAGE)
 * ```
 */
export const SILENT_CALLBACK_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Token Vault</title></head><body>\n' +
  "<!-- The redirect URI of a prompt=none renewal: the proxy frame reads the answer from this frame's URL. Nothing runs here. -->\n" +
  '</body></html>\n';

/** The file name of {@link SILENT_CALLBACK_PAGE} in the proxy origin's build (`writeProxyOrigin`). */
export const SILENT_CALLBACK_FILE = 'silent-callback.html';
