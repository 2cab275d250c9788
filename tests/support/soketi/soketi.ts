/**
 * Starts a real Pusher-protocol server (soketi) for tests, benches and the demo, bound to 127.0.0.1
 * only, including its UDP node discovery (which by default broadcasts to 255.255.255.255), and
 * triggers events on it with the official `pusher` Node SDK, exactly as HotelMate's backend does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import PusherServer from 'pusher';

export interface SoketiOptions {
  appId?: string;
  key?: string;
  secret?: string;
  /** Forward soketi's stdout/stderr to this process's stderr (debugging). */
  verbose?: boolean;
  /** How long to wait for `/ready`, ms. */
  startTimeoutMs?: number;
}

export interface TriggerResult {
  /** HTTP status soketi answered with. */
  status: number;
  /** Parsed JSON body (`{}` on success). */
  body: Record<string, unknown>;
}

export interface SoketiHandle {
  host: '127.0.0.1';
  /** WebSocket and HTTP API port. */
  port: number;
  /** Metrics/usage port (also on 127.0.0.1). */
  metricsPort: number;
  /** UDP port of soketi's node discovery (bound to and talking to 127.0.0.1 only). */
  discoveryPort: number;
  appId: string;
  key: string;
  secret: string;
  /** The child's pid while running, else null. */
  pid(): number | null;
  /**
   * Triggers an event through the official `pusher` SDK. Resolves when soketi accepted it; rejects
   * with soketi's message when it refused it (soketi may answer errors with a 200 and an `error` field).
   */
  trigger(channel: string | string[], event: string, data: unknown): Promise<TriggerResult>;
  /** Like trigger, but resolves with soketi's refusal instead of rejecting (for negative tests). */
  triggerRaw(channel: string | string[], event: string, data: unknown): Promise<TriggerResult>;
  /** Signs a channel subscription like an auth endpoint would (`{auth, channel_data?}`). */
  authorizeChannel(socketId: string, channel: string): { auth: string; channel_data?: string };
  /** Stops the server (SIGTERM, then SIGKILL after 5 s). Resolves once the process has exited. */
  stop(): Promise<void>;
  /** Stops and starts again on the same ports, so connected clients can reconnect to it. */
  restart(): Promise<void>;
}

const SOKETI_BIN = createRequire(import.meta.url).resolve('@soketi/soketi/bin/server.js');
const LOOPBACK = '127.0.0.1';

/** A free TCP port on 127.0.0.1 (the OS picks; the socket is closed before returning). */
export async function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, LOOPBACK, () => {
      const port = socket.address().port;
      socket.close(() => resolve(port));
    });
  });
}

/**
 * The soketi settings used here. Keys are dotted paths because soketi applies each top-level key of
 * the config file with `dot.set`: a nested `cluster: {...}` object would replace all its defaults.
 */
export function soketiConfig(p: { port: number; metricsPort: number; discoveryPort: number; appId: string; key: string; secret: string }): Record<string, unknown> {
  return {
    host: LOOPBACK,
    port: p.port,
    'metrics.host': LOOPBACK,
    'metrics.port': p.metricsPort,
    'metrics.enabled': false,
    // node-discover: bind the UDP socket to loopback and send hellos only to loopback (unicast
    // replaces broadcast entirely; see node-discover/lib/network.js).
    'cluster.address': LOOPBACK,
    'cluster.hostname': LOOPBACK,
    'cluster.port': p.discoveryPort,
    'cluster.unicast': LOOPBACK,
    'cluster.broadcast': LOOPBACK,
    'cluster.multicast': null,
    'appManager.array.apps': [
      {
        id: p.appId,
        key: p.key,
        secret: p.secret,
        maxConnections: -1,
        enableClientMessages: false,
        enabled: true,
        maxBackendEventsPerSecond: -1,
        maxClientEventsPerSecond: -1,
        maxReadRequestsPerSecond: -1,
        webhooks: [],
      },
    ],
    'eventLimits.maxPayloadInKb': 100,
    shutdownGracePeriod: 50,
    debug: false,
  };
}

/**
 * The local addresses (hex `ADDR:PORT` from /proc/net/udp) that have a UDP socket on `port`.
 * Linux only; returns null where /proc is unavailable.
 */
