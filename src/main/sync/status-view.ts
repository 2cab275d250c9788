/** What the screens show of duty statuses: a person's effective status (server-known plus pending local punches) and the on-duty board. */
import { TRANSITIONS } from '../../shared/domain/duty-status';
import type { EffectiveStatus, OnDutyBoard } from '../../shared/domain/types';
import type { Ledger } from '../ledger/ledger-store';
import type { ReferenceCache } from '../reference/reference-cache';

export interface StatusViewDeps {
  ledger: Pick<Ledger, 'unsyncedActionsFor' | 'staffWithUnsynced'>;
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
    const pending = ledger.unsyncedActionsFor(staffId);
    // Local punches not yet on the server are newer than anything it reported: apply them on top.
    for (const event of pending) {
      status = TRANSITIONS[event.action].to;
      breakStartedAt = event.action === 'start_break' ? event.occurredAt : status === 'on_break' ? breakStartedAt : null;
      updatedAt = event.occurredAt;
    }
    return { staffId, status, breakStartedAt: status === 'on_break' ? breakStartedAt : null, pendingPunches: pending.length, updatedAt };
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
      const server = reference.serverStatus(id);
      const since = effective.pendingPunches > 0 ? effective.updatedAt : server?.since ?? server?.observedAt ?? null;
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
