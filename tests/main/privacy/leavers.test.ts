/**
 * The leaver watch on its own, over a real SQLite file: which profile changes mean the person left,
 * one removal when a live event and a staff-list refresh name the same person at once, a failed
 * revocation logged and tried again at the next refresh, and the managers' list kept short.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/db/database';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { createLeaverWatch, leaverReason } from '../../../src/main/privacy/leavers';
import type { RevokeFaceResult } from '../../../src/main/privacy/revoke-face';
import { createFakeClock } from '../../support/fake-clock';
import { makeTempDir } from '../../support/temp-dir';

function watch(enrolledIds: number[], revoke?: (staffId: number) => Promise<RevokeFaceResult>) {
  const db = openDatabase({ file: path.join(makeTempDir('kiosk-leavers-'), 'kiosk.db') });
  const logger = createMemoryLogger();
  const enrolled = new Set(enrolledIds);
  const revoked: number[] = [];
  const leavers = createLeaverWatch({
    db,
    clock: createFakeClock(),
    logger,
    enrolled: () => [...enrolled],
    revoke:
      revoke ??
      (async (staffId) => {
        await new Promise((r) => setTimeout(r, 5));
        enrolled.delete(staffId);
        revoked.push(staffId);
        return { staffId, localTemplatesRemoved: 3, server: 'revoked' };
      }),
    nameOf: (staffId) => `Person ${staffId}`,
  });
  return { db, logger, leavers, enrolled, revoked };
}

describe('leavers', () => {
  it('only a deactivation or a deletion means the person left', () => {
    expect(leaverReason({ action: 'deactivated', isActive: false })).toBe('deactivated');
    expect(leaverReason({ action: 'deleted', isActive: null })).toBe('deleted');
    expect(leaverReason({ action: 'updated', isActive: false })).toBe('deactivated');
    expect(leaverReason({ action: 'updated', isActive: true })).toBeNull();
    expect(leaverReason({ action: 'authority_role_updated', isActive: null })).toBeNull();
  });

  it('removes a person once when the live event and the staff list name them at the same time', async () => {
    const w = watch([7, 8]);
    const [live, listed] = await Promise.all([
      w.leavers.onProfileNews({ staffId: 7, action: 'deleted', isActive: null, name: null }),
      w.leavers.checkStaffList([
        { id: 7, name: 'Person 7', isActive: false },
        { id: 8, name: 'Person 8', isActive: true },
        { id: 9, name: 'Never enrolled', isActive: false },
      ]),
    ]);
    expect(w.revoked).toEqual([7]);
    expect(live).toMatchObject({ staffId: 7, name: 'Person 7', reason: 'deleted', source: 'realtime' });
    expect(listed).toEqual([]);
    expect(w.leavers.recent()).toHaveLength(1);
  });

  it('a revocation that fails is logged, not listed, and done at the next refresh', async () => {
    let fail = true;
    const w = watch([7], async (staffId) => {
      if (fail) throw new Error('disk full');
      return { staffId, localTemplatesRemoved: 2, server: 'queued' };
    });
    expect(await w.leavers.checkStaffList([{ id: 7, name: 'Jane', isActive: false }])).toEqual([]);
    expect(w.logger.records.some((r) => r.level === 'error' && r.message === 'removing the face of a leaver failed')).toBe(true);
    expect(w.leavers.recent()).toEqual([]);
    fail = false;
    expect(await w.leavers.checkStaffList([{ id: 7, name: 'Jane', isActive: false }])).toMatchObject([{ staffId: 7, server: 'queued', templatesRemoved: 2 }]);
  });

  it('keeps the 50 latest removals for the managers, newest first, across a restart', async () => {
    const ids = Array.from({ length: 55 }, (_, i) => i + 1);
    const w = watch(ids);
    for (const id of ids) await w.leavers.onProfileNews({ staffId: id, action: 'deactivated', isActive: false, name: null });
    const again = createLeaverWatch({ db: w.db, clock: createFakeClock(), logger: createMemoryLogger(), enrolled: () => [], revoke: async () => { throw new Error('unused'); } });
    const list = again.recent();
    expect(list).toHaveLength(50);
    expect(list[0]?.staffId).toBe(55);
    expect(list.at(-1)?.staffId).toBe(6);
  });
});