export function udpBindings(port: number): string[] | null {
  try {
    const lines = fs.readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1);
    const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
    return lines
      .map((line) => line.trim().split(/\s+/)[1])
      .filter((local): local is string => typeof local === 'string' && local.endsWith(`:${hexPort}`));
  } catch {
    return null;
  }
}

async function waitForReady(port: number, child: ChildProcess, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`soketi exited during start (code ${child.exitCode}, signal ${child.signalCode}):\n${output()}`);
    }
    try {
      const res = await fetch(`http://${LOOPBACK}:${port}/ready`, { signal: AbortSignal.timeout(500) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`soketi did not become ready on ${LOOPBACK}:${port} within ${timeoutMs} ms:\n${output()}`);
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A crashed test must not leave a server behind.
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

/**
 * Starts soketi as a child process on random free loopback ports and waits until `/ready` answers.
 * Rejects if it does not start, or if its discovery socket is bound to anything but 127.0.0.1.
 */
export async function startSoketi(options: SoketiOptions = {}): Promise<SoketiHandle> {
  installExitHook();
  const appId = options.appId ?? '1000001';
  const key = options.key ?? 'test-key';
  const secret = options.secret ?? 'test-secret';
  const [port, metricsPort, discoveryPort] = [await freeTcpPort(), await freeTcpPort(), await freeUdpPort()];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soketi-'));
  const configFile = path.join(dir, 'soketi.json');
  fs.writeFileSync(configFile, JSON.stringify(soketiConfig({ port, metricsPort, discoveryPort, appId, key, secret }), null, 2));

  // soketi reads SOKETI_* variables (which override the file) and a .env in its cwd: use neither.
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('SOKETI_')) env[name] = value;

  let child: ChildProcess | null = null;
  let output = '';

  const launch = async (): Promise<void> => {
    output = '';
    const proc = spawn(process.execPath, [SOKETI_BIN, 'start', `--config=${configFile}`], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    running.add(proc);
    proc.once('exit', () => running.delete(proc));
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-20000);
      if (options.verbose) process.stderr.write(chunk);
    };
    proc.stdout?.on('data', collect);
    proc.stderr?.on('data', collect);
    try {
      await waitForReady(port, proc, options.startTimeoutMs ?? 20000, () => output);
      const bindings = udpBindings(discoveryPort);
      if (bindings !== null && bindings.some((local) => local !== `0100007F:${discoveryPort.toString(16).toUpperCase().padStart(4, '0')}`)) {
        throw new Error(`soketi discovery is bound beyond loopback (${bindings.join(', ')}); refusing to run`);
      }
    } catch (error) {
      await stopChild();
      throw error;
    }
  };

  const stopChild = async (): Promise<void> => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const killTimer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      proc.once('exit', () => {
        clearTimeout(killTimer);
        resolve();
      });
      proc.kill('SIGTERM');
    });
  };

  await launch();

  const sdk = new PusherServer({ appId, key, secret, host: LOOPBACK, port: String(port), useTLS: false });

  const triggerRaw = async (channel: string | string[], event: string, data: unknown): Promise<TriggerResult> => {
    try {
      const res = await sdk.trigger(channel, event, data);
      const text = await res.text();
      return { status: res.status, body: parseBody(text) };
    } catch (error) {
      // The SDK rejects non-2xx with a RequestError carrying the response body.
      const err = error as { status?: number; body?: string; message?: string };
      if (typeof err.status === 'number') return { status: err.status, body: parseBody(err.body ?? '') };
      throw error;
    }
  };

  return {
    host: LOOPBACK,
    port,
    metricsPort,
    discoveryPort,
    appId,
    key,
    secret,
    pid: () => (child ? (child.pid ?? null) : null),
    triggerRaw,
    async trigger(channel, event, data) {
      const result = await triggerRaw(channel, event, data);
      if (result.status >= 300 || 'error' in result.body) {
        throw new Error(`soketi refused ${event} on ${String(channel)}: ${result.status} ${JSON.stringify(result.body)}`);
      }
      return result;
    },
    authorizeChannel(socketId, channel) {
      return sdk.authorizeChannel(socketId, channel);
    },
    stop: stopChild,
    async restart() {
      await stopChild();
      await launch();
    },
  };
}

function parseBody(text: string): Record<string, unknown> {
  if (!text) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { value: parsed };
  } catch {
    return { error: `non-JSON answer: ${text.slice(0, 200)}` };
  }
}
