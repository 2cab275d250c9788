import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type WritableDB } from '../../../src/main/db/database';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { type AdminSettings, createAdminSession } from '../../../src/main/admin/admin-session';
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

  const make = (): ReturnType<typeof createAdminSession> =>
    createAdminSession({
      db,
      clock,
      logger: createMemoryLogger(),
      settings: () => settings,
      savePinHash: (hash) => {
        settings = { ...settings, pinHash: hash };
      },
      idleMinutes: 2,
      hashParams: FAST,
    });

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'admin-'));
    file = path.join(dir, 'kiosk.db');
    db = openDatabase({ file });
    clock = createFakeClock();
    settings = { pinHash: await hashPin('2468', FAST), maxAttempts: 3, lockoutMinutes: 5 };
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
    const right = await session.unlock('2468');
    expect(right.ok).toBe(true);
    expect(session.isUnlocked()).toBe(true);
    // success resets the failure count
    expect(session.status().attemptsLeft).toBe(3);
  });

  it('locks out after maxAttempts failures, refuses even the right PIN, and lets it in after lockoutMinutes', async () => {
    const session = make();
    await session.unlock('0000');
    await session.unlock('0001');
    const third = await session.unlock('0002');
    expect(third).toMatchObject({ ok: false, error: { code: 'locked_out' } });
    const status = session.status();
    expect(status.attemptsLeft).toBe(0);
    expect(status.lockedUntil).toBe(new Date(clock.now().getTime() + 5 * 60_000).toISOString());

    expect(await session.unlock('2468')).toMatchObject({ ok: false, error: { code: 'locked_out' } });
    clock.advance(4 * 60_000 + 59_000);
    expect(await session.unlock('2468')).toMatchObject({ ok: false, error: { code: 'locked_out' } });
    clock.advance(2_000);
    expect((await session.unlock('2468')).ok).toBe(true);
  });

  it('keeps the lock-out across a restart (persisted in kiosk_meta)', async () => {
    const first = make();
    for (const pin of ['1', '2', '3'].map((d) => d.repeat(4))) await first.unlock(pin);
    db.close();
    db = openDatabase({ file });
    const second = make();
    expect(second.status().lockedUntil).not.toBeNull();
    expect(await second.unlock('2468')).toMatchObject({ ok: false, error: { code: 'locked_out' } });
  });

  it('keeps counting failures across a restart', async () => {
    await make().unlock('9999');
    await make().unlock('9998');
    expect(make().status().attemptsLeft).toBe(1);
  });

  it('a wall clock set back cannot stretch the lock-out beyond one period', async () => {
    const session = make();
    for (const pin of ['1111', '2222', '3333']) await session.unlock(pin);
    clock.setWall(new Date(clock.now().getTime() - 24 * 3600_000));
    const until = new Date(session.status().lockedUntil ?? '');
    expect(until.getTime() - clock.now().getTime()).toBeLessThanOrEqual(5 * 60_000);
  });

  it('parallel guesses are checked one at a time, so they cannot exceed maxAttempts', async () => {
    const session = make();
    const results = await Promise.all(['1000', '1001', '1002', '1003', '2468'].map((pin) => session.unlock(pin)));
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['wrong_pin', 'wrong_pin', 'locked_out', 'locked_out', 'locked_out']);
  });

  it('locks itself after the idle timeout, and activity postpones it', async () => {
    const session = make();
    await session.unlock('2468');
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
    await session.unlock('2468');
    expect(session.allows('app:exit')).toBe(true);
    session.lock();
    expect(session.allows('app:exit')).toBe(false);
  });

  it('first run: with no PIN the setup channels are open and setPin creates the PIN; after that it needs an unlock', async () => {
    settings = { ...settings, pinHash: null };
    const session = make();
    expect(session.allows('config:update')).toBe(true);
    expect(await session.unlock('1234')).toMatchObject({ ok: false, error: { code: 'no_pin' } });
    expect((await session.setPin('1357')).ok).toBe(true);
    expect(settings.pinHash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(session.allows('config:update')).toBe(false);
    expect(await session.setPin('0000')).toMatchObject({ ok: false, error: { code: 'not_allowed' } });
    expect((await session.unlock('1357')).ok).toBe(true);
    expect((await session.setPin('8642')).ok).toBe(true);
    session.lock();
    expect(await session.unlock('1357')).toMatchObject({ ok: false, error: { code: 'wrong_pin' } });
    expect((await session.unlock('8642')).ok).toBe(true);
  });
});
