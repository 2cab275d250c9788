/**
 * The HotelMate double's HTTP face: a node:http server on 127.0.0.1 that reads each request,
 * applies the pending faults around the backend (latency, dropped sockets, 500 after the write,
 * malformed bodies, another answer after the write, rejected tokens), sends the answer and logs the request with its timing.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { DoubleClock } from './clock';
import type { FaultBook, FaultRule } from './faults';
import type { BackendRequest, BackendResponse } from './protocol';

export interface RequestRecord {
  method: string;
  /** Path without the query string. */
  path: string;
  query: string;
  /** HTTP status sent, or 0 when the connection was dropped. */
  status: number;
  /** The injected fault applied to this request, if any. */
  fault: 'latency' | 'hold' | 'fail_after_write' | 'drop_before' | 'drop_after' | 'reject_token' | 'malformed' | 'answer_after_write' | null;
  at: string;
  /** Time the double spent on the request (body read, handler, faults), in ms. */
  ms: number;
}

export interface HttpServerOptions {
  /** Port on 127.0.0.1; 0 for a free one. */
  port: number;
  clock: DoubleClock;
  faults: FaultBook;
  /** Answers through the backend (and records the Pusher triggers it made). */
  dispatch(request: BackendRequest): BackendResponse;
  /** Called once per request, when it starts; the record is completed in place. */
  onRequest(record: RequestRecord): void;
}

export interface DoubleHttpServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Stops listening and destroys open sockets (a request waiting on latency is dropped). */
  close(): Promise<void>;
}

const MAX_BODY = 20 * 1024 * 1024;
const INJECTED_HTML_500 = '<h1>Server Error (500)</h1>';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function send(res: http.ServerResponse, response: BackendResponse, override?: string): void {
  const headers: Record<string, string> = { ...(response.headers ?? {}) };
  let payload: string;
  if (override !== undefined) {
    payload = override;
    headers['Content-Type'] = 'application/json';
  } else if (response.html !== undefined) {
    payload = response.html;
    headers['Content-Type'] = 'text/html; charset=utf-8';
  } else {
    payload = JSON.stringify(response.json ?? null);
    headers['Content-Type'] = 'application/json';
  }
  headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(response.status, headers);
  res.end(payload);
}

/** Reads the body; null when it exceeds MAX_BODY. */
async function readBody(req: http.IncomingMessage): Promise<{ body: unknown; invalidJson: boolean } | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw.trim() === '') return { body: {}, invalidJson: false };
  try {
    return { body: JSON.parse(raw) as unknown, invalidJson: false };
  } catch {
    return { body: {}, invalidJson: true };
  }
}

/** What the request handler needs to know about the server while it runs. */
interface LiveServer {
  origin: string;
  closed: boolean;
}

/** Starts the server; resolves once it listens. */
export async function startHttpServer(options: HttpServerOptions): Promise<DoubleHttpServer> {
  const live: LiveServer = { origin: 'http://127.0.0.1', closed: false };
  const server = http.createServer((req, res) => {
    serveRequest(options, live, req, res).catch((err: unknown) => {
      process.stderr.write(`hotelmate-double: ${String(err)}\n`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  live.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin: live.origin,
    close: async () => {
      live.closed = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One request: read, faults before, the backend, faults after, answer; the record is completed on the way. */
async function serveRequest(options: HttpServerOptions, live: LiveServer, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const { faults } = options;
  const started = performance.now();
  const url = new URL(req.url ?? '/', live.origin);
  const method = (req.method ?? 'GET').toUpperCase();
  const path = url.pathname;
  const entry: RequestRecord = { method, path, query: url.search, status: 0, fault: null, at: options.clock.now().toISOString(), ms: 0 };
  options.onRequest(entry);
  const finish = (status: number, fault: RequestRecord['fault'] = entry.fault): void => {
    entry.status = status;
    entry.fault = fault;
    entry.ms = Math.round((performance.now() - started) * 1000) / 1000;
  };
  const drop = (fault: 'drop_before' | 'drop_after'): void => {
    finish(0, fault);
    req.socket.destroy();
  };

  const read = await readBody(req);
  if (!read) {
    finish(413);
    return send(res, { status: 413, json: { detail: 'Request body too large.' } });
  }
  const authorization = req.headers.authorization;
  if (faults.isRejected(authorization?.trim().split(/\s+/)[1])) {
    finish(401, 'reject_token');
    return send(res, { status: 401, json: { detail: 'Invalid token.' }, headers: { 'WWW-Authenticate': 'Token' } });
  }

  const latency = faults.take('latency', method, path);
  if (latency && latency.phase !== 'after') {
    entry.fault = 'latency';
    await sleep(latency.ms ?? 0);
    if (live.closed) return void req.socket.destroy();
  }
  const held = faults.take('hold', method, path);
  if (held) {
    entry.fault = 'hold';
    await held.released;
    if (live.closed) return void req.socket.destroy();
  }
  if (faults.take('drop_before', method, path)) return drop('drop_before');

  const response = options.dispatch({
    method,
    pathname: path,
    query: url.searchParams,
    ...read,
    authorization,
    clientIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
    userAgent: req.headers['user-agent'] ?? '',
    origin: live.origin,
  });

  if (latency && latency.phase === 'after') {
    entry.fault = 'latency';
    await sleep(latency.ms ?? 0);
  }
  if (faults.take('drop_after', method, path)) return drop('drop_after');
  const afterWrite = faults.take('fail_after_write', method, path);
  if (afterWrite) {
    finish(500, 'fail_after_write');
    return send(res, injected500(afterWrite));
  }
  const malformed = faults.take('malformed', method, path);
  if (malformed) {
    const real = JSON.stringify(response.json ?? response.html ?? '');
    finish(response.status, 'malformed');
    return send(res, response, malformed.body ?? real.slice(0, Math.max(1, Math.floor(real.length / 2))));
  }
  const replaced = faults.take('answer_after_write', method, path)?.answer;
  if (replaced) {
    finish(replaced.status, 'answer_after_write');
    res.writeHead(replaced.status, { 'Content-Type': replaced.contentType ?? 'text/html; charset=utf-8', 'Content-Length': String(Buffer.byteLength(replaced.body)) });
    res.end(replaced.body);
    return;
  }
  finish(response.status);
  send(res, response);
}

function injected500(rule: FaultRule): BackendResponse {
  return rule.html ? { status: 500, html: INJECTED_HTML_500 } : { status: 500, json: { error: 'Internal server error after write (injected)' } };
}
