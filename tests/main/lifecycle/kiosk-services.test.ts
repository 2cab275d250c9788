/**
 * The services of the configured kiosk: none before sign-in, built when the token arrives, replaced
 * on rebuild (the old ones stop talking to the screens), gone after stop. Real SQLite, the real
 * clock service and the HotelMate double.
 */
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/main/lib/clock';
import { createHandlerKit } from '../handlers/handler-kit';

describe('kiosk services', () => {
  it('has no clock service until the kiosk account signs in, then builds and starts one', async () => {
    const k = await createHandlerKit({ clock: systemClock, hotel: true });
    const token = k.services.apiToken();
    expect(token).not.toBeNull();
    await k.services.stop();
    expect(k.services.clockService()).toBeNull();
    expect(k.services.connection()).toMatchObject({ api: 'unconfigured', realtime: 'disabled' });

    k.services.saveApiToken(token as string);
    await k.services.rebuild();
    expect(k.services.clockService()).not.toBeNull();
    expect(k.lastSent('app:connection')?.api).toBe('online');
  });

  it('replaces the services on rebuild; the old clock service no longer reaches the screens', async () => {
    const k = await createHandlerKit({ clock: systemClock, hotel: true });
    const world = k.hotel?.world;
    if (!world) throw new Error('no hotel');
    const before = k.services.clockService();
    await k.services.rebuild();
    const after = k.services.clockService();
    expect(after).not.toBe(before);

    const statusEvents = (): number => k.sent.filter((s) => s.channel === 'clock:status').length;
    const counted = statusEvents();
    before?.applyServerStatus({ staffId: world.aoife.id, status: 'on_duty', breakStartedAt: null, observedAt: new Date().toISOString(), source: 'api' });
    expect(statusEvents()).toBe(counted);
    const breakAt = new Date().toISOString();
    after?.applyServerStatus({ staffId: world.aoife.id, status: 'on_break', breakStartedAt: breakAt, observedAt: breakAt, source: 'api' });
    expect(statusEvents()).toBe(counted + 1);
    expect(k.lastSent('clock:status')).toMatchObject({ staffId: world.aoife.id, status: 'on_break' });
  });

  it('stays unconfigured (and says so) without a token even when hotel and API are set', async () => {
    const k = await createHandlerKit({ clock: systemClock, hotel: true });
    await k.services.stop();
    k.services.saveApiToken('');
    await k.services.rebuild();
    expect(k.services.clockService()).toBeNull();
    expect(k.lastSent('app:connection')).toMatchObject({ api: 'unconfigured' });
    expect(k.logger.records.some((r) => r.message === 'kiosk not configured yet: ledger and sync idle')).toBe(true);
  });
});
