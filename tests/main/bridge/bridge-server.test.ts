import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RequestHandlers } from '../../../src/shared/ipc/contract';
import { decodeMessage, encodeMessage, type BridgeMessage } from '../../../src/shared/ipc/wire';
import { startBridgeServer, type BridgeServer } from '../../../src/main/bridge/bridge-server';
import { createEventHub } from '../../../src/main/channels/event-hub';
import { createIpcRouter } from '../../../src/main/channels/router';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { makeTempDir } from '../../support/temp-dir';

let bridge: BridgeServer | null = null;
afterEach(async () => {
  await bridge?.close();
  bridge = null;
});

function connect(url: string, options?: WebSocket.ClientOptions): Promise<{ ws: WebSocket; next: () => Promise<BridgeMessage> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    const inbox: BridgeMessage[] = [];
    const waiters: ((m: BridgeMessage) => void)[] = [];
    ws.on('message', (data: Buffer) => {
      const message = decodeMessage(new Uint8Array(data));
      const waiter = waiters.shift();
      if (waiter) waiter(message);
      else inbox.push(message);
    });
    ws.on('open', () =>
      resolve({ ws, next: () => new Promise((r) => (inbox.length > 0 ? r(inbox.shift() as BridgeMessage) : waiters.push(r))) }),
    );
    ws.on('error', reject);
  });
}

async function start(rendererDir?: string) {
  const logger = createMemoryLogger();
  const events = createEventHub(logger);
  const handlers = {
    'app:setLanguage': () => ({ ok: true }),
    'camera:status': () => ({ state: 'streaming', deviceId: 'file:demo', deviceLabel: 'Demo', message: null, fps: 15, restarts: 0 }),
  } as unknown as RequestHandlers;
  const router = createIpcRouter(handlers, logger);
  bridge = await startBridgeServer({ router, events, logger, rendererDir });
  return { events, bridge };
}

describe('dev/test bridge', () => {
  it('listens on 127.0.0.1 only', async () => {
    const { bridge } = await start();
    expect(new URL(bridge.url).hostname).toBe('127.0.0.1');
  });

  it('serves requests and events of the contract to a client with the token', async () => {
    const { events, bridge } = await start();
    const { ws, next } = await connect(bridge.wsUrl);
    ws.send(encodeMessage({ t: 'hello', token: bridge.token }));
    expect((await next()).t).toBe('ready');
    ws.send(encodeMessage({ t: 'req', id: 1, channel: 'app:setLanguage', args: ['pl'] }));
    expect(await next()).toEqual({ t: 'res', id: 1, ok: true, value: { ok: true } });
    ws.send(encodeMessage({ t: 'req', id: 2, channel: 'app:setLanguage', args: ['klingon'] }));
    const refused = await next();
    expect(refused).toMatchObject({ t: 'res', id: 2, ok: false });
    ws.send(encodeMessage({ t: 'req', id: 3, channel: 'camera:status', args: [] }));
    expect(await next()).toMatchObject({ t: 'res', id: 3, ok: true, value: { state: 'streaming', fps: 15 } });
    const rgb = new Uint8Array([1, 2, 3, 4, 5, 6]);
    events.emit('camera:preview', { seq: 1, width: 2, height: 1, rgb, capturedAt: 5 });
    const evt = (await next()) as Extract<BridgeMessage, { t: 'evt' }>;
    expect(evt.channel).toBe('camera:preview');
    expect(Array.from((evt.payload as { rgb: Uint8Array }).rgb)).toEqual([1, 2, 3, 4, 5, 6]);
    ws.close();
  });

  it('closes the socket of a client with a wrong token and sends it nothing', async () => {
    const { events, bridge } = await start();
    const { ws } = await connect(bridge.wsUrl);
    const received: unknown[] = [];
    ws.on('message', (m) => received.push(m));
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.send(encodeMessage({ t: 'hello', token: 'x'.repeat(bridge.token.length) }));
    expect(await closed).toBe(4003);
    events.emit('app:language', 'es');
    expect(received).toHaveLength(0);
  });

  it('refuses a WebSocket from another web page (Origin) or under another name (Host), token or not', async () => {
    const { bridge } = await start();
    const port = new URL(bridge.url).port;
    await expect(connect(bridge.wsUrl, { origin: 'http://evil.example' })).rejects.toThrow();
    await expect(connect(bridge.wsUrl, { origin: 'http://127.0.0.1:1' })).rejects.toThrow();
    await expect(connect(bridge.wsUrl, { headers: { host: `evil.example:${port}` } })).rejects.toThrow();
    await expect(connect(bridge.wsUrl, { origin: 'null' })).rejects.toThrow();
    // its own page (either loopback name) and a local non-browser client (no Origin) are let in, to be held to the token
    for (const origin of [bridge.url, `http://localhost:${port}`, undefined]) {
      const { ws, next } = await connect(bridge.wsUrl, origin ? { origin } : undefined);
      ws.send(encodeMessage({ t: 'hello', token: bridge.token }));
      expect((await next()).t).toBe('ready');
      ws.close();
    }
  });

  it('serves its page only under its own name (no DNS rebinding)', async () => {
    const dir = makeTempDir();
    fs.writeFileSync(path.join(dir, 'index.html'), '<html></html>');
    const { bridge } = await start(dir);
    const status = (host: string): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port: Number(new URL(bridge.url).port), path: '/', headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
      });
    expect(await status(`rebound.example:${new URL(bridge.url).port}`)).toBe(403);
    expect(await status(new URL(bridge.url).host)).toBe(200);
  });

  it('serves the renderer with the bridge client injected and a CSP that allows only this socket', async () => {
    const dir = makeTempDir();
    fs.writeFileSync(
      path.join(dir, 'index.html'),
      `<meta http-equiv="Content-Security-Policy" content="default-src 'self'; connect-src 'self'"><script type="module" src="./main.js"></script><!--kiosk-bridge-->`,
    );
    const { bridge } = await start(dir);
    const html = await (await fetch(`${bridge.url}/`)).text();
    expect(html).toContain(`connect-src 'self' ws://127.0.0.1:*`);
    // The client is injected before the app's own script so window.kiosk exists when the app starts.
    expect(html.indexOf('src="./bridge-client.js"')).toBeGreaterThan(0);
    expect(html.indexOf('src="./bridge-client.js"')).toBeLessThan(html.indexOf('src="./main.js"'));
    expect((await fetch(`${bridge.url}/../../etc/passwd`)).status).toBe(404);
    expect((await fetch(`${bridge.url}/missing.js`)).status).toBe(404);
  });
});
