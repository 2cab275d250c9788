/**
 * Dev/test bridge: serves the same IPC contract as Electron's preload over a WebSocket on 127.0.0.1,
 * and (optionally) the built renderer over HTTP with a bridge client injected, so the real renderer
 * runs in a plain browser against the real main-side services. Loopback only, a random token per
 * start, and off in the packaged app unless explicitly enabled. Besides the token, every request must
 * name the bridge itself as its `Host` (so a DNS-rebound name cannot reach it), and a WebSocket from
 * a browser must come from the bridge's own page (`Origin`), so no other web page can talk to it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeMessage, encodeMessage, type BridgeMessage } from '../../shared/ipc/wire';
import type { Logger } from '../logging/logger';
import type { EventHub } from '../channels/event-hub';
import type { IpcRouter } from '../channels/router';

export interface BridgeServerOptions {
  router: IpcRouter;
  events: EventHub;
  logger: Logger;
  /** Folder of the built renderer (out/renderer) to serve; omit to serve only the WebSocket. */
  rendererDir?: string;
  /** 0 picks a free port. */
  port?: number;
  token?: string;
}

export interface BridgeServer {
  url: string;
  wsUrl: string;
  token: string;
  /** URL that opens the renderer already connected (token in the fragment, never sent to the server in logs). */
  pageUrl: string;
  clients(): number;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.tflite': 'application/octet-stream',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

/** Events that may be dropped for a slow client instead of queueing without bound. */
const DROPPABLE = new Set(['camera:preview', 'face:observation']);
const MAX_BUFFERED_BYTES = 2 * 1024 * 1024;

export async function startBridgeServer(options: BridgeServerOptions): Promise<BridgeServer> {
  const token = options.token ?? crypto.randomBytes(24).toString('hex');
  const log = options.logger.child('bridge');
  const sockets = new Set<WebSocket>();

  let port = 0;
  const server = http.createServer((req, res) => {
    const refused = refusal(req, port, false);
    if (refused) {
      log.warn('bridge request refused', { reason: refused });
      res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden');
      return;
    }
    serveStatic(req, res, options.rendererDir, log);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });

  server.on('upgrade', (req, socket, head) => {
    const refused = refusal(req, port, true) ?? (req.url?.startsWith('/kiosk-bridge') ? null : 'not the bridge path');
    if (refused) {
      log.warn('bridge connection refused', { reason: refused });
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws));
  });

  wss.on('connection', (ws) => {
    let authed = false;
    let unsubscribe: (() => void) | null = null;
    const send = (message: BridgeMessage): void => {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(encodeMessage(message));
    };
    const authTimer = setTimeout(() => {
      if (!authed) ws.close(4001, 'no token');
    }, 5000);

    ws.on('message', (data, isBinary) => {
      let message: BridgeMessage;
      try {
        const bytes = isBinary ? new Uint8Array(data as Buffer) : new TextEncoder().encode(String(data));
        message = isBinary ? decodeMessage(bytes) : (JSON.parse(String(data)) as BridgeMessage);
      } catch {
        ws.close(4002, 'bad message');
        return;
      }
      if (!authed) {
        if (message.t === 'hello' && safeEqual(message.token, token)) {
          authed = true;
          clearTimeout(authTimer);
          sockets.add(ws);
          unsubscribe = options.events.subscribe((channel, payload) => {
            if (DROPPABLE.has(channel) && ws.bufferedAmount > MAX_BUFFERED_BYTES) return;
            send({ t: 'evt', channel, payload });
          });
          send({ t: 'ready' });
        } else {
          log.warn('bridge client refused: bad token');
          ws.close(4003, 'bad token');
        }
        return;
      }
      if (message.t !== 'req') return;
      options.router.dispatch(message.channel, message.args).then(
        (value) => send({ t: 'res', id: message.id, ok: true, value }),
        (error: unknown) => send({ t: 'res', id: message.id, ok: false, error: error instanceof Error ? error.message : 'failed' }),
      );
    });
    ws.on('close', () => {
      clearTimeout(authTimer);
      sockets.delete(ws);
      unsubscribe?.();
    });
    ws.on('error', () => undefined);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const wsUrl = `ws://127.0.0.1:${port}/kiosk-bridge`;
  log.info('bridge listening on loopback', { port });
  return {
    url,
    wsUrl,
    token,
    pageUrl: `${url}/#bridge=${token}`,
    clients: () => sockets.size,
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
    },
  };
}

function isLoopback(address: string): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

/** The bridge's own names: what its page's address (and so `Host` and `Origin`) may be. */
function ownHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}

/**
 * Why a request may not reach the bridge, or null: it must come from loopback and name the bridge as
 * its Host; a WebSocket that carries an Origin (every browser sends one) must come from the bridge's
 * own page. A WebSocket without Origin is a local non-browser client (tests, tools), still held to
 * the token.
 */
export function refusal(req: Pick<http.IncomingMessage, 'headers' | 'socket'>, port: number, webSocket: boolean): string | null {
  if (!isLoopback(req.socket.remoteAddress ?? '')) return 'not from loopback';
  const hosts = ownHosts(port);
  const host = (req.headers.host ?? '').toLowerCase();
  if (!hosts.has(host)) return `foreign Host header (${host.slice(0, 100) || 'none'})`;
  const origin = req.headers.origin;
  if (webSocket && origin !== undefined) {
    let originHost: string | null = null;
    try {
      const parsed = new URL(origin);
      originHost = parsed.protocol === 'http:' ? parsed.host.toLowerCase() : null;
    } catch {
      originHost = null;
    }
    if (originHost === null || !hosts.has(originHost)) return `foreign Origin (${origin.slice(0, 100)})`;
  }
  return null;
}

function safeEqual(a: unknown, b: string): boolean {
  if (typeof a !== 'string' || a.length !== b.length) return false;
  return crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function serveStatic(req: http.IncomingMessage, res: http.ServerResponse, rootDir: string | undefined, log: Logger): void {
  if (!rootDir) {
    res.writeHead(404).end();
    return;
  }
  const urlPath = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
  const relative = urlPath === '/' ? 'index.html' : urlPath.replace(/^\/+/, '');
  const root = path.resolve(rootDir);
  const file = path.resolve(root, relative);
  if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  let body: Buffer | string = fs.readFileSync(file);
  const ext = path.extname(file);
  if (relative === 'index.html') {
    // Same page as in Electron, plus the bridge client, and a CSP that allows this loopback socket.
    // Module scripts run in document order: the client goes before the app's first script, so
    // window.kiosk exists when the app starts (the build hoists the app's script into <head>).
    const html = body.toString('utf8').replace("connect-src 'self'", "connect-src 'self' ws://127.0.0.1:*").replace('<!--kiosk-bridge-->', '');
    const tag = '<script type="module" src="./bridge-client.js"></script>';
    const firstScript = html.indexOf('<script');
    body = firstScript >= 0 ? `${html.slice(0, firstScript)}${tag}\n    ${html.slice(firstScript)}` : html.replace('</body>', `${tag}</body>`);
  }
  log.debug('served', { path: relative });
  res.writeHead(200, { 'content-type': MIME[ext] ?? 'application/octet-stream', 'cache-control': 'no-store' });
  res.end(body);
}
