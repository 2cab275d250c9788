/**
 * The hot queries use their indexes (`EXPLAIN QUERY PLAN`, Signal's habit): the sync's due punches,
 * a person's effective status (unsynced punches and the server-known status), the 1:N template
 * load and the template sent with a punch, and the job queue's next job. The kiosk never runs
 * ANALYZE, so these are the plans it gets in the field.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/db/database';
import { JOB_HOT_QUERIES } from '../../../src/main/db/jobs';
import { LEDGER_HOT_QUERIES } from '../../../src/main/db/ledger';
import { REFERENCE_HOT_QUERIES } from '../../../src/main/db/reference';
import { explainQueryPlan } from '../../../src/main/db/statements';
import { TEMPLATE_HOT_QUERIES } from '../../../src/main/db/templates';

function plan(sql: string): string[] {
  const db = openDatabase({ file: ':memory:' });
  try {
    return explainQueryPlan(db, sql, Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => 1));
  } finally {
    db.close();
  }
}

/** No step reads a whole table or sorts in a temporary b-tree. */
function expectIndexedOnly(steps: string[]): void {
  for (const step of steps) {
    expect(step).not.toMatch(/^SCAN /);
    expect(step).not.toMatch(/TEMP B-TREE/);
  }
}

describe('query plans of the hot paths', () => {
  it('due punches: the pending ones by the state index, the earlier-unsynced check by the staff index', () => {
    const steps = plan(LEDGER_HOT_QUERIES.due);
    expect(steps).toContain('SEARCH e USING INDEX ledger_events_state (sync_state=?)');
    expect(steps).toContain('SEARCH p USING INDEX ledger_events_staff (staff_id=? AND seq<?)');
    expectIndexedOnly(steps);
  });

  it("effective status: a person's unsynced punches and last punch by the staff index, the server status by its key", () => {
    expect(plan(LEDGER_HOT_QUERIES.unsyncedActions)).toEqual(['SEARCH ledger_events USING INDEX ledger_events_staff (staff_id=?)']);
    expect(plan(LEDGER_HOT_QUERIES.lastOf)).toEqual(['SEARCH ledger_events USING INDEX ledger_events_staff (staff_id=?)']);
    expect(plan(REFERENCE_HOT_QUERIES.serverStatus)).toEqual(['SEARCH server_status USING INTEGER PRIMARY KEY (rowid=?)']);
  });

  it("today's shift: by the staff and date index (sorting the person's two days of shifts is all that is left)", () => {
    const steps = plan(REFERENCE_HOT_QUERIES.shiftsOn);
    expect(steps[0]).toBe('SEARCH shifts USING INDEX shifts_staff_date (staff_id=? AND shift_date=?)');
    expect(steps.some((s) => s.startsWith('SCAN '))).toBe(false);
  });

  it('1:N template load reads the table once in rowid order, without sorting; the registered template by the staff index', () => {
    expect(plan(TEMPLATE_HOT_QUERIES.loadAll)).toEqual(['SCAN face_templates']);
    expect(plan(TEMPLATE_HOT_QUERIES.registeredOf)).toEqual(['SEARCH face_templates USING INDEX face_templates_staff (staff_id=?)']);
  });

  it("the job queue's next job: waiting ones by the state index, the per-person order by the subject index", () => {
    const steps = plan(JOB_HOT_QUERIES.runnable);
    expect(steps).toContain('SEARCH j USING INDEX jobs_state (state=?)');
    expect(steps).toContain('SEARCH p USING INDEX jobs_subject (subject=? AND seq<?)');
    expectIndexedOnly(steps);
  });
});
