/**
 * Dev/test only: builds `window.kiosk` from the dev/test bridge's WebSocket, so the same renderer
 * that runs in Electron runs in a plain browser. Injected by the bridge server; never loaded in
 * Electron. The token comes from the page URL's fragment (`#bridge=<token>`).
 */
import type { EventChannel, KioskApi } from '../shared/ipc/contract';
import { createListenerRegistry, type PayloadListener } from '../shared/ipc/listeners';
import { decodeMessage, encodeMessage, type BridgeMessage } from '../shared/ipc/wire';

function createBridgeKiosk(wsUrl: string, token: string): KioskApi {
  const listeners = createListenerRegistry();
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const queue: BridgeMessage[] = [];
  let nextId = 1;
  let socket: WebSocket | null = null;
  let ready = false;

  const connect = (): void => {
    ready = false;
    socket = new WebSocket(wsUrl);
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => socket?.send(encodeMessage({ t: 'hello', token }));
    socket.onmessage = (event: MessageEvent<ArrayBuffer>) => {
      const message = decodeMessage(new Uint8Array(event.data));
      if (message.t === 'ready') {
        ready = true;
        while (queue.length > 0) socket?.send(encodeMessage(queue.shift() as BridgeMessage));
      } else if (message.t === 'res') {
        const entry = pending.get(message.id);
        pending.delete(message.id);
        if (!entry) return;
        if (message.ok) entry.resolve(message.value);
        else entry.reject(new Error(message.error));
      } else if (message.t === 'evt') {
        listeners.emit(message.channel, message.payload);
      }
    };
    socket.onclose = () => {
      for (const entry of pending.values()) entry.reject(new Error('bridge disconnected'));
      pending.clear();
      setTimeout(connect, 1000);
    };
  };
  connect();

  /** Sends one request (or state read) and resolves with main's answer; queued until the socket is ready. */
  const request = (channel: string, args: unknown[]): Promise<never> => {
    const id = nextId++;
    const message: BridgeMessage = { t: 'req', id, channel, args };
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      if (ready && socket?.readyState === WebSocket.OPEN) socket.send(encodeMessage(message));
      else queue.push(message);
    });
  };

  return {
    invoke: (channel, ...args) => request(channel, args as unknown as unknown[]),
    get: (channel) => request(channel, []),
    on: (channel: EventChannel, listener: (payload: never) => void) => listeners.add(channel, listener as PayloadListener),
  };
}

const token = new URLSearchParams(window.location.hash.slice(1)).get('bridge');
if (token && !(window as { kiosk?: KioskApi }).kiosk) {
  const wsUrl = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/kiosk-bridge`;
  window.kiosk = createBridgeKiosk(wsUrl, token);
}
