/** The punch ledger as CSV for managers (Admin > Ledger > Export): one row per punch, oldest first. */
import type { LedgerRow, ManualApproval } from '../../shared/domain/ledger';

const HEADER = [
  'event_id',
  'staff_id',
  'staff_name',
  'action',
  'occurred_at',
  'sync_state',
  'attempts',
  'synced_at',
  'delay_seconds',
  'flagged',
  'last_error',
  'occurred_local',
  'synced_local',
  'time_zone',
  'reason',
  'manual_approver',
  'manual_approved_by',
  'manual_note',
];

/**
 * Renders rows (in the order given) as RFC 4180 CSV with a header line and a final newline. The
 * UTC columns stay for machines; `occurred_local` and `synced_local` are the hotel's wall-clock
 * times in `timeZone` ("2026-05-11 08:20:00"), as people read them.
 */
export function ledgerCsv(rows: readonly LedgerRow[], timeZone: string): string {
  const local = localTimeFormat(timeZone);
  const lines = [HEADER.join(',')];
  for (const row of rows)
    lines.push(
      [
        row.eventId,
        row.staffId,
        row.staffName,
        row.action,
        row.occurredAt,
        row.syncState,
        row.attempts,
        row.syncedAt,
        row.delaySeconds,
        row.flagged,
        row.lastError,
        local(row.occurredAt),
        row.syncedAt ? local(row.syncedAt) : null,
        timeZone,
        row.reason ?? null,
        row.manual?.approver ?? null,
        row.manual ? approvedBy(row.manual) : null,
        row.manual?.note ?? null,
      ]
        .map(csvCell)
        .join(','),
    );
  return `${lines.join('\n')}\n`;
}

/** Who approved a manual punch, as managers read it: the manager named (face), or the kiosk's one manager PIN. */
function approvedBy(manual: ManualApproval): string {
  return manual.approver === 'manager_face' ? `approved by ${manual.manager.name} (face)` : 'manager PIN';
}

/** ISO time -> "YYYY-MM-DD HH:MM:SS" in the zone (UTC when the zone is not one Intl knows). */
function localTimeFormat(timeZone: string): (iso: string) => string {
  const fields = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' } as const;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('sv-SE', { ...fields, timeZone });
  } catch {
    format = new Intl.DateTimeFormat('sv-SE', { ...fields, timeZone: 'UTC' });
  }
  return (iso) => {
    const at = new Date(iso);
    return Number.isNaN(at.getTime()) ? iso : format.format(at);
  };
}

/** One cell: empty for null, quoted (with doubled quotes) when it holds a comma, quote or line break. */
function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
