import { describe, expect, it } from 'vitest';
import { createHarness } from './harness';

describe('sync: each action online', () => {
  it('clock in, start break, end break, clock out reach HotelMate in order through the dispatcher', async () => {
    const h = await createHarness();
    const { aoife } = h.world;
    const enc = h.world.probes.aoife;

    const inResult = h.punch(aoife.id, 'clock_in', enc);
    expect(inResult.ok && inResult.status.status).toBe('on_duty');
    await h.sync();
    expect(h.endpoints()).toEqual(['face-clock-in']);
    expect(h.double.state.staff(aoife.id)?.dutyStatus).toBe('on_duty');

    h.clock.advance(60 * 60_000);
    h.punch(aoife.id, 'start_break', enc);
    await h.sync();
    expect(h.double.state.staff(aoife.id)?.dutyStatus).toBe('on_break');

    h.clock.advance(15 * 60_000);
    h.punch(aoife.id, 'end_break', enc);
    await h.sync();
    h.clock.advance(60 * 60_000);
    h.punch(aoife.id, 'clock_out', enc);
    await h.sync();

    expect(h.endpoints()).toEqual([
      'face-clock-in',
      'face-clock-in', 'toggle-break',
      'face-clock-in', 'toggle-break',
      'face-clock-in', 'confirm-clock-out',
    ]);
    const logs = h.double.state.clockLogs({ staffId: aoife.id });
    expect(logs).toHaveLength(1);
    expect(logs[0]?.timeOut).not.toBeNull();
    expect(logs[0]?.totalBreakMinutes).toBe(15);
    expect(h.double.state.staff(aoife.id)?.dutyStatus).toBe('off_duty');
    const rows = h.service.ledger({ limit: 10 });
    expect(rows.every((r) => r.syncState === 'synced')).toBe(true);
    expect(h.service.effectiveStatus(aoife.id)).toMatchObject({ status: 'off_duty', pendingPunches: 0 });
    // client_event_id and occurred_at travel with the punch (ignored by today's backend)
    expect(h.logger.records.filter((r) => r.message === 'punch synced')).toHaveLength(4);
  });
});

describe('sync: each action offline', () => {
  it('records all four punches offline, shows them as effective status, then syncs them once and in order', async () => {
    const h = await createHarness();
    const { aoife } = h.world;
    const enc = h.world.probes.aoife;
    h.double.faults.dropConnection({ when: 'before', times: Infinity });

    const results = [
      h.punch(aoife.id, 'clock_in', enc),
      (h.clock.advance(3_600_000), h.punch(aoife.id, 'start_break', enc)),
      (h.clock.advance(600_000), h.punch(aoife.id, 'end_break', enc)),
    ];
    expect(results.map((r) => r.ok && r.status.status)).toEqual(['on_duty', 'on_break', 'on_duty']);
    await h.sync();
    expect(h.service.connection()).toMatchObject({ api: 'offline', pendingPunches: 3 });
    h.clock.advance(3_600_000);
    const out = h.punch(aoife.id, 'clock_out', enc);
    expect(out.ok && out.savedOffline).toBe(true);
    expect(h.service.effectiveStatus(aoife.id)).toMatchObject({ status: 'off_duty', pendingPunches: 4 });
    expect(h.double.state.clockLogs({ staffId: aoife.id })).toHaveLength(0);

    h.double.faults.clear();
    await h.sync();
    await h.sync();
    expect(h.service.connection()).toMatchObject({ api: 'online', pendingPunches: 0, needsReview: 0 });
    const logs = h.double.state.clockLogs({ staffId: aoife.id });
    expect(logs).toHaveLength(1);
    expect(logs[0]?.timeOut).not.toBeNull();
    expect(h.double.state.staff(aoife.id)?.dutyStatus).toBe('off_duty');
    const rows = h.service.ledger({ limit: 10 });
    expect(rows.map((r) => r.syncState)).toEqual(['synced', 'synced', 'synced', 'synced']);
    // the true local time is kept and the delay is visible to managers
    expect(rows.every((r) => (r.delaySeconds ?? 0) > 0)).toBe(true);
    // breaks were toggled exactly twice on the server: start and end
    expect(h.endpoints().filter((e) => e === 'toggle-break')).toHaveLength(2);
  });

  it('keeps the button on the local punch when a late server event arrives', async () => {
    const h = await createHarness();
    const { aoife } = h.world;
    h.double.faults.dropConnection({ when: 'before', times: Infinity });
    h.punch(aoife.id, 'clock_in', h.world.probes.aoife);
    h.service.applyServerStatus({ staffId: aoife.id, status: 'off_duty', breakStartedAt: null, observedAt: h.clock.now().toISOString(), source: 'realtime' });
    expect(h.service.effectiveStatus(aoife.id).status).toBe('on_duty');
    h.double.faults.clear();
    await h.sync();
    const stale = new Date(h.clock.now().getTime() - 60_000).toISOString();
    h.service.applyServerStatus({ staffId: aoife.id, status: 'off_duty', breakStartedAt: null, observedAt: stale, source: 'realtime' });
    expect(h.service.effectiveStatus(aoife.id)).toMatchObject({ status: 'on_duty', pendingPunches: 0 });
    expect(h.service.board().departments.flatMap((d) => d.entries.map((e) => e.name))).toEqual(['Aoife Murphy']);
  });

  it('answers a second tap within the window with the first punch, and refuses an impossible action', async () => {
    const h = await createHarness();
    const { aoife } = h.world;
    const first = h.punch(aoife.id, 'clock_in', h.world.probes.aoife);
    h.clock.advance(2_000);
    const second = h.punch(aoife.id, 'clock_in', h.world.probes.aoife);
    expect(first.ok && second.ok && second.duplicate && second.eventId === first.eventId).toBe(true);
    h.clock.advance(60_000);
    const third = h.punch(aoife.id, 'clock_in', h.world.probes.aoife);
    expect(third.ok ? 'ok' : third.error.code).toBe('not_allowed');
    expect(h.service.ledger({ limit: 10 })).toHaveLength(1);
  });

  it('refuses the punch with storage_failed when the database cannot grow', async () => {
    const h = await createHarness();
    const pages = h.db.pragma('page_count', { simple: true }) as number;
    h.db.pragma(`max_page_count = ${pages}`);
    let result = h.punch(h.world.aoife.id, 'clock_in', h.world.probes.aoife);
    for (let i = 0; i < 300 && result.ok; i += 1) {
      h.clock.advance(20_000);
      result = h.punch(1000 + i, 'clock_in', h.world.probes.aoife, 'r'.repeat(250));
    }
    expect(result.ok ? 'ok' : result.error.code).toBe('storage_failed');
    expect(result.ok ? '' : result.error.message).toMatch(/disk is full/);
    expect(h.service.connection().apiMessage).toMatch(/disk is full/);
  });
});
