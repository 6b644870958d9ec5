import { PROTOCOL_VERSION, VaultError } from '@tokenvault/protocol';
import { resolveProxyConfig } from '@tokenvault/config';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startProxy } from '../src/startProxy.js';
import type { VaultProxy } from '../src/routing/VaultProxy.js';

// Where a popup sign-in's outcome goes: startProxy's messaging over Node's real MessageChannel, in a
// stand-in for the proxy frame's window. The flow's outcome (naming its flow id) goes to the port
// that asked for the sign-in, and to no other; a sign-in is still news (`signed-in`, without the
// id) for the others. The popup's own side and the session watch are PopupSignIn.test.ts's.

const FLOW = 'F'.repeat(43);
vi.mock('../src/signin/PopupSignIn.js', () => ({
  PopupSignIn: class {
    begin(): string {
      return FLOW;
    }
  },
}));
vi.mock('../src/signin/SealedSession.js', () => ({
  SealedSession: class {
    start(): void {}
    stop(): void {}
  },
}));

const APP = 'https://app.example.com';
const parent = {};
let deliver: (event: object) => void;
let proxy: VaultProxy;
const opened: MessagePort[] = [];

beforeEach(() => {
  vi.stubGlobal('window', {
    parent,
    addEventListener: (type: string, listener: (event: object) => void) => {
      if (type === 'message') deliver = listener;
    },
  });
  proxy = {
    metadata: async () => ({ issuer: 'https://op.example.com', endpoints: { issuer: 'https://op.example.com', token: 'https://op.example.com/token' } }),
    status: async () => ({ signedIn: false, expiresAt: null, apis: [] }),
    preloadRouting: () => {},
    onEvent: () => {},
    hostSession: { present: false, onTaken: () => {} },
  } as unknown as VaultProxy;
  const config = resolveProxyConfig({ mode: 'sealed', appOrigins: [APP], issuer: 'https://op.example.com', clientId: 'sealed', rules: [] });
  expect(startProxy(config, proxy)).toBe(proxy);
});
afterEach(() => {
  vi.unstubAllGlobals();
  for (const port of opened.splice(0)) port.close();
});

/** A page's port, connected, with what it received. */
async function connect(): Promise<{ port: MessagePort; replies: Record<string, unknown>[] }> {
  const { port1, port2 } = new MessageChannel();
  opened.push(port1);
  const end = { port: port1, replies: [] as Record<string, unknown>[] };
  port1.onmessage = (event: MessageEvent<Record<string, unknown>>) => void end.replies.push(event.data);
  deliver({ source: parent, origin: APP, data: { v: PROTOCOL_VERSION, type: 'connect', role: 'page' }, ports: [port2] });
  await expect.poll(() => end.replies[0]?.type).toBe('hello');
  return end;
}
const events = (end: { replies: Record<string, unknown>[] }): Record<string, unknown>[] => end.replies.filter((reply) => reply.type === 'event');

describe('startProxy: a popup sign-in’s outcome goes to the port that started it', () => {
  it('answers the sign-in with its flow id; its signed-in names the flow on that port only, the others hear signed-in', async () => {
    const asker = await connect();
    const other = await connect();
    asker.port.postMessage({ v: PROTOCOL_VERSION, type: 'sign-in', id: 1 });
    await expect.poll(() => asker.replies.find((reply) => reply.type === 'result')).toMatchObject({ id: 1, flow: FLOW });

    proxy.onEvent('signed-in', { flow: FLOW });
    await expect.poll(() => events(asker)).toEqual([{ v: PROTOCOL_VERSION, type: 'event', name: 'signed-in', flow: FLOW }]);
    await expect.poll(() => events(other)).toEqual([{ v: PROTOCOL_VERSION, type: 'event', name: 'signed-in' }]);
  });

  it('its error names the flow, on that port only', async () => {
    const asker = await connect();
    const other = await connect();
    asker.port.postMessage({ v: PROTOCOL_VERSION, type: 'sign-in', id: 1 });
    await expect.poll(() => asker.replies.find((reply) => reply.type === 'result')).toMatchObject({ flow: FLOW });

    proxy.onEvent('error', { error: new VaultError('TV_INVALID_STATE'), flow: FLOW });
    await expect.poll(() => events(asker)).toMatchObject([{ name: 'error', error: 'TV_INVALID_STATE', flow: FLOW }]);
    // The positive signal: an event every port hears comes after it, in order.
    proxy.onEvent('renewed');
    await expect.poll(() => events(other)).toEqual([{ v: PROTOCOL_VERSION, type: 'event', name: 'renewed' }]);
  });

  it('an error of no sign-in (a renewal’s) goes to every port and names no flow', async () => {
    const asker = await connect();
    const other = await connect();
    asker.port.postMessage({ v: PROTOCOL_VERSION, type: 'sign-in', id: 1 });
    await expect.poll(() => asker.replies.find((reply) => reply.type === 'result')).toMatchObject({ flow: FLOW });

    proxy.onEvent('error', { error: new VaultError('TV_SESSION_CHECK_FAILED') });
    for (const end of [asker, other]) {
      await expect.poll(() => events(end)).toHaveLength(1);
      expect(events(end)[0]).not.toHaveProperty('flow');
    }
  });
});
