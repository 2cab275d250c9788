import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type WritableDB } from '../../../src/main/db/database';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { type AdminSettings, META_PIN_HASH, createAdminSession, lockoutMinutesAfter, reconcilePinHash } from '../../../src/main/admin/admin-session';
import { getMeta, setMeta } from '../../../src/main/db/meta';
import { hashPin, type ScryptParams } from '../../../src/main/admin/pin-hash';
import { createFakeClock, type FakeClock } from '../../support/fake-clock';

// Cheap scrypt so the lock-out scenarios stay fast; pin-hash.test.ts covers the real cost.
const FAST: ScryptParams = { N: 1024, r: 8, p: 1 };

describe('admin session', () => {
  let dir: string;
  let file: string;
  let db: WritableDB;
  let clock: FakeClock;
  let settings: AdminSettings;
  let hasData: boolean;

  const make = (): ReturnType<typeof createAdminSession> =>
    createAdminSession({
      db,
      clock,
      logger: createMemoryLogger(),
      settings: () => settings,
      savePinHash: (hash) => {
        settings = { ...settings, pinHash: hash };
      },
      firstRunAllowed: () => !hasData,
      idleMinutes: 2,
      hashParams: FAST,
    });

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'admin-'));
    file = path.join(dir, 'kiosk.db');
    db = openDatabase({ file });
    clock = createFakeClock();
    settings = { pinHash: await hashPin('246813', FAST), maxAttempts: 3, lockoutMinutes: 5 };
    hasData = false;
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts locked, unlocks with the right PIN and refuses a wrong one', async () => {
    const session = make();
    expect(session.status()).toMatchObject({ unlocked: false, pinSet: true, attemptsLeft: 3 });
    const wrong = await session.unlock('1111');
    expect(wrong).toMatchObject({ ok: false, error: { code: 'wrong_pin' } });
    expect(session.status().attemptsLeft).toBe(2);
    const right = await session.unlock('246813');
    expect(right.ok).toBe(true);
    expect(session.isUnlocked()).toBe(true);
    // success resets the failure count
    expect(session.status().attemptsLeft).toBe(3);
  });

  it('locks out after maxAttempts failures, refuses even the right PIN, and lets it in after lockoutMinutes', async () => {
    const session = make();
    await session.unlock('000000');
    await session.unlock('000001');
    const third = await session.unlock('000002');
    expect(third).toMatchObject({ ok: false, error: { code: 'locked_out' } });
    const status = session.status();
    expect(status.attemptsLeft).toBe(0);
    expect(status.lockedUntil).toBe(new Date(clock.now().getTime() + 5 * 60_000).toISOString());

    expect(await session.unlock('246813')).toMatchObject({ ok: false, error: { code: 'locked_out' } });
    clock.advance(4 * 60_000 + 59_000);
    expect(await session.unlock('246813')).toMatchObject({ ok: false, error: { code: 'locked_out' } });
    clock.advance(2_000);
    expect((await session.unlock('246813')).ok).toBe(true);
  });

  it('keeps the lock-out across a restart (persisted in kiosk_meta)', async () => {
    const first = make();
    for (const pin of ['1', '2', '3'].map((d) => d.repeat(6))) await first.unlock(pin);
    db.close();
    db = openDatabase({ file });
    const second = make();
    expect(second.status().lockedUntil).not.toBeNull();
    expect(await second.unlock('246813')).toMatchObject({ ok: false, error: { code: 'locked_out' } });
  });

  it('keeps counting failures across a restart', async () => {
    await make().unlock('999999');
    await make().unlock('999998');
    expect(make().status().attemptsLeft).toBe(1);
  });

  it('a wall clock set back cannot stretch the lock-out beyond one period', async () => {
    const session = make();
    for (const pin of ['111111', '222222', '333333']) await session.unlock(pin);
    clock.setWall(new Date(clock.now().getTime() - 24 * 3600_000));
    const until = new Date(session.status().lockedUntil ?? '');
    expect(until.getTime() - clock.now().getTime()).toBeLessThanOrEqual(5 * 60_000);
  });

  it('parallel guesses are checked one at a time, so they cannot exceed maxAttempts', async () => {
    const session = make();
    const results = await Promise.all(['100000', '100001', '100002', '100003', '246813'].map((pin) => session.unlock(pin)));
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['wrong_pin', 'wrong_pin', 'locked_out', 'locked_out', 'locked_out']);
  });

  it('locks itself after the idle timeout, and activity postpones it', async () => {
    const session = make();
    await session.unlock('246813');
    clock.advance(90_000);
    expect(session.allows('ledger:list')).toBe(true); // activity
    clock.advance(90_000);
    expect(session.isUnlocked()).toBe(true);
    expect(session.checkIdle()).toBe(false);
    const seen: boolean[] = [];
    session.onStatus((s) => seen.push(s.unlocked));
    clock.advance(30_000);
    expect(session.checkIdle()).toBe(true);
    expect(seen).toEqual([false]);
    expect(session.allows('ledger:list')).toBe(false);
  });

  it('gates admin channels but never the clock-in path', async () => {
    const session = make();
    expect(session.allows('clock:punch')).toBe(true);
    expect(session.allows('app:info')).toBe(true);
    expect(session.allows('admin:unlock')).toBe(true);
    expect(session.allows('admin:status')).toBe(true);
    for (const channel of ['app:exit', 'app:forgetKiosk', 'config:update', 'enrol:remove', 'diagnostics:export'] as const) {
      expect(session.allows(channel)).toBe(false);
    }
    await session.unlock('246813');
    expect(session.allows('app:exit')).toBe(true);
    session.lock();
    expect(session.allows('app:exit')).toBe(false);
  });

  it('first run: with no PIN the setup channels are open and setPin creates the PIN; after that it needs an unlock', async () => {
    settings = { ...settings, pinHash: null };
    const session = make();
    expect(session.allows('config:update')).toBe(true);
    expect(session.status().pinSet).toBe(false);
    expect(await session.unlock('123456')).toMatchObject({ ok: false, error: { code: 'no_pin' } });
    expect((await session.setPin('135791')).ok).toBe(true);
    expect(settings.pinHash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(getMeta(db, META_PIN_HASH)).toBe(settings.pinHash);
    expect(session.allows('config:update')).toBe(false);
    expect(await session.setPin('000000')).toMatchObject({ ok: false, error: { code: 'not_allowed' } });
    expect((await session.unlock('135791')).ok).toBe(true);
    expect((await session.setPin('864209')).ok).toBe(true);
    session.lock();
    expect(await session.unlock('135791')).toMatchObject({ ok: false, error: { code: 'wrong_pin' } });
    expect((await session.unlock('864209')).ok).toBe(true);
  });

  it('refuses a new PIN shorter than 6 digits, even on first run', async () => {
    settings = { ...settings, pinHash: null };
    const session = make();
    expect(await session.setPin('1357')).toMatchObject({ ok: false, error: { code: 'too_short' } });
    expect(await session.setPin('13579')).toMatchObject({ ok: false, error: { code: 'too_short' } });
    expect(settings.pinHash).toBeNull();
    expect((await session.setPin('135790')).ok).toBe(true);
  });

  it('an older 4-digit PIN still unlocks, and the admin area is asked to change it until a 6-digit one is set', async () => {
    settings = { ...settings, pinHash: await hashPin('2468', FAST) };
    const session = make();
    expect(session.status().pinTooShort).toBe(false);
    expect((await session.unlock('2468')).ok).toBe(true);
    expect(session.status().pinTooShort).toBe(true);
    expect(make().status().pinTooShort).toBe(true); // remembered across a restart
    expect((await session.setPin('246813')).ok).toBe(true);
    expect(session.status().pinTooShort).toBe(false);
  });

  it('never opens without a PIN once the kiosk has data: setup channels closed, setPin refused', async () => {
    settings = { ...settings, pinHash: null };
    hasData = true;
    const session = make();
    expect(session.status()).toMatchObject({ pinSet: true, unlocked: false });
    for (const channel of ['config:update', 'setup:signIn', 'app:exit', 'enrol:start'] as const) expect(session.allows(channel)).toBe(false);
    expect(await session.setPin('135790')).toMatchObject({ ok: false, error: { code: 'not_allowed' } });
    expect(await session.unlock('135790')).toMatchObject({ ok: false, error: { code: 'no_pin' } });
    expect(session.hasPin()).toBe(false);
  });

  it('the database keeps the PIN: a config that lost it (null, "", garbage) still needs the PIN', async () => {
    const hash = settings.pinHash as string;
    setMeta(db, META_PIN_HASH, hash, clock.now());
    for (const damaged of [null, '', 'scrypt$garbage']) {
      settings = { ...settings, pinHash: damaged };
      const session = make();
      expect(session.allows('config:update')).toBe(false);
      expect(await session.setPin('135790')).toMatchObject({ ok: false, error: { code: 'not_allowed' } });
      expect((await session.unlock('246813')).ok).toBe(true);
      session.lock();
    }
  });

  it('reconciles the two copies at start: the database wins; an older database takes the config copy', async () => {
    const configHash = settings.pinHash as string;
    expect(reconcilePinHash(db, configHash, clock.now())).toEqual({ hash: configHash, updateConfig: false, configDamaged: false });
    expect(getMeta(db, META_PIN_HASH)).toBe(configHash);
    expect(reconcilePinHash(db, null, clock.now())).toEqual({ hash: configHash, updateConfig: true, configDamaged: true });
    const other = await hashPin('999999', FAST);
    expect(reconcilePinHash(db, other, clock.now())).toEqual({ hash: configHash, updateConfig: true, configDamaged: false });
  });
});

