/**
 * HotelMate API figures for `npm run bench`: round trip of the kiosk's client against the HotelMate
 * double on 127.0.0.1 (face-clock-in dispatcher answers and full clock-in/clock-out cycles, with 200
 * registered faces as in the sync bench), the double's own time per request for comparison (so the
 * sync bench's "ratio to the double's request time" has a reference), and the client's overhead
 * (axios + zod validation) over a bare node:http request to the same endpoint.
 * Run alone: npx tsx bench/hotelmate-double.bench.ts
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { createHotelMateClient } from '../src/main/hotelmate/client';
import { createMemoryLogger } from '../src/main/logging/logger';
import { createHotelMateDouble, encodingFor, nearby } from '../tests/support/hotelmate-double';
import { percentile, summary } from './stats';

const STAFF = 200;
const REQUESTS = 600;

function rawPost(url: string, token: string, body: string, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { Authorization: `Token ${token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function run(): Promise<void> {
  const double = await createHotelMateDouble();
  try {
    const world = double.seed.killarney();
    const probes: number[][] = [];
    for (let i = 0; i < STAFF; i += 1) {
      const s = double.seed.staff({ hotel: world.hotelSlug, firstName: `Bench${i}`, lastName: 'Staff', department: 'front_office' });
      double.seed.shift({ staffId: s.id, date: new Date().toISOString().slice(0, 10), start: '00:00', end: '23:59' });
      double.seed.face({ staffId: s.id, encoding: encodingFor(1000 + i) });
      probes.push(nearby(encodingFor(1000 + i), 0.03, i));
    }
    const client = createHotelMateClient({
      baseUrl: double.apiBaseUrl,
      hotelSlug: world.hotelSlug,
      getToken: () => world.manager.token,
      timeoutMs: 10_000,
      logger: createMemoryLogger(),
    });
    // Warm-up (JIT, sockets).
    for (let i = 0; i < 20; i += 1) await client.myStatus();

    // 1. Dispatcher answers: first call per person clocks in (201, a write), later ones are options (200, read only).
    double.state.clearRequests();
    const clientMs: number[] = [];
    for (let i = 0; i < REQUESTS; i += 1) {
      const t = performance.now();
      const res = await client.faceClockIn({ encoding: probes[i % STAFF] });
      clientMs.push(performance.now() - t);
      if (!res.ok) throw new Error(`face-clock-in failed: ${JSON.stringify(res)}`);
    }
    const doubleMs = double.state.requests().map((r) => r.ms);

    // 2. The same request through bare node:http (keep-alive), no validation.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const url = `${double.apiBaseUrl}/staff/hotel/${world.hotelSlug}/attendance/face-management/face-clock-in/`;
    const rawMs: number[] = [];
    for (let i = 0; i < REQUESTS; i += 1) {
      const body = JSON.stringify({ encoding: probes[i % STAFF] });
      const t = performance.now();
      const status = await rawPost(url, world.manager.token, body, agent);
      rawMs.push(performance.now() - t);
      if (status !== 200) throw new Error(`raw face-clock-in: HTTP ${status}`);
    }
    agent.destroy();

    // 3. Full cycles: options -> confirm-clock-out -> clock in again (3 requests per cycle).
    const cycles = 100;
    const t0 = performance.now();
    for (let i = 0; i < cycles; i += 1) {
      const probe = probes[i % STAFF];
      const out = await client.confirmClockOut({ encoding: probe });
      const back = await client.faceClockIn({ encoding: probe });
      const opts = await client.faceClockIn({ encoding: probe });
      if (!out.ok || !back.ok || !opts.ok) throw new Error('cycle failed');
    }
    const cycleMs = (performance.now() - t0) / cycles;

    const meanClient = clientMs.reduce((a, b) => a + b, 0) / clientMs.length;
    const meanDouble = doubleMs.reduce((a, b) => a + b, 0) / doubleMs.length;
    const meanRaw = rawMs.reduce((a, b) => a + b, 0) / rawMs.length;
    console.log(`face-clock-in via client (${STAFF + 2} active faces): ${summary(clientMs)}; ${(1000 / meanClient).toFixed(0)} req/s`);
    console.log(`  double's own time per request (body read + match + SQLite): ${summary(doubleMs)}`);
    console.log(`  bare node:http round trip, same request: ${summary(rawMs)}`);
    console.log(`  ratio client/double ${(meanClient / meanDouble).toFixed(2)}x, client/bare-http ${(meanClient / meanRaw).toFixed(2)}x (p50 client ${percentile(clientMs, 50).toFixed(2)} ms)`);
    console.log(`clock-out + clock-in + options cycle: ${cycleMs.toFixed(2)} ms per cycle (${(3000 / cycleMs).toFixed(0)} req/s)`);
  } finally {
    await double.close();
  }
}

if (process.argv[1] && process.argv[1].endsWith('hotelmate-double.bench.ts')) {
  run().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
