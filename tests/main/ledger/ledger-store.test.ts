import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/db/database';
import { createDescriptorCipher } from '../../../src/main/ledger/descriptor-cipher';
import { createLedger, LedgerStorageError } from '../../../src/main/ledger/ledger-store';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import type { Clock } from '../../../src/main/lib/clock';
import { makeTempDir } from '../../support/temp-dir';

function manualClock(startIso = '2026-05-11T08:00:00Z'): Clock & { advance(ms: number, wallOnly?: boolean): void } {
  let wall = Date.parse(startIso);
  let mono = 1000;
  return {
    now: () => new Date(wall),
    monotonicMs: () => mono,
    advance(ms, wallOnly = false) {
      wall += ms;
      if (!wallOnly) mono += ms;
    },
  };
}

function descriptor(seed: number): Float32Array {
  const out = new Float32Array(128);
  for (let i = 0; i < 128; i += 1) out[i] = Math.sin(seed * 31 + i) * 0.2;
  return out;
}

describe('ledger', () => {
  it('keeps an appended punch across a reopen, with UUID v7 ids in time order', () => {
    const file = path.join(makeTempDir(), 'kiosk.db');
    const clock = manualClock();
    let db = openDatabase({ file });
    const ledger = createLedger({ db, clock, logger: createMemoryLogger(), kioskId: 'lobby' });
    const a = ledger.append({ staffId: 42, action: 'clock_in', matchDistance: 0.31, matchModel: 'faceapi-128' });
    clock.advance(5);
    const b = ledger.append({ staffId: 42, action: 'start_break' });
    expect(a.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
    expect(a.eventId < b.eventId).toBe(true);
    db.close();

    db = openDatabase({ file });
    const reopened = createLedger({ db, clock, logger: createMemoryLogger(), kioskId: 'lobby' });
    const rows = reopened.unsyncedFor(42);
    expect(rows.map((r) => r.action)).toEqual(['clock_in', 'start_break']);
    expect(rows[0]).toMatchObject({ kioskId: 'lobby', matchDistance: 0.31, matchModel: 'faceapi-128', syncState: 'pending', occurredAt: '2026-05-11T08:00:00.000Z' });
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    db.close();
  });

  it('records a wall-clock jump between two punches of one boot', () => {
    const db = openDatabase({ file: path.join(makeTempDir(), 'k.db') });
    const clock = manualClock();
    const ledger = createLedger({ db, clock, logger: createMemoryLogger(), kioskId: 'k' });
    ledger.append({ staffId: 1, action: 'clock_in' });
    clock.advance(60_000);
    expect(ledger.append({ staffId: 2, action: 'clock_in' }).clockJumpMs).toBeNull();
    clock.advance(-3_600_000, true); // NTP set the clock back an hour
    const jumped = ledger.append({ staffId: 3, action: 'clock_in' });
    expect(jumped.clockJumpMs).toBe(-3_600_000);
    db.close();
  });

  it('offers per person only the oldest unsynced punch, oldest first across people', () => {
    const db = openDatabase({ file: path.join(makeTempDir(), 'k.db') });
    const clock = manualClock();
    const ledger = createLedger({ db, clock, logger: createMemoryLogger(), kioskId: 'k' });
    const a1 = ledger.append({ staffId: 1, action: 'clock_in' });
    const b1 = ledger.append({ staffId: 2, action: 'clock_in' });
    ledger.append({ staffId: 1, action: 'start_break' });
    expect(ledger.due(clock.now().getTime(), 10).map((e) => e.eventId)).toEqual([a1.eventId, b1.eventId]);
    ledger.markSending(a1.seq);
    // while staff 1's first punch is in flight, their next one must wait
    expect(ledger.due(clock.now().getTime(), 10).map((e) => e.eventId)).toEqual([b1.eventId]);
    ledger.markRetry(a1.seq, 'HTTP 500', clock.now().getTime() + 5000);
    expect(ledger.due(clock.now().getTime(), 10).map((e) => e.eventId)).toEqual([b1.eventId]);
    clock.advance(5000);
    expect(ledger.due(clock.now().getTime(), 10).map((e) => e.eventId)).toEqual([a1.eventId, b1.eventId]);
    db.close();
  });

  it('brings waiting punches forward when asked, but one waiting out an unanswered write only to the end of that wait, across a reopen', () => {
    const file = path.join(makeTempDir(), 'k.db');
    let db = openDatabase({ file });
    const clock = manualClock();
    let ledger = createLedger({ db, clock, logger: createMemoryLogger(), kioskId: 'k' });
    const now = clock.now().getTime();
    const refused = ledger.append({ staffId: 1, action: 'clock_in' });
    const unanswered = ledger.append({ staffId: 2, action: 'clock_in' });
    ledger.markRetry(refused.seq, 'connect ECONNREFUSED', now + 30_000);
    ledger.markRetry(unanswered.seq, 'timeout', now + 60_000, { lateWriteUntilMs: now + 60_000 });
    db.close();
    db = openDatabase({ file });
    ledger = createLedger({ db, clock, logger: createMemoryLogger(), kioskId: 'k' });
    ledger.expedite();
    expect(ledger.due(now, 10).map((e) => e.eventId)).toEqual([refused.eventId]);
    expect(ledger.get(unanswered.eventId)).toMatchObject({ nextAttemptMs: now + 60_000, lateWriteUntilMs: now + 60_000 });
    // The next answer, whatever it is, ends the wait.
    ledger.markRetry(unanswered.seq, 'HTTP 502', now + 2000);
    ledger.expedite();
    expect(ledger.due(now, 10).map((e) => e.eventId)).toEqual([refused.eventId, unanswered.eventId]);
    expect(ledger.get(unanswered.eventId)?.lateWriteUntilMs).toBeNull();

    // Nor does bringing an earlier run's due times forward (the start's cap) make such a punch due before its wait ends.
    ledger.markSynced(refused.seq, { serverAction: 'clock_in_success', response: {}, syncedAt: clock.now() });
    ledger.markSynced(unanswered.seq, { serverAction: 'clock_in_success', response: {}, syncedAt: clock.now() });
    const another = ledger.append({ staffId: 3, action: 'clock_in' });
    ledger.markRetry(another.seq, 'timeout', now + 60_000, { lateWriteUntilMs: now + 60_000 });
    ledger.capNextDue(now);
    expect(ledger.due(now, 10)).toEqual([]);
    expect(ledger.nextDueMs()).toBe(now + 60_000);
    expect(ledger.due(now + 60_000, 10).map((e) => e.eventId)).toEqual([another.eventId]);
    db.close();
  });

  it('purges only synced rows older than the retention, never unsynced ones', () => {
    const db = openDatabase({ file: path.join(makeTempDir(), 'k.db') });
    const clock = manualClock();
    const ledger = createLedger({ db, clock, logger: createMemoryLogger(), kioskId: 'k' });
    const old = ledger.append({ staffId: 1, action: 'clock_in' });
    ledger.markSynced(old.seq, { serverAction: 'clock_in_success', response: {}, syncedAt: clock.now() });
    const stuck = ledger.append({ staffId: 2, action: 'clock_in' });
    ledger.markNeedsReview(stuck.seq, 'face not recognised');
    const waiting = ledger.append({ staffId: 3, action: 'clock_in' });
    clock.advance(91 * 86_400_000);
    const recent = ledger.append({ staffId: 4, action: 'clock_in' });
    ledger.markSynced(recent.seq, { serverAction: 'clock_in_success', response: {}, syncedAt: clock.now() });
    expect(ledger.purgeSynced(90)).toBe(1);
    expect(ledger.get(old.eventId)).toBeNull();
    expect(ledger.get(stuck.eventId)?.syncState).toBe('needs_review');
    expect(ledger.get(waiting.eventId)?.syncState).toBe('pending');
    expect(ledger.get(recent.eventId)?.syncState).toBe('synced');
    db.close();
  });

  it('stores the live descriptor encrypted, returns it for sync, and erases it once synced', () => {
    const file = path.join(makeTempDir(), 'k.db');
    const db = openDatabase({ file });
    const key = crypto.randomBytes(32);
    const ledger = createLedger({ db, clock: manualClock(), logger: createMemoryLogger(), kioskId: 'k', descriptorCipher: createDescriptorCipher(key) });
    const live = descriptor(7);
    const event = ledger.append({ staffId: 1, action: 'clock_in', liveDescriptor: live });
    const stored = db.prepare('SELECT descriptor FROM ledger_events WHERE seq = ?').get(event.seq) as { descriptor: Buffer };
    expect(stored.descriptor.includes(Buffer.from(live.buffer).subarray(0, 16))).toBe(false);
    // after a restart (new ledger object, same key) the same encoding comes back
    const again = createLedger({ db, clock: manualClock(), logger: createMemoryLogger(), kioskId: 'k', descriptorCipher: createDescriptorCipher(key) });
    expect(Array.from(again.liveDescriptor(event.eventId) ?? [])).toEqual(Array.from(live));
    // with another key it is unreadable, not garbage
    const wrong = createLedger({ db, clock: manualClock(), logger: createMemoryLogger(), kioskId: 'k', descriptorCipher: createDescriptorCipher(crypto.randomBytes(32)) });
    expect(wrong.liveDescriptor(event.eventId)).toBeNull();
    again.markSynced(event.seq, { serverAction: 'clock_in_success', response: {}, syncedAt: new Date() });
    expect((db.prepare('SELECT descriptor FROM ledger_events WHERE seq = ?').get(event.seq) as { descriptor: Buffer | null }).descriptor).toBeNull();
    db.close();
  });

  it('refuses a punch with a clear storage error when the disk is full, and keeps earlier punches', () => {
    const db = openDatabase({ file: path.join(makeTempDir(), 'k.db') });
    const logger = createMemoryLogger();
    const ledger = createLedger({ db, clock: manualClock(), logger, kioskId: 'k' });
    const kept = ledger.append({ staffId: 1, action: 'clock_in' });
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`); // the database may not grow: SQLITE_FULL on the next page
    let error: unknown = null;
    try {
      for (let i = 0; i < 500; i += 1) ledger.append({ staffId: 100 + i, action: 'clock_in', reason: 'x'.repeat(200) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LedgerStorageError);
    expect((error as LedgerStorageError).sqliteCode).toBe('SQLITE_FULL');
    expect((error as Error).message).toMatch(/disk is full: the punch was not saved/);
    expect(ledger.get(kept.eventId)?.syncState).toBe('pending');
    expect(logger.records.some((r) => r.level === 'error' && r.message === 'ledger write failed')).toBe(true);
    db.close();
  });

  it('refuses a punch when the database file is damaged', () => {
    const file = path.join(makeTempDir(), 'k.db');
    const first = openDatabase({ file });
    const writer = createLedger({ db: first, clock: manualClock(), logger: createMemoryLogger(), kioskId: 'k' });
    for (let i = 0; i < 50; i += 1) writer.append({ staffId: i, action: 'clock_in', reason: 'r'.repeat(300) });
    const pageSize = first.pragma('page_size', { simple: true }) as number;
    const pageCount = first.pragma('page_count', { simple: true }) as number;
    const schemaPages = new Set((first.prepare("SELECT pageno FROM dbstat WHERE name = 'sqlite_schema'").all() as { pageno: number }[]).map((r) => r.pageno));
    first.close();
    // scribble over every page but the schema's (the header and schema stay readable, the ledger's b-tree does not)
    const fd = fs.openSync(file, 'r+');
    for (let p = 1; p < pageCount; p += 1) if (!schemaPages.has(p + 1)) fs.writeSync(fd, crypto.randomBytes(pageSize), 0, pageSize, p * pageSize);
    fs.closeSync(fd);
    // Damage found while running (open's quick_check would refuse this file at start; see tests/faults).
    const db = openDatabase({ file, quickCheck: false });
    const ledger = createLedger({ db, clock: manualClock(), logger: createMemoryLogger(), kioskId: 'k' });
    let error: unknown = null;
    try {
      ledger.append({ staffId: 1000, action: 'clock_in' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LedgerStorageError);
    expect((error as LedgerStorageError).sqliteCode).toMatch(/SQLITE_(CORRUPT|NOTADB|IOERR)/);
    expect((error as Error).message).toMatch(/damaged: the punch was not saved/);
    db.close();
  });
});
