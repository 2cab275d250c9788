/** Real punches in a real kiosk.db for the database fault tests: appended through the ledger, as the kiosk does. */
import fs from 'node:fs';
import path from 'node:path';
import type { WritableDB } from '../../src/main/db/database';
import { createLedger } from '../../src/main/ledger/ledger-store';
import type { Clock } from '../../src/main/lib/clock';
import { createMemoryLogger } from '../../src/main/logging/logger';

/** Appends `count` punches (alternating clock in / clock out for one person) and returns their event ids. */
export function appendPunches(db: WritableDB, clock: Clock, count: number, staffId = 42): string[] {
  const ledger = createLedger({ db, clock, logger: createMemoryLogger(), kioskId: 'kiosk-test' });
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) ids.push(ledger.append({ staffId, action: i % 2 === 0 ? 'clock_in' : 'clock_out' }).eventId);
  return ids;
}

/** The event ids in a kiosk.db, oldest first. */
export function punchIds(db: WritableDB): string[] {
  return db.prepare<[], { event_id: string }>('SELECT event_id FROM ledger_events ORDER BY seq').all().map((r) => r.event_id);
}

/**
 * Copies a data folder as a power cut would leave it while `kiosk.db` is open: the database file, its
 * -wal and -shm exactly as they are on disk (synchronous=FULL: every committed punch is in them).
 */
export function copyAsAfterPowerCut(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const name of fs.readdirSync(from)) {
    const source = path.join(from, name);
    if (fs.statSync(source).isFile()) fs.copyFileSync(source, path.join(to, name));
  }
}
