/**
 * Leavers: the consent promises that a person's face is deleted when they leave, so when HotelMate
 * says someone left (a live `staff_profile_updated` event with `action: deactivated` or `deleted`,
 * or `is_active: false` in the staff list at a reference refresh) their templates are removed here
 * through the normal revoke path (templates deleted at once, HotelMate's face revoked as a queued
 * job), the removal is logged, and it is kept in a short list the managers' enrolment screen shows.
 */
import { z } from 'zod';
import type { LeaverRemoval } from '../../shared/domain/enrolment';
import type { WritableDB } from '../db/database';
import { getMeta, setMeta } from '../db/meta';
import type { Clock } from '../lib/clock';
import { toLogFormat } from '../lib/errors';
import type { Logger } from '../logging/logger';
import type { RevokeFaceResult } from './revoke-face';

/** Where the recent removals are kept (kiosk_meta), and how many. */
const META_KEY = 'privacy.leaver_removals';
const KEEP = 50;

const removalsSchema: z.ZodType<LeaverRemoval[]> = z.array(
  z.object({
    staffId: z.number(),
    name: z.string().nullable(),
    at: z.string(),
    source: z.enum(['realtime', 'staff_list']),
    reason: z.enum(['deactivated', 'deleted']),
    templatesRemoved: z.number(),
    server: z.enum(['revoked', 'not_registered', 'queued']),
  }),
);

/** A staff profile change as HotelMate reported it live (the realtime service's `staff_profile_changed`). */
export interface StaffProfileNews {
  staffId: number;
  action: string;
  isActive: boolean | null;
  name: string | null;
}

/** One person of HotelMate's staff list as the reference cache holds it. */
export interface ListedStaff {
  id: number;
  name: string;
  isActive: boolean;
}

export interface LeaverWatchDeps {
  db: WritableDB;
  clock: Clock;
  logger: Logger;
  /** Staff ids with templates on this kiosk. */
  enrolled: () => number[];
  /** The existing revoke path: templates deleted here, HotelMate's face revoked or queued. */
  revoke: (staffId: number) => Promise<RevokeFaceResult>;
  /** A display name for the managers' list when the news carries none. */
  nameOf?: (staffId: number) => string | null;
}

export interface LeaverWatch {
  /** A live profile change: a leaver's face is removed at once. Resolves with the removal, if any. */
  onProfileNews(news: StaffProfileNews): Promise<LeaverRemoval | null>;
  /** After a staff-list refresh: removes the face of everyone enrolled whom HotelMate lists as inactive. */
  checkStaffList(staff: readonly ListedStaff[]): Promise<LeaverRemoval[]>;
  /** Recent removals, newest first. */
  recent(): LeaverRemoval[];
}

/** Whether a profile change means the person left: deactivated or deleted. Pure. */
export function leaverReason(news: Pick<StaffProfileNews, 'action' | 'isActive'>): LeaverRemoval['reason'] | null {
  if (news.action === 'deleted') return 'deleted';
  if (news.action === 'deactivated' || news.isActive === false) return 'deactivated';
  return null;
}

export function createLeaverWatch(deps: LeaverWatchDeps): LeaverWatch {
  const log = deps.logger.child('privacy');
  /** People being removed right now (a live event and a list check can name the same person). */
  const busy = new Set<number>();

  const recent = (): LeaverRemoval[] => {
    const raw = getMeta(deps.db, META_KEY);
    if (!raw) return [];
    try {
      const parsed = removalsSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : [];
    } catch {
      return [];
    }
  };

  const remove = async (staffId: number, name: string | null, reason: LeaverRemoval['reason'], source: LeaverRemoval['source']): Promise<LeaverRemoval | null> => {
    if (busy.has(staffId) || !deps.enrolled().includes(staffId)) return null;
    busy.add(staffId);
    try {
      const result = await deps.revoke(staffId);
      const removal: LeaverRemoval = {
        staffId,
        name: name ?? deps.nameOf?.(staffId) ?? null,
        at: deps.clock.now().toISOString(),
        source,
        reason,
        templatesRemoved: result.localTemplatesRemoved,
        server: result.server,
      };
      setMeta(deps.db, META_KEY, JSON.stringify([removal, ...recent()].slice(0, KEEP)), deps.clock.now());
      log.info('face of a leaver removed', { staffId, reason, source, templates: removal.templatesRemoved, server: removal.server });
      return removal;
    } catch (error) {
      // The revoke path deletes locally before anything can fail; a failure here is logged and the
      // next staff-list refresh tries again.
      log.error('removing the face of a leaver failed', { staffId, reason, source, error: toLogFormat(error) });
      return null;
    } finally {
      busy.delete(staffId);
    }
  };

  return {
    async onProfileNews(news) {
      const reason = leaverReason(news);
      if (!reason) return null;
      return remove(news.staffId, news.name, reason, 'realtime');
    },
    async checkStaffList(staff) {
      const enrolled = new Set(deps.enrolled());
      const removals: LeaverRemoval[] = [];
      for (const person of staff) {
        if (person.isActive || !enrolled.has(person.id)) continue;
        const removal = await remove(person.id, person.name, 'deactivated', 'staff_list');
        if (removal) removals.push(removal);
      }
      return removals;
    },
    recent,
  };
}
