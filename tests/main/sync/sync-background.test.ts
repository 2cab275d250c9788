import fs from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createHarness } from './harness';

async function until(check: () => boolean, timeoutMs = 8000, debug?: () => string): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not reached in time: ${debug?.() ?? ''}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('sync in the background', () => {
  it('a punch syncs by itself after start(), the probe notices the server coming back, and stop() leaves the rest for the next start', async () => {
    // No late-write wait here: the dropped toggle below is cut like one HotelMate may still carry out,
    // and that wait (on the schedule clock, which this test does not move) is late-write.test.ts's.
    const h = await createHarness({ sync: { probeIntervalMs: 100, baseDelayMs: 60_000, maxDelayMs: 60_000, lateWriteMs: 0 } });
    const states: string[] = [];
    h.service.onConnection((c) => states.push(c.api));
    await h.service.start();
    h.punch(h.world.aoife.id, 'clock_in', h.world.probes.aoife);
    await until(() => h.service.ledger({ limit: 1 })[0]?.syncState === 'synced');

    // the server disappears: the punch waits (a backoff of a minute), the probe brings it back early
    h.double.faults.dropConnection({ when: 'before', times: Infinity });
    h.clock.advance(60_000);
    h.punch(h.world.aoife.id, 'start_break', h.world.probes.aoife);
    await until(() => h.service.connection().api === 'offline');
    expect(h.service.connection().pendingPunches).toBe(1);
    h.double.faults.clear();
    await until(() => h.service.connection().pendingPunches === 0);
    expect(h.double.state.staff(h.world.aoife.id)?.dutyStatus).toBe('on_break');
    await until(() => states.includes('offline') && states.at(-1) === 'online');

    await h.service.stop();
    h.clock.advance(60_000);
    h.punch(h.world.aoife.id, 'end_break', h.world.probes.aoife);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.service.ledger({ limit: 1 })[0]?.syncState).toBe('pending');
    // a restart continues where it stopped
    const again = h.restart();
    await again.start();
    await until(() => again.ledger({ limit: 1 })[0]?.syncState === 'synced');
    expect(h.double.state.staff(h.world.aoife.id)?.dutyStatus).toBe('on_duty');
  });

  it('a row left in "sending" by a crash after the server wrote is re-examined once HotelMate can no longer be carrying it out, not sent twice', async () => {
    const h = await createHarness();
    h.punch(h.world.aoife.id, 'clock_in', h.world.probes.aoife);
    await h.sync();
    h.clock.advance(60_000);
    h.punch(h.world.aoife.id, 'start_break', h.world.probes.aoife);
    const [row] = h.service.ledger({ limit: 1 });
    // simulate: the toggle reached HotelMate, then the kiosk died before recording the answer
    h.double.faults.dropConnection({ when: 'after', path: 'toggle-break' });
    await h.sync();
    // ...as a crash during that first attempt leaves it: in 'sending', with no answer, so no wait of its own.
    h.db.prepare(`UPDATE ledger_events SET sync_state = 'sending', late_write_until_ms = NULL WHERE event_id = ?`).run(row?.eventId);
    const restarted = h.restart();
    const requests = h.double.state.requests().length;
    await restarted.sync.drainOnce();
    // The toggle may still be running at HotelMate: nothing is read or sent until the late-write wait is over.
    expect(h.double.state.requests()).toHaveLength(requests);
    expect(restarted.ledger({ limit: 1 })[0]).toMatchObject({ syncState: 'pending' });
    h.clock.advance(10_000);
    await restarted.sync.drainOnce();
    expect(restarted.ledger({ limit: 1 })[0]?.syncState).toBe('synced');
    expect(h.double.state.staff(h.world.aoife.id)?.dutyStatus).toBe('on_break');
    expect(h.endpoints().filter((e) => e === 'toggle-break')).toHaveLength(1);
  });

  it('exports the ledger as CSV with names, states and sync delays', async () => {
    const h = await createHarness();
    await h.service.catchUp('test');
    h.punch(h.world.conor.id, 'clock_in', h.world.probes.conor, 'Cover, "late" call');
    h.clock.advance(120_000);
    await h.service.sync.drainOnce();
    const csv = h.service.exportCsv().trim().split('\n');
    expect(csv[0]).toBe('event_id,staff_id,staff_name,action,occurred_at,sync_state,attempts,synced_at,delay_seconds,flagged,last_error,occurred_local,synced_local,time_zone,reason,manual_approver,manual_approved_by,manual_note,review_note');
    expect(csv[1]).toMatch(new RegExp(`,${h.world.conor.id},Conor O'Sullivan,clock_in,.*,synced,1,.*,120,false,`));
    // The hotel's wall-clock times beside the UTC ones (10:00 UTC in May is 11:00 in Dublin), and the reason.
    expect(csv[1]).toMatch(/,2026-05-11 11:00:00,2026-05-11 11:02:00,Europe\/Dublin,"Cover, ""late"" call",,,,$/);
    expect(h.service.staffList().map((s) => s.name)).toContain('Aoife Murphy');
  });

  it('a retry waiting when the kiosk clock jumps back 2 h is still sent 10 minutes later (monotonic schedule)', async () => {
    const h = await createHarness({ sync: { baseDelayMs: 60_000, maxDelayMs: 60_000 } });
    h.double.faults.dropConnection({ when: 'before', path: 'face-clock-in' });
    h.punch(h.world.aoife.id, 'clock_in', h.world.probes.aoife);
    await h.service.sync.drainOnce();
    expect(h.service.ledger({ limit: 1 })[0]).toMatchObject({ syncState: 'pending', attempts: 1 });
    h.jumpKioskWall(-2 * 3_600_000);
    h.clock.advance(10 * 60_000);
    await h.service.sync.drainOnce();
    expect(h.service.ledger({ limit: 1 })[0]).toMatchObject({ syncState: 'synced', attempts: 2 });
  });

  it('never crashes the process when the database turns corrupt mid-run: the loop logs, shows the problem and keeps trying', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown): void => {
      rejections.push(reason);
    };
    process.on('unhandledRejection', onRejection);
    try {
      const h = await createHarness({ sync: { probeIntervalMs: 100, baseDelayMs: 20, maxDelayMs: 100 } });
      // Enough punches that the ledger spans many pages of the file, all synced and checkpointed into it.
      const insert = h.db.prepare(`INSERT INTO ledger_events (event_id, staff_id, action, occurred_at, occurred_ms, monotonic_ms, boot_id, kiosk_id, sync_state, attempts, next_attempt_ms, synced_at)
        VALUES (?, 900, 'clock_in', '2026-05-10T09:00:00.000Z', 0, 0, 'old', 'lobby', 'synced', 1, 0, '2026-05-10T09:00:01.000Z')`);
      h.db.transaction(() => {
        for (let i = 0; i < 3000; i += 1) insert.run(`old-${i}`);
      })();
      await h.service.start();
      h.punch(h.world.aoife.id, 'clock_in', h.world.probes.aoife);
      await until(() => h.service.ledger({ limit: 1 })[0]?.syncState === 'synced');
      h.db.pragma('wal_checkpoint(TRUNCATE)');

      // Garbage over everything after the schema pages, then another connection writes, so the
      // kiosk's cached pages are dropped and its next read meets the damage (SQLITE_CORRUPT).
      const size = fs.statSync(h.dbFile).size;
      const fd = fs.openSync(h.dbFile, 'r+');
      fs.writeSync(fd, Buffer.alloc(size - 24 * 4096, 0x5a), 0, size - 24 * 4096, 24 * 4096);
      fs.closeSync(fd);
      const other = new Database(h.dbFile);
      other.prepare(`INSERT OR REPLACE INTO kiosk_meta (key, value, updated_at) VALUES ('touch', '1', '2026-05-11T10:00:00Z')`).run();
      other.close();
      h.service.sync.nudge();

      await until(() => h.logger.records.filter((r) => r.message === 'sync loop error; trying again later').length >= 3);
      expect(h.service.sync.state().lastError).toMatch(/could not read or write the punch ledger: .*malformed/);
      // The punch screen refuses honestly instead of pretending.
      const refused = h.punch(h.world.conor.id, 'clock_in', h.world.probes.conor, 'Cover');
      expect(refused.ok).toBe(false);
      await h.service.stop();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});
