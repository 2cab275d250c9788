/**
 * Ledger and sync figures for `npm run bench`: durable append latency (synchronous=FULL, real
 * file), effective-status read latency with a full queue, and how fast 10,000 queued punches from
 * 200 staff sync to the HotelMate double on loopback (punches/s), with the ratio of that wall time
 * to the double's own request-handling time. Run alone with `npx tsx bench/ledger.bench.ts`.
 * BENCH_PUNCHES / BENCH_STAFF scale the sync part down for a quick look.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultConfig } from '../src/shared/config/schema';
import { nextStatus, allowedActions } from '../src/shared/domain/duty-status';
import type { ClockAction, DutyStatus } from '../src/shared/domain/types';
import { systemClock } from '../src/main/lib/clock';
import type { FaceMatch } from '../src/main/face/face-types';
import { openDatabase } from '../src/main/db/database';
import { createHotelMateClient } from '../src/main/hotelmate/client';
import { createDescriptorCipher } from '../src/main/ledger/descriptor-cipher';
import { createLedger } from '../src/main/ledger/ledger-store';
import { createLogger } from '../src/main/logging/logger';
import { createClockService } from '../src/main/sync/clock-service';
import { createHotelMateDouble, encodingFor } from '../tests/support/hotelmate-double';
import { percentile, summary } from './stats';

const PUNCHES = Number(process.env.BENCH_PUNCHES ?? 10_000);
const STAFF = Number(process.env.BENCH_STAFF ?? 200);
const quiet = createLogger({ sinks: [], level: 'error' });

function match(staffId: number, encoding: readonly number[]): FaceMatch {
  return { staffId, distance: 0.3, secondBestDistance: null, model: 'faceapi-128', liveDescriptor: Float32Array.from(encoding), liveness: null, spoofSuspected: false };
}

function appendLatency(dir: string): void {
  const db = openDatabase({ file: path.join(dir, 'append.db') });
  const ledger = createLedger({ db, clock: systemClock, logger: quiet, kioskId: 'bench', descriptorCipher: createDescriptorCipher(crypto.randomBytes(32)) });
  const live = Float32Array.from(encodingFor(1));
  const times: number[] = [];
  for (let i = 0; i < 2000; i += 1) {
    const started = performance.now();
    ledger.append({ staffId: 1 + (i % 200), action: 'clock_in', matchDistance: 0.3, matchModel: 'faceapi-128', liveDescriptor: live });
    times.push(performance.now() - started);
  }
  console.log(`durable append (WAL, synchronous=FULL, encrypted descriptor): ${summary(times)}`);
  db.close();
}

async function syncThroughput(dir: string): Promise<void> {
  const double = await createHotelMateDouble(); // in-memory: the figure is the kiosk's cost, not the double's disk
  try {
    const world = double.seed.killarney();
    const today = new Date().toISOString().slice(0, 10);
    const staff: { id: number; encoding: number[] }[] = [];
    for (let i = 0; i < STAFF; i += 1) {
      const person = double.seed.staff({ hotel: world.hotelSlug, firstName: `Bench${i}`, lastName: 'Staff', department: 'housekeeping' });
      const encoding = encodingFor(5000 + i);
      double.seed.face({ staffId: person.id, encoding });
      double.seed.shift({ staffId: person.id, date: today, start: '00:00', end: '23:59' });
      staff.push({ id: person.id, encoding });
    }
    const db = openDatabase({ file: path.join(dir, 'kiosk.db') });
    const client = createHotelMateClient({ baseUrl: double.apiBaseUrl, hotelSlug: world.hotelSlug, getToken: () => world.manager.token, timeoutMs: 30_000, logger: quiet });
    const service = createClockService({
      db,
      client,
      clock: systemClock,
      logger: quiet,
      config: defaultConfig(),
      kioskId: 'bench',
      duplicateWindowMs: 0,
      descriptorCipher: createDescriptorCipher(crypto.randomBytes(32)),
    });
    // Queue the punches offline (nothing started): each person cycles through the day's actions.
    const status = new Map<number, DutyStatus>();
    for (let i = 0; i < PUNCHES; i += 1) {
      const person = staff[i % staff.length] as { id: number; encoding: number[] };
      const current = status.get(person.id) ?? 'off_duty';
      const action: ClockAction = current === 'on_duty' && Math.floor(i / staff.length) % 4 === 3 ? 'clock_out' : (allowedActions(current)[0] as ClockAction);
      const result = service.punch({ staffId: person.id, action, match: match(person.id, person.encoding), flagged: false });
      if (!result.ok) throw new Error(`punch refused: ${result.error.message}`);
      status.set(person.id, nextStatus(current, action) ?? current);
    }

    const reads: number[] = [];
    for (let i = 0; i < 5000; i += 1) {
      const id = (staff[(i * 7919) % staff.length] as { id: number }).id;
      const started = performance.now();
      service.effectiveStatus(id);
      reads.push(performance.now() - started);
    }
    console.log(`effective status read (${PUNCHES} punches queued, ${PUNCHES / STAFF} per person): ${summary(reads, 'ms', 3)}`);

    double.state.clearRequests();
    const started = performance.now();
    while (service.connection().pendingPunches > 0) await service.sync.drainOnce();
    const wallMs = performance.now() - started;
    const requests = double.state.requests();
    const doubleMs = requests.reduce((sum, r) => sum + r.ms, 0);
    const counts = service.ledgerStore.counts();
    const allOk = counts.synced === PUNCHES && counts.needsReview === 0;
    console.log(
      `sync ${PUNCHES} queued punches from ${STAFF} staff to the double on loopback: ${(wallMs / 1000).toFixed(1)} s, ${(PUNCHES / (wallMs / 1000)).toFixed(0)} punches/s` +
        ` (${requests.length} requests, ${(requests.length / PUNCHES).toFixed(2)} per punch; synced ${counts.synced}, needs review ${counts.needsReview}${allOk ? '' : ' !!'})`,
    );
    console.log(
      `double's own request time: ${(doubleMs / 1000).toFixed(1)} s summed (p50 ${percentile(requests.map((r) => r.ms), 50).toFixed(1)} ms per request);` +
        ` ratio sync wall time / double time = ${(wallMs / doubleMs).toFixed(2)} (waves of up to 8 people: one commit to claim, one for the verdicts; each person in order)`,
    );
    db.close();
  } finally {
    await double.close();
  }
}

/** Prints the ledger and sync figures. */
export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-bench-'));
  try {
    appendLatency(dir);
    await syncThroughput(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && process.argv[1].endsWith('ledger.bench.ts')) void run();
