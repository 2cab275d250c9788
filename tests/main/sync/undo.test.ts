/**
 * Undo of a punch: saved at once, held from the sync during its undo window, kept as cancelled
 * (never sent) when undone, sent after the window, and sent after a restart when the kiosk died in
 * the window (the person saw "done"). Real SQLite files, the real clock service, the HotelMate double.
 */
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/db/database';
import { copyLegacyDatabase } from '../../support/legacy-db';
import { createHarness } from './harness';

function ok<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result)}`);
  return result as Extract<T, { ok: true }>;
}

describe('a punch in its undo window', () => {
  it('is in the ledger file at once but not sent while held; undone, it stays as cancelled and is never sent', async () => {
    const h = await createHarness({ undoWindowMs: 10_000 });
    const { aoife } = h.world;
    const punched = ok(h.punch(aoife.id, 'clock_in', h.world.probes.aoife));
    expect(punched.undoUntil).toBe(new Date(Date.parse(punched.occurredAt) + 10_000).toISOString());
    // Durable before "done": another connection to the file sees it.
    const raw = new BetterSqlite3(h.dbFile, { readonly: true });
    expect(raw.prepare('SELECT sync_state, hold_until_ms IS NOT NULL AS held FROM ledger_events WHERE event_id = ?').get(punched.eventId)).toEqual({ sync_state: 'pending', held: 1 });
    await h.service.sync.drainOnce();
    expect(h.endpoints()).toEqual([]);

    const undone = h.service.undo(punched.eventId);
    expect(undone).toMatchObject({ ok: true, status: { status: 'off_duty', pendingPunches: 0 } });
    expect(raw.prepare('SELECT sync_state FROM ledger_events WHERE event_id = ?').get(punched.eventId)).toEqual({ sync_state: 'cancelled' });
    raw.close();
    await h.sync();
    expect(h.endpoints()).toEqual([]);
    expect(h.double.state.clockLogs({ staffId: aoife.id })).toHaveLength(0);
    expect(h.service.ledger({ limit: 10 })).toMatchObject([{ eventId: punched.eventId, syncState: 'cancelled' }]);
    expect(h.service.queueStats()).toMatchObject({ pending: 0, sending: 0, needsReview: 0, synced: 0 });
    expect(h.service.exportCsv()).toContain('cancelled');
    expect(h.service.board().departments).toEqual([]);
  });

  it('a later punch ends the held one\'s window: the first goes, the later one waits for its own, and both arrive in order', async () => {
    const h = await createHarness({ undoWindowMs: 10_000 });
    const { aoife } = h.world;
    const first = ok(h.punch(aoife.id, 'clock_in', h.world.probes.aoife));
    h.clock.advance(15_000);
    const second = ok(h.punch(aoife.id, 'start_break', h.world.probes.aoife));
    expect(h.service.undo(first.eventId)).toMatchObject({ ok: false, error: { code: 'too_late' } }); // a later punch counts
    await h.sync();
    expect(h.endpoints()).toEqual(['face-clock-in']);
    h.service.release(second.eventId);
    await h.sync();
    const sent = h.endpoints();
    expect(sent[0]).toBe('face-clock-in');
    expect(sent.at(-1)).toBe('toggle-break');
    expect(h.double.state.staff(aoife.id)?.dutyStatus).toBe('on_break');
  });

  it('a kiosk that died during the window sends the punch after the restart; nobody can undo it any more', async () => {
    const h = await createHarness({ undoWindowMs: 10_000 });
    const { aoife } = h.world;
    const punched = ok(h.punch(aoife.id, 'clock_in', h.world.probes.aoife));
    // The crash: the service is never stopped nor released; a new one starts over the same file.
    const restarted = h.restart();
    await restarted.start();
    expect(restarted.undo(punched.eventId)).toMatchObject({ ok: false, error: { code: 'too_late' } });
    await h.sync();
    expect(h.double.state.clockLogs({ staffId: aoife.id })).toHaveLength(1);
    expect(restarted.ledger({ limit: 10 })).toMatchObject([{ eventId: punched.eventId, syncState: 'synced' }]);
  });
});

describe('the on-duty board and the greeting: since the clock-in', () => {
  it('a break does not move "since"; the greeting knows when the duty began', async () => {
    const h = await createHarness({ start: '2026-05-11T07:20:00Z' });
    const { aoife } = h.world;
    ok(h.punch(aoife.id, 'clock_in', h.world.probes.aoife));
    await h.sync();
    h.clock.advance(3 * 3_600_000);
    ok(h.punch(aoife.id, 'start_break', h.world.probes.aoife));
    await h.sync();
    const entry = h.service.board().departments.flatMap((d) => d.entries).find((e) => e.staffId === aoife.id);
    expect(entry).toMatchObject({ status: 'on_break', since: '2026-05-11T07:20:00.000Z' });
    expect(h.service.effectiveStatus(aoife.id).onDutySince).toBe('2026-05-11T07:20:00.000Z');
    h.clock.advance(30 * 60_000);
    const out = ok(h.punch(aoife.id, 'end_break', h.world.probes.aoife));
    expect(out.sessionStartedAt).toBe('2026-05-11T07:20:00.000Z');
  });
});

describe('migration 0009 on a database written before it', () => {
  it('keeps every punch and the sequence, and a cancelled state can be stored', () => {
    const file = copyLegacyDatabase();
    const before = new BetterSqlite3(file, { readonly: true });
    const rows = before.prepare('SELECT seq, event_id, sync_state FROM ledger_events ORDER BY seq').all();
    const sequence = before.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'ledger_events'`).get();
    const indexes = before.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ledger_events' ORDER BY name`).all();
    before.close();
    const db = openDatabase({ file });
    expect(db.prepare('SELECT seq, event_id, sync_state FROM ledger_events ORDER BY seq').all()).toEqual(rows);
    expect(db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'ledger_events'`).get()).toEqual(sequence);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ledger_events' ORDER BY name`).all()).toEqual(indexes);
    const first = rows[0] as { event_id: string };
    db.prepare(`UPDATE ledger_events SET sync_state = 'cancelled' WHERE event_id = ?`).run(first.event_id);
    expect(() => db.prepare(`UPDATE ledger_events SET sync_state = 'lost' WHERE event_id = ?`).run(first.event_id)).toThrow(/CHECK/);
    db.close();
  });
});
