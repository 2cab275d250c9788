/**
 * Real Pusher payloads for realtime tests: every delivered event recorded from the deployed backend
 * (hotelmate-pusher-events.jsonl) and the examples of the customer's spec (seed-realtime-events.md),
 * read from the shared docs rather than copied, so the tests follow the documents.
 */
import fs from 'node:fs';

const DOCS = '/work/shared/docs';

export interface RecordedEvent {
  channel: string;
  event: string;
  data: Record<string, unknown>;
}

/** Events the deployed backend actually delivered (`ok: true` lines). */
export function recordedEvents(): RecordedEvent[] {
  return fs
    .readFileSync(`${DOCS}/hotelmate-pusher-events.jsonl`, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { ok: boolean; channels?: string[]; event: string; data?: Record<string, unknown> })
    .filter((line) => line.ok && line.data && Array.isArray(line.channels))
    .flatMap((line) => (line.channels ?? []).map((channel) => ({ channel, event: line.event, data: line.data as Record<string, unknown> })));
}

/** The JSON examples of the customer's spec, in document order: [clock status, roster]. */
export function seedExamples(): { clock: Record<string, unknown>; roster: Record<string, unknown> } {
  const text = fs.readFileSync(`${DOCS}/seed-realtime-events.md`, 'utf8');
  const blocks = [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1] ?? 'null') as Record<string, unknown>);
  const clock = blocks.find((b) => 'duty_status' in b);
  const roster = blocks.find((b) => 'roster_id' in b);
  if (!clock || !roster) throw new Error('seed-realtime-events.md no longer has its clock/roster examples');
  return { clock, roster };
}

/**
 * The start_break event the deployed backend fails to encode (its `break_start` is a raw datetime),
 * rebuilt from the recorded end_break envelope as it would look once encoded: what a fixed backend sends.
 */
export function deployedStartBreak(eventId: string, breakStart: string): Record<string, unknown> {
  const endBreak = recordedEvents().find((e) => (e.data.payload as Record<string, unknown> | undefined)?.action === 'end_break');
  if (!endBreak) throw new Error('no recorded end_break event');
  const copy = JSON.parse(JSON.stringify(endBreak.data)) as { payload: Record<string, unknown>; meta: Record<string, unknown> };
  copy.payload.action = 'start_break';
  copy.payload.duty_status = 'on_break';
  copy.payload.is_on_break = true;
  copy.payload.timestamp = breakStart;
  copy.payload.current_status = { status: 'on_break', label: 'On Break', is_on_break: true, break_start: breakStart, total_break_minutes: 0 };
  copy.meta.event_id = eventId;
  return copy;
}

/** Flat customer-spec payloads for the events the spec names without an example. */
export function specProfile(staffId: number, timestamp: string): Record<string, unknown> {
  return {
    staff_id: staffId,
    user_id: staffId + 100,
    action: 'updated',
    first_name: 'Aoife',
    last_name: 'Murphy',
    department: 'Front Office',
    department_slug: 'front_office',
    is_active: true,
    duty_status: 'off_duty',
    timestamp,
  };
}

export function attendanceLog(staffId: number, time: string): Record<string, unknown> {
  return { action: 'clock_in', log_id: 77, staff_id: staffId, staff_name: 'Conor O\'Sullivan', department: 'Housekeeping', time, verified_by_face: true, timestamp: time };
}

export function warningPayload(kind: 'break' | 'overtime' | 'hard_limit', staffId: number, timestamp: string): Record<string, unknown> {
  const base: Record<string, unknown> = {
    type: `${kind}_warning`,
    clock_log_id: 9,
    staff_id: staffId,
    staff_name: 'Aoife Murphy',
    duration_hours: 6.25,
    message: 'You have been working for 6.25 hours.',
    timestamp,
  };
  if (kind === 'hard_limit') {
    base.actions = [
      { label: 'Continue Working', action: 'stay_clocked_in', endpoint: '/api/hotels/hotel-killarney/clock-logs/9/stay-clocked-in/' },
      { label: 'Clock Out Now', action: 'force_clock_out', endpoint: '/api/hotels/hotel-killarney/clock-logs/9/force-clock-out/' },
    ];
  }
  return base;
}
