/**
 * The ledger CSV a manager opens in a spreadsheet: the review note of a flagged punch in its own
 * column, every free-text cell quoted by RFC 4180 when it must be, and no text cell that a
 * spreadsheet would run as a formula.
 */
import { describe, expect, it } from 'vitest';
import { reviewNote } from '../../../src/main/face/liveness-decision';
import { ledgerCsv } from '../../../src/main/sync/ledger-csv';
import type { LedgerRow } from '../../../src/shared/domain/ledger';

const HEADER =
  'event_id,staff_id,staff_name,action,occurred_at,sync_state,attempts,synced_at,delay_seconds,flagged,last_error,occurred_local,synced_local,time_zone,reason,manual_approver,manual_approved_by,manual_note,review_note';

function row(over: Partial<LedgerRow> = {}): LedgerRow {
  return {
    eventId: 'e1',
    staffId: 7,
    staffName: 'Jane Doe',
    action: 'clock_in',
    occurredAt: '2026-05-11T07:20:00.000Z',
    syncState: 'synced',
    attempts: 1,
    lastError: null,
    syncedAt: '2026-05-11T07:20:41.000Z',
    delaySeconds: 41,
    flagged: false,
    reviewNote: null,
    reason: null,
    manual: null,
    ...over,
  };
}

describe('ledgerCsv', () => {
  it('has the review note of a flagged punch in the last column, as the admin ledger shows it, and nothing for an unflagged one', () => {
    const note = reviewNote({
      mode: 'challenge_when_doubtful',
      verdict: 'doubtful',
      passive: { real: 0.12, v2: 0.08, v1se: 0.16, frames: 9 },
      challenge: { action: 'turn_left', attempt: 1, turnDeg: 18.4 },
      flagged: true,
    });
    expect(note).toBe('liveness in doubt: p(real) 0.12 (MiniFASNetV2 0.08, V1SE 0.16) over 9 frames; turned the head to the left on cue (18 degrees, attempt 1)');
    const csv = ledgerCsv([row({ flagged: true, reviewNote: note }), row({ eventId: 'e2' })], 'Europe/Dublin');
    const lines = csv.split('\n');
    expect(lines[0]).toBe(HEADER);
    // The note holds commas: quoted, so a spreadsheet keeps it in one cell.
    expect(lines[1]).toBe(
      'e1,7,Jane Doe,clock_in,2026-05-11T07:20:00.000Z,synced,1,2026-05-11T07:20:41.000Z,41,true,,2026-05-11 08:20:00,2026-05-11 08:20:41,Europe/Dublin,,,,,' +
        '"liveness in doubt: p(real) 0.12 (MiniFASNetV2 0.08, V1SE 0.16) over 9 frames; turned the head to the left on cue (18 degrees, attempt 1)"',
    );
    expect(lines[2]).toBe('e2,7,Jane Doe,clock_in,2026-05-11T07:20:00.000Z,synced,1,2026-05-11T07:20:41.000Z,41,false,,2026-05-11 08:20:00,2026-05-11 08:20:41,Europe/Dublin,,,,,');
    expect(lines).toHaveLength(4); // a final newline
    expect(lines[3]).toBe('');
  });

  it('quotes a note with quotes and line breaks (RFC 4180), doubling the quotes', () => {
    const csv = ledgerCsv([row({ flagged: true, reviewNote: 'said "not me"\nat 08:20' })], 'Europe/Dublin');
    expect(csv.endsWith(',"said ""not me""\nat 08:20"\n')).toBe(true);
  });

  it('opens text that starts like a formula as text, in every free-text column, and keeps numbers as numbers', () => {
    const csv = ledgerCsv(
      [
        row({
          staffName: '@SUM(A1:A9)',
          lastError: '-2+3',
          reason: '=HYPERLINK("http://evil.example","Click")',
          manual: { approver: 'manager_pin', note: '+44 1234' },
          reviewNote: '=1+1',
        }),
      ],
      'Europe/Dublin',
    );
    const line = csv.split('\n')[1] ?? '';
    expect(line).toBe(
      "e1,7,'@SUM(A1:A9),clock_in,2026-05-11T07:20:00.000Z,synced,1,2026-05-11T07:20:41.000Z,41,false,'-2+3,2026-05-11 08:20:00,2026-05-11 08:20:41,Europe/Dublin," +
        '"\'=HYPERLINK(""http://evil.example"",""Click"")",manager_pin,manager PIN,\'+44 1234,\'=1+1',
    );
    // A cell starting with a tab or a carriage return is a formula in some spreadsheets too.
    expect(ledgerCsv([row({ reviewNote: '\t=1+1' })], 'UTC').split('\n')[1]).toMatch(/,UTC,,,,,'\t=1\+1$/);
  });
});
