/** What the screens show of duty statuses: a person's effective status (server-known plus pending local punches) and the on-duty board. */
import { TRANSITIONS } from '../../shared/domain/duty-status';
import type { EffectiveStatus, OnDutyBoard } from '../../shared/domain/types';
import type { Clock } from '../lib/clock';
import type { Ledger } from '../ledger/ledger-store';
import type { ReferenceCache } from '../reference/reference-cache';
import { manualSessionOf, utcToday, type ManualLogVerdicts, type ManualSession } from './manual-session';

/** A clock-in of the kiosk older than this before HotelMate's session start did not open that session. */
const LONGEST_SESSION_MS = 16 * 3_600_000;

export interface StatusViewDeps {
  ledger: Pick<Ledger, 'unsyncedActionsFor' | 'staffWithUnsynced' | 'lastSessionEventBefore'>;
  reference: Pick<ReferenceCache, 'serverStatus' | 'allServerStatuses' | 'staff'>;
  /** For HotelMate's "today" (UTC): a manual clock log of an earlier day keeps nobody on duty. */
  clock: Clock;
  /** What reads of the kiosk's manual clock logs found (a log read closed or gone ends its session). */
  manualLogs: Pick<ManualLogVerdicts, 'ended'>;
}

export interface StatusView {
  /** The server-known status with the person's punches that have not reached HotelMate applied on top. */
  effectiveStatus(staffId: number): EffectiveStatus;
  /** Everyone on duty or on a break by department (names sorted), inactive staff left out. */
  board(): OnDutyBoard;
  /**
   * The person's session the kiosk opened with a manual clock log today (UTC), while no later
   * clock-in/clock-out and no read of the log ended it; else null. HotelMate's `duty_status` stays
   * `off_duty` for such a log (quirk 15), so this is what keeps the person on duty.
   */
  manualSession(staffId: number): ManualSession | null;
}

/** Creates the view; it reads the ledger and the cache on every call and keeps nothing. */
export function createStatusView({ ledger, reference, clock, manualLogs }: StatusViewDeps): StatusView {
  const manualSession = (staffId: number): ManualSession | null => {
    const session = manualSessionOf(ledger.lastSessionEventBefore(staffId, Number.MAX_SAFE_INTEGER), utcToday(clock));
    return session && !manualLogs.ended(session.eventId) ? session : null;
  };

  const effectiveStatus = (staffId: number): EffectiveStatus => {
    const server = reference.serverStatus(staffId);
    let status = server?.status ?? 'off_duty';
    let breakStartedAt = server?.breakStartedAt ?? null;
    let updatedAt = server?.observedAt ?? null;
    // The server's `since` is kept across on duty <-> on break, so it is when the duty session began
    // (or when the kiosk first heard of it); the kiosk's own clock-in that opened it is more exact.
    let onDutySince = server && server.status !== 'off_duty' ? server.since : null;
    const ownSession = onDutySince ? ledger.lastSessionEventBefore(staffId, Number.MAX_SAFE_INTEGER) : null;
    if (onDutySince && ownSession?.action === 'clock_in' && ownSession.occurredAt <= onDutySince && Date.parse(onDutySince) - ownSession.occurredMs < LONGEST_SESSION_MS)
      onDutySince = ownSession.occurredAt;
    // HotelMate's `off_duty` is not believed while the kiosk's own manual clock log is open.
    const manual = status === 'off_duty' ? manualSession(staffId) : null;
    if (manual) {
      status = 'on_duty';
      breakStartedAt = null;
      onDutySince = manual.since;
    }
    const pending = ledger.unsyncedActionsFor(staffId);
    // Local punches not yet on the server are newer than anything it reported: apply them on top.
    for (const event of pending) {
      status = TRANSITIONS[event.action].to;
      breakStartedAt = event.action === 'start_break' ? event.occurredAt : status === 'on_break' ? breakStartedAt : null;
      if (event.action === 'clock_in') onDutySince = event.occurredAt;
      updatedAt = event.occurredAt;
    }
    return {
      staffId,
      status,
      breakStartedAt: status === 'on_break' ? breakStartedAt : null,
      pendingPunches: pending.length,
      updatedAt,
      onDutySince: status === 'off_duty' ? null : onDutySince,
    };
  };

  const board = (): OnDutyBoard => {
    const groups = new Map<string, OnDutyBoard['departments'][number]['entries']>();
    const ids = new Set<number>([...reference.allServerStatuses().map((s) => s.staffId), ...ledger.staffWithUnsynced()]);
    let updatedAt: string | null = null;
    for (const id of ids) {
      const effective = effectiveStatus(id);
      if (effective.status === 'off_duty') continue;
      const staff = reference.staff(id);
      if (staff && !staff.isActive) continue;
      // Since the clock-in, not the last change (a break does not restart it).
      const since = effective.onDutySince ?? null;
      const department = staff?.department ?? 'No Department';
      const entries = groups.get(department) ?? [];
      entries.push({ staffId: id, name: staff?.name ?? `Staff #${id}`, status: effective.status, since });
      groups.set(department, entries);
      if (effective.updatedAt && (!updatedAt || effective.updatedAt > updatedAt)) updatedAt = effective.updatedAt;
    }
    const departments = [...groups.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, entries]) => ({ name, entries: entries.sort((x, y) => x.name.localeCompare(y.name)) }));
    return { departments, updatedAt };
  };

  return { effectiveStatus, board, manualSession };
}
