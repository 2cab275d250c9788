/**
 * Signing in with the kiosk account, as the setup screen does it, against the HotelMate double on
 * 127.0.0.1 with the services wired to the config as in the running kiosk: the token is stored,
 * hotel and API are saved, and the services are built once, so every start-up request is sent once.
 */
import { describe, expect, it, vi } from 'vitest';
import { signInKioskAccount } from '../../../src/main/app/sign-in';
import { systemClock } from '../../../src/main/lib/clock';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { createHandlerKit } from './handler-kit';

describe('setup:signIn', () => {
  it('builds the services once: each start-up request reaches HotelMate exactly once', async () => {
    const k = await createHandlerKit({ clock: systemClock, hotel: 'signed-out', signIn: (input) => signInKioskAccount(input, createMemoryLogger(), 3000) });
    const { double, world } = k.hotel ?? {};
    if (!double || !world) throw new Error('no HotelMate double');
    k.wire();
    expect(k.services.clockService()).toBeNull();

    const result = await k.handlers['setup:signIn']({ apiBaseUrl: double.apiBaseUrl, hotelSlug: world.hotelSlug, username: 'siobhan.kelly', password: 'KioskTest123!' });
    expect(result).toMatchObject({ ok: true, accountName: 'siobhan.kelly' });
    expect(k.services.apiToken()).toBe(world.manager.token);
    expect(k.config.get().hotel.slug).toBe(world.hotelSlug);

    // The start-up requests of a clock service: the first contact (the account's clock status), and
    // the catch-up (staff list, shifts, face config).
    const sent = (pathPart: string): number => double.state.requests().filter((r) => r.path.includes(pathPart)).length;
    const startup = ['/clock-logs/status/', `/api/staff/${world.hotelSlug}/`, '/shifts/', '/face-config/'];
    await vi.waitFor(() => startup.forEach((p) => expect(sent(p)).toBeGreaterThanOrEqual(1)), { timeout: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 500)); // time for a second build to show itself
    expect(Object.fromEntries(startup.map((p) => [p, sent(p)]))).toEqual(Object.fromEntries(startup.map((p) => [p, 1])));
    expect(sent('/staff/login/')).toBe(1);
    expect(k.logger.records.filter((r) => r.message === 'catching up with HotelMate')).toHaveLength(1);
  });

  it('signing in again with a new token for the same hotel still rebuilds (once) for the new token', async () => {
    const k = await createHandlerKit({ clock: systemClock, hotel: 'signed-out', signIn: (input) => signInKioskAccount(input, createMemoryLogger(), 3000) });
    const { double, world } = k.hotel ?? {};
    if (!double || !world) throw new Error('no HotelMate double');
    k.wire();
    const request = { apiBaseUrl: double.apiBaseUrl, hotelSlug: world.hotelSlug, username: 'siobhan.kelly', password: 'KioskTest123!' };
    await k.handlers['setup:signIn'](request);
    const first = k.services.clockService();
    await k.handlers['setup:signIn'](request);
    expect(k.services.clockService()).not.toBe(first);
    expect(k.services.clockService()).not.toBeNull();
  });
});
