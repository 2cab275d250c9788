/**
 * A forwarding HTTP proxy on 127.0.0.1 in front of the HotelMate double that can answer in the
 * double's place, as a captive portal, a corporate proxy or a misrouted load balancer does: a
 * redirect, an HTML page, a 429 or a 502 that never reached HotelMate (nothing is written there).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxyReply {
  status: number;
  /** Response headers, e.g. `{ location: 'http://portal/' }`; `content-type` defaults to text/html. */
  headers?: Record<string, string>;
  body: string;
}

export interface AnsweringProxy {
  /** The proxy's API base (`http://127.0.0.1:<port>/api`): point the kiosk here instead of at the double. */
  apiBaseUrl: string;
  /** The next `times` requests whose path contains `path` get `reply` instead of reaching the double. */
  answer(path: string, reply: ProxyReply, times?: number): void;
  /** Requests the proxy answered itself, by path. */
  answered(): string[];
  close(): Promise<void>;
}

/** Starts the proxy in front of `targetApiBaseUrl` (the double's `apiBaseUrl`). */
export async function startAnsweringProxy(targetApiBaseUrl: string): Promise<AnsweringProxy> {
  const target = new URL(targetApiBaseUrl);
  const rules: { path: string; reply: ProxyReply; left: number }[] = [];
  const answered: string[] = [];
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const rule = rules.find((r) => r.left > 0 && url.includes(r.path));
    if (rule) {
      rule.left -= 1;
      answered.push(url);
      req.resume();
      res.writeHead(rule.reply.status, { 'content-type': 'text/html; charset=utf-8', ...rule.reply.headers });
      res.end(rule.reply.body);
      return;
    }
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: url, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body>502 Bad Gateway</body></html>');
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiBaseUrl: `http://127.0.0.1:${port}${target.pathname.replace(/\/+$/, '')}`,
    answer(path, reply, times = 1) {
      rules.push({ path, reply, left: times });
    },
    answered: () => [...answered],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
