/**
 * Realtime figures for `npm run bench`: latency from `pusher.trigger()` (official SDK) to the
 * realtime service's domain event through a real soketi on 127.0.0.1 (p50/p95 over 300 events,
 * both payload styles), the HTTP trigger round trip alone for comparison, the pure normaliser's
 * cost per event, and the time to reconnect after a server restart with and without the service's
 * reconnect nudge. The trigger -> renderer DOM hop is measured by the e2e bench.
 * Run alone: npx tsx bench/realtime.bench.ts
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { systemClock } from '../src/main/lib/clock';
import { createMemoryLogger } from '../src/main/logging/logger';
import { createRealtimeService, type RealtimeService } from '../src/main/realtime/realtime-service';
import { kioskConfigSchema } from '../src/shared/config/schema';
import type { RealtimeState } from '../src/shared/domain/types';
import { createNormaliser, type RealtimeDomainEvent } from '../src/main/realtime/normalise';
import { deployedClockStatus, specClockStatus } from '../tests/support/soketi/payloads';
import { startSoketi, type SoketiHandle } from '../tests/support/soketi/soketi';
import { percentile, summary } from './stats';

const SLUG = 'hotel-killarney';
const EVENTS = 300;

function service(soketi: SoketiHandle, reconnectCheckMs?: number): { realtime: RealtimeService; catchUps: number[] } {
  const config = kioskConfigSchema.parse({
    hotel: { slug: SLUG },
    pusher: { enabled: true, key: soketi.key, host: '127.0.0.1', port: soketi.port, useTLS: false },
  });
  const catchUps: number[] = [];
  const realtime = createRealtimeService({
    config,
    logger: createMemoryLogger(),
    clock: systemClock,
    clockService: {
      applyServerStatus: () => undefined,
      staff: (id) => ({ id, name: `Staff ${id}`, department: null, photoUrl: null }),
      catchUp: async () => void catchUps.push(performance.now()),
      refreshStatus: async () => {
        throw new Error('the bench sends only trusted events; nothing is re-read');
      },
    },
    ...(reconnectCheckMs !== undefined ? { reconnectCheckMs } : {}),
  });
  return { realtime, catchUps };
}

function until(realtime: RealtimeService, wanted: RealtimeState, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    if (realtime.state() === wanted) return resolve(performance.now());
    const timer = setTimeout(() => reject(new Error(`no ${wanted} within ${timeoutMs} ms`)), timeoutMs);
    const off = realtime.onState((s) => {
      if (s !== wanted) return;
      clearTimeout(timer);
      off();
      resolve(performance.now());
    });
  });
}

async function latency(soketi: SoketiHandle): Promise<void> {
  const { realtime, catchUps } = service(soketi);
  await realtime.start();
  await until(realtime, 'connected', 15000);
  while (catchUps.length === 0) await new Promise((r) => setTimeout(r, 20));

  const waiting = new Map<number, (at: number) => void>();
  realtime.onEvent((e: RealtimeDomainEvent) => {
    if (e.type === 'clock_status_changed') waiting.get(e.staffId)?.(performance.now());
  });
  const endToEnd: number[] = [];
  const httpAck: number[] = [];
  const byStyle: Record<'deployed' | 'spec', number[]> = { deployed: [], spec: [] };
  for (let i = 0; i < EVENTS + 20; i += 1) {
    const staffId = 10000 + i;
    const style = i % 2 === 0 ? 'deployed' : 'spec';
    const build = style === 'deployed' ? deployedClockStatus : specClockStatus;
    const ev = build({ hotelSlug: SLUG, staffId, action: 'clock_in' });
    const received = new Promise<number>((resolve) => waiting.set(staffId, resolve));
    const t0 = performance.now();
    const [acked, at] = await Promise.all([soketi.trigger(ev.channel, ev.event, ev.data).then(() => performance.now()), received]);
    waiting.delete(staffId);
    if (i < 20) continue; // warm-up
    endToEnd.push(at - t0);
    httpAck.push(acked - t0);
    byStyle[style].push(at - t0);
  }
  await realtime.stop();
  console.log(`trigger() -> domain event:      ${summary(endToEnd)}`);
  console.log(`  deployed envelopes:           ${summary(byStyle.deployed)}`);
  console.log(`  spec flat events:             ${summary(byStyle.spec)}`);
  console.log(`trigger() HTTP round trip only: ${summary(httpAck)}`);
  console.log(`  ratio event/HTTP ack (p50):   ${(percentile(endToEnd, 50) / percentile(httpAck, 50)).toFixed(2)} (the WebSocket push usually lands before the HTTP answer)`);
  console.log(`service stats: ${JSON.stringify(realtime.stats())}`);
}

function normaliserCost(): void {
  const events = Array.from({ length: 20000 }, (_, i) => {
    const ev = (i % 2 === 0 ? deployedClockStatus : specClockStatus)({ hotelSlug: SLUG, staffId: 1 + i, action: 'clock_in', at: new Date(1_700_000_000_000 + i * 1000).toISOString() });
    return { channel: ev.channel, event: ev.event, data: ev.data, receivedAt: new Date().toISOString() };
  });
  const n = createNormaliser({ hotelSlug: SLUG });
  const t0 = performance.now();
  let ok = 0;
  for (const e of events) if (n.normalise(e).ok) ok += 1;
  const us = ((performance.now() - t0) * 1000) / events.length;
  console.log(`normaliser (validate + de-dup), pure: ${us.toFixed(1)} µs/event over ${events.length} events (${ok} accepted)`);
}

async function reconnect(soketi: SoketiHandle, label: string, reconnectCheckMs: number): Promise<void> {
  const { realtime, catchUps } = service(soketi, reconnectCheckMs);
  await realtime.start();
  await until(realtime, 'connected', 15000);
  while (catchUps.length === 0) await new Promise((r) => setTimeout(r, 20));
  const before = catchUps.length;
  await soketi.restart();
  const up = performance.now();
  const connectedAt = await until(realtime, 'connected', 120000);
  while (catchUps.length === before) await new Promise((r) => setTimeout(r, 20));
  console.log(`${label}: server up -> connected ${(connectedAt - up).toFixed(0)} ms, -> catch-up ${((catchUps[before] ?? 0) - up).toFixed(0)} ms`);
  await realtime.stop();
}

/** Runs the realtime benchmark against a fresh soketi on 127.0.0.1 and prints its figures. */
export async function run(): Promise<void> {
  const soketi = await startSoketi();
  try {
    console.log(`soketi on 127.0.0.1:${soketi.port}; ${EVENTS} clock events, sequential, half per style; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
    await latency(soketi);
    normaliserCost();
    await reconnect(soketi, 'restart, service reconnect nudge (default: 3 s, x1.5, max 10 s)', 3000);
    await reconnect(soketi, 'restart, pusher-js alone', 10 * 60_000);
  } finally {
    await soketi.stop();
  }
}

if (process.argv[1] && /realtime\.bench\.ts$/.test(process.argv[1])) {
  void run().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
