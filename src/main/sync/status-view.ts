/** What the screens show of duty statuses: a person's effective status (server-known plus pending local punches) and the on-duty board. */
import { TRANSITIONS } from '../../shared/domain/duty-status';
import type { EffectiveStatus, OnDutyBoard } from '../../shared/domain/types';
import type { Ledger } from '../ledger/ledger-store';
import type { ReferenceCache } from '../reference/reference-cache';

/** A clock-in of the kiosk older than this before HotelMate's session start did not open that session. */
const LONGEST_SESSION_MS = 16 * 3_600_000;

export interface StatusViewDeps {
  ledger: Pick<Ledger, 'unsyncedActionsFor' | 'staffWithUnsynced' | 'lastSessionEventBefore'>;
  reference: Pick<ReferenceCache, 'serverStatus' | 'allServerStatuses' | 'staff'>;
}

export interface StatusView {
  /** The server-known status with the person's punches that have not reached HotelMate applied on top. */
  effectiveStatus(staffId: number): EffectiveStatus;
  /** Everyone on duty or on a break by department (names sorted), inactive staff left out. */
  board(): OnDutyBoard;
}

/** Creates the view; it reads the ledger and the cache on every call and keeps nothing. */
export function createStatusView({ ledger, reference }: StatusViewDeps): StatusView {
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

  return { effectiveStatus, board };
}
