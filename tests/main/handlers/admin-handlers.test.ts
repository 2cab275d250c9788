/** The admin screens' and the setup wizard's config channel: what it refuses, what it saves, and that it is behind the PIN. */
import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../support/fake-clock';
import { createHandlerKit } from './handler-kit';

describe('config:update', () => {
  it('refuses any admin field (the PIN hash changes only through the PIN screen) and changes nothing', async () => {
    const k = await createHandlerKit({ clock: createFakeClock() });
    const before = k.config.get();
    const result = await k.handlers['config:update']({ admin: { pinHash: 'scrypt$forged', maxAttempts: 1000 }, ui: { showBoard: false } });
    expect(result).toEqual({ ok: false, errors: [{ field: 'admin', message: 'use the PIN screen to change the PIN' }] });
    expect(k.config.get()).toEqual(before);
    expect(k.config.get().admin.pinHash).toBeNull();
  });

  it('refuses a new kiosk id (it is in every punch sent to HotelMate) and changes nothing', async () => {
    const k = await createHandlerKit({ clock: createFakeClock() });
    const result = await k.handlers['config:update']({ kiosk: { id: 'kiosk-stolen', locationNote: 'Back door' } });
    expect(result).toEqual({ ok: false, errors: [{ field: 'kiosk.id', message: 'the kiosk id is fixed when the kiosk is installed' }] });
    expect(k.config.get().kiosk).toMatchObject({ id: 'kiosk-lobby', locationNote: 'Lobby kiosk' });
  });

  it('refuses the lab flag for plain http (only the config file may set it) and an http URL to another machine', async () => {
    const k = await createHandlerKit({ clock: createFakeClock() });
    expect(await k.handlers['config:update']({ api: { allowInsecureHttp: true, baseUrl: 'http://attacker.example/api' } })).toEqual({
      ok: false,
      errors: [{ field: 'api.allowInsecureHttp', message: 'plain http is allowed only in the config file, for a lab' }],
    });
    expect(await k.handlers['config:update']({ api: { baseUrl: 'http://attacker.example/api' } })).toMatchObject({ ok: false, errors: [{ field: 'api.baseUrl' }] });
    expect((await k.handlers['config:update']({ api: { baseUrl: 'http://127.0.0.1:8000/api' } })).ok).toBe(true);
    expect(k.config.get().api).toMatchObject({ baseUrl: 'http://127.0.0.1:8000/api', allowInsecureHttp: false });
  });

  it('applies and saves an allowed change, answering with the config the screens may see (no token, no PIN hash)', async () => {
    const k = await createHandlerKit({ clock: createFakeClock() });
    const result = await k.handlers['config:update']({ ui: { showBoard: false }, kiosk: { locationNote: 'Staff entrance' } });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.config.ui.showBoard).toBe(false);
    expect(result.config.api.hasToken).toBe(false);
    expect(JSON.stringify(result.config)).not.toMatch(/pinHash|token"/);
    expect(k.config.get().kiosk.locationNote).toBe('Staff entrance');
    expect(k.lastSent('app:info')).toBeUndefined(); // the event wiring, not the handler, announces config changes
  });

  it('names the field of a bad value', async () => {
    const k = await createHandlerKit({ clock: createFakeClock() });
    const result = await k.handlers['config:update']({ recognition: { threshold: 7 } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.field).toBe('recognition.threshold');
  });

  it('takes the setup wizard\'s liveness answer on first run (no PIN yet): a mode is saved, anything else refused at its field', async () => {
    const k = await createHandlerKit({ clock: createFakeClock() });
    expect(k.config.get().recognition.liveness).toBe('challenge_when_doubtful');
    const changed: string[] = [];
    k.config.onChange((next) => changed.push(next.recognition.liveness));
    const saved = await k.router.dispatch('config:update', [{ recognition: { liveness: 'always_challenge' } }]);
    expect(saved).toMatchObject({ ok: true, config: { recognition: { liveness: 'always_challenge', threshold: 0.48 } } });
    expect(changed).toEqual(['always_challenge']);
    const refused = await k.handlers['config:update']({ recognition: { liveness: 'sometimes' } });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.errors.map((e) => e.field)).toEqual(['recognition.liveness']);
    expect(k.config.get().recognition.liveness).toBe('always_challenge');
    expect(changed).toHaveLength(1);
  });

  it('is behind the admin PIN once one is set', async () => {
    const k = await createHandlerKit({ clock: createFakeClock() });
    expect((await k.handlers['admin:setPin']('246813')).ok).toBe(true);
    expect(k.lastSent('app:info')).toBeDefined();
    await expect(k.router.dispatch('config:update', [{ ui: { showBoard: false } }])).rejects.toMatchObject({ code: 'forbidden' });
    expect(k.config.get().ui.showBoard).toBe(true);
    expect((await k.handlers['admin:unlock']('246813')).ok).toBe(true);
    expect(await k.router.dispatch('config:update', [{ ui: { showBoard: false } }])).toMatchObject({ ok: true });
    expect(k.config.get().ui.showBoard).toBe(false);
    // the admin status is a state every screen may read, locked or not
    k.admin.lock('test');
    expect(await k.router.dispatch('admin:status', [])).toMatchObject({ unlocked: false, pinSet: true });
  });
});
