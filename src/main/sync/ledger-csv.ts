/** The punch ledger as CSV for managers (Admin > Ledger > Export): one row per punch, oldest first. */
import type { LedgerRow } from '../../shared/domain/ledger';

const HEADER = ['event_id', 'staff_id', 'staff_name', 'action', 'occurred_at', 'sync_state', 'attempts', 'synced_at', 'delay_seconds', 'flagged', 'last_error', 'manual_approver', 'manual_note'];

/** Renders rows (in the order given) as RFC 4180 CSV with a header line and a final newline. */
export function ledgerCsv(rows: readonly LedgerRow[]): string {
  const lines = [HEADER.join(',')];
  for (const row of rows)
    lines.push(
      [row.eventId, row.staffId, row.staffName, row.action, row.occurredAt, row.syncState, row.attempts, row.syncedAt, row.delaySeconds, row.flagged, row.lastError, row.manual?.approver ?? null, row.manual?.note ?? null]
        .map(csvCell)
        .join(','),
    );
  return `${lines.join('\n')}\n`;
}

/** One cell: empty for null, quoted (with doubled quotes) when it holds a comma, quote or line break. */
function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
