import { readFileSync } from 'node:fs';

/** JSON that can sit inside a <script> element: nothing in it can close the element. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/**
 * A built page with a JSON configuration block added to its head. The block is data, not script,
 * so a strict `script-src 'self'` policy still holds.
 */
export function pageWithConfig(file: string, id: string, config: unknown): string {
  const html = readFileSync(file, 'utf8');
  if (!html.includes('</head>')) throw new Error(`${file} has no </head>`);
  return html.replace('</head>', `<script type="application/json" id="${id}">${scriptSafeJson(config)}</script></head>`);
}