describe('escalating lock-outs', () => {
  let dir: string;
  let db: WritableDB;
  let clock: FakeClock;
  let settings: AdminSettings;
  const make = (): ReturnType<typeof createAdminSession> =>
    createAdminSession({ db, clock, logger: createMemoryLogger(), settings: () => settings, savePinHash: () => undefined, firstRunAllowed: () => false, hashParams: FAST });

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'admin-'));
    db = openDatabase({ file: path.join(dir, 'kiosk.db') });
    clock = createFakeClock();
    settings = { pinHash: await hashPin('246813', FAST), maxAttempts: 5, lockoutMinutes: 5 };
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('doubles the lock-out with every wrong PIN after the limit, up to a day', () => {
    const minutes = Array.from({ length: 16 }, (_, i) => lockoutMinutesAfter(i + 1, settings));
    expect(minutes).toEqual([0, 0, 0, 0, 5, 10, 20, 40, 80, 160, 320, 640, 1280, 1440, 1440, 1440]);
  });

  it('the count survives each lock-out and restarts: after the 5th wrong PIN every further one locks for twice as long', async () => {
    let session = make();
    for (const pin of ['000001', '000002', '000003', '000004']) expect(await session.unlock(pin)).toMatchObject({ error: { code: 'wrong_pin' } });
    expect(await session.unlock('000005')).toMatchObject({ error: { code: 'locked_out' } });
    const lockouts: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const until = Date.parse(session.status().lockedUntil ?? '');
      lockouts.push((until - clock.now().getTime()) / 60_000);
      clock.advance(until - clock.now().getTime() + 1_000);
      session = make(); // a restart (pulled plug) between guesses changes nothing
      expect(session.status()).toMatchObject({ lockedUntil: null, attemptsLeft: 1 });
      expect(await session.unlock(`10000${i}`)).toMatchObject({ error: { code: 'locked_out' } });
    }
    expect(lockouts).toEqual([5, 10, 20, 40]);
    clock.advance(80 * 60_000 + 1_000);
    expect((await session.unlock('246813')).ok).toBe(true);
    expect(session.status().attemptsLeft).toBe(5);
  });

  it('a wall clock set back cannot stretch the current lock-out', async () => {
    const session = make();
    for (let i = 0; i < 7; i += 1) {
      clock.advance(24 * 3600_000);
      await session.unlock(`00000${i}`);
    }
    clock.setWall(new Date(clock.now().getTime() - 30 * 24 * 3600_000));
    const until = Date.parse(session.status().lockedUntil ?? '');
    expect(until - clock.now().getTime()).toBeLessThanOrEqual(20 * 60_000);
  });
});
