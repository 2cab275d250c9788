/** The soketi harness keeps to loopback (including discovery), surfaces refusals, and restarts. */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSoketi, udpBindings, type SoketiHandle } from './soketi';

const LOOPBACK_HEX = '0100007F';
const hexPort = (port: number): string => port.toString(16).toUpperCase().padStart(4, '0');

/** Local addresses of listening TCP sockets on a port (IPv4 and IPv6), from /proc. */
function tcpListeners(port: number): string[] {
  const out: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[1]?.endsWith(`:${hexPort(port)}`) && cols[3] === '0A') out.push(cols[1]);
    }
  }
  return out;
}

let soketi: SoketiHandle;
beforeAll(async () => {
  soketi = await startSoketi();
});
afterAll(async () => {
  await soketi?.stop();
});

describe.runIf(fs.existsSync('/proc/net/udp'))('soketi harness on loopback only', () => {
  it('binds its discovery UDP socket to 127.0.0.1 (so it cannot broadcast to the network)', () => {
    expect(udpBindings(soketi.discoveryPort)).toEqual([`${LOOPBACK_HEX}:${hexPort(soketi.discoveryPort)}`]);
  });

  it('listens for WebSockets/HTTP and metrics on 127.0.0.1 only', () => {
    expect(tcpListeners(soketi.port)).toEqual([`${LOOPBACK_HEX}:${hexPort(soketi.port)}`]);
    expect(tcpListeners(soketi.metricsPort)).toEqual([`${LOOPBACK_HEX}:${hexPort(soketi.metricsPort)}`]);
  });
});

describe('soketi harness behaviour', () => {
  it('accepts a trigger and reports soketi\'s refusal (answered in the body) as an error', async () => {
    await expect(soketi.trigger('hotel-x', 'ping', { ok: 1 })).resolves.toMatchObject({ body: {} });
    const refused = await soketi.triggerRaw('hotel-x', 'ping', { blob: 'x'.repeat(120 * 1024) });
    expect(refused.body.error).toEqual(expect.stringContaining('100 KB'));
    await expect(soketi.trigger('hotel-x', 'ping', { blob: 'x'.repeat(120 * 1024) })).rejects.toThrow(/refused ping/);
  });

  it('restarts on the same ports with a new process', async () => {
    const before = soketi.pid();
    await soketi.restart();
    expect(soketi.pid()).not.toBe(before);
    expect(soketi.pid()).not.toBeNull();
    await expect(soketi.trigger('hotel-x', 'ping', { ok: 2 })).resolves.toBeDefined();
    const res = await fetch(`http://127.0.0.1:${soketi.port}/ready`);
    expect(res.ok).toBe(true);
  });
});
