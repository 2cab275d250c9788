/** The admin session as the real IPC router's gate: locked admin channels never reach their handler. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIpcRouter } from '../../../src/main/channels/router';
import { openDatabase, type WritableDB } from '../../../src/main/db/database';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { createAdminSession } from '../../../src/main/admin/admin-session';
import { hashPin } from '../../../src/main/admin/pin-hash';
import type { RequestHandlers } from '../../../src/shared/ipc/contract';
import { createFakeClock } from '../../support/fake-clock';

describe('admin gate in the IPC router', () => {
  let dir: string;
  let db: WritableDB;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-'));
    db = openDatabase({ file: path.join(dir, 'kiosk.db') });
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses exit and forget while locked, without running the handler; allows them once unlocked', async () => {
    const params = { N: 1024, r: 8, p: 1 };
    const pinHash = await hashPin('5791', params);
    const clock = createFakeClock();
    const session = createAdminSession({
      db,
      clock,
      logger: createMemoryLogger(),
      settings: () => ({ pinHash, maxAttempts: 5, lockoutMinutes: 5 }),
      firstRunAllowed: () => false,
      savePinHash: () => undefined,
      hashParams: params,
    });
    const ran: string[] = [];
    const handlers = new Proxy({} as RequestHandlers, {
      get: (_target, channel: string) => () => {
        ran.push(channel);
        return { ok: true };
      },
    });
    const router = createIpcRouter(handlers, createMemoryLogger(), (channel) => session.allows(channel));

    await expect(router.dispatch('app:exit', [])).rejects.toMatchObject({ code: 'forbidden' });
    await expect(router.dispatch('app:forgetKiosk', ['FORGET'])).rejects.toMatchObject({ code: 'forbidden' });
    await expect(router.dispatch('ledger:list', [{ limit: 10 }])).rejects.toMatchObject({ code: 'forbidden' });
    expect(ran).toEqual([]);
    // the kiosk's own screens keep working while locked
    await router.dispatch('app:info', []);
    expect(ran).toEqual(['app:info']);

    expect((await session.unlock('5791')).ok).toBe(true);
    await router.dispatch('app:exit', []);
    expect(ran).toEqual(['app:info', 'app:exit']);

    clock.advance(3 * 60_000); // idle past the auto-lock
    await expect(router.dispatch('app:exit', [])).rejects.toMatchObject({ code: 'forbidden' });
  });
});
