import { VaultError } from '@tokenvault/protocol';

/** JSON that can sit inside a `<script>` element: nothing in it can close the element or open a comment. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/**
 * An HTML page with a JSON configuration block `<script type="application/json" id="…">` in its
 * head: replaced if the page has one, added before `</head>` otherwise. The block is data, not
 * script, so a strict `script-src 'self'` policy still holds.
 *
 * @example
 * ```ts
 * withConfigBlock('<html><head></head></html>', 'tokenvault-config', { clientId: 'spa' })
 * // '<html><head><script type="application/json" id="tokenvault-config">{"clientId":"spa"}</script></head></html>'
 * ```
 */
export function withConfigBlock(html: string, id: string, value: unknown): string {
  return withJsonBlock(html, id, scriptSafeJson(value));
}

/**
 * {@link withConfigBlock} for JSON already made script-safe (by {@link scriptSafeJson}), with
 * `data-*` attributes on the element (their values must need no escaping in an attribute: `"`,
 * `&`, `<` and `>` are refused). Replaces the block of that id, whatever its attributes were.
 *
 * @example
 * ```ts
 * withJsonBlock(html, 'tokenvault-config-resolved', scriptSafeJson(resolved), { 'data-sha256': digest })
 * ```
 */
export function withJsonBlock(html: string, id: string, json: string, attributes: Record<`data-${string}`, string> = {}): string {
  const extra = Object.entries(attributes)
    .map(([name, value]) => {
      if (!/^data-[a-z0-9-]+$/.test(name) || /["&<>]/.test(value)) throw new VaultError('TV_INVALID_CONFIG', `The attribute ${name} of the ${id} block cannot be written as it is`);
      return ` ${name}="${value}"`;
    })
    .join('');
  const block = `<script type="application/json" id="${id}"${extra}>${json}</script>`;
  // scriptSafeJson never emits "<", so the first "</script>" after the opening tag ends the block.
  const existing = new RegExp(`<script type="application/json" id="${id}"(?: data-[a-z0-9-]+="[^"&<>]*")*>[^<]*</script>`);
  if (existing.test(html)) return html.replace(existing, () => block);
  if (!html.includes('</head>')) {
    throw new VaultError('TV_INVALID_CONFIG', `The page has no </head> to put the ${id} block in`);
  }
  return html.replace('</head>', () => `${block}</head>`);
}
