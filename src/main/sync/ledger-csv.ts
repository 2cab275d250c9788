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
  'review_note',
];

/**
 * Renders rows (in the order given) as RFC 4180 CSV with a header line and a final newline. The
 * UTC columns stay for machines; `occurred_local` and `synced_local` are the hotel's wall-clock
 * times in `timeZone` ("2026-05-11 08:20:00"), as people read them. `review_note` is why a flagged
 * punch is flagged (the liveness scores), as the admin ledger shows it.
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
        row.reviewNote ?? null,
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

/**
 * What a spreadsheet reads as the start of a formula. Text cells come from people (names from
 * HotelMate, the reason typed at the kiosk, a manager's note) and from servers (errors, notes): a
 * cell like `=HYPERLINK(...)` must open as text, not run.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One cell: empty for null; text that a spreadsheet would take for a formula gets a leading `'`
 * (OWASP's CSV injection rule; numbers stay numbers); then quoted (with doubled quotes) when it
 * holds a comma, quote or line break (RFC 4180).
 */
function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
