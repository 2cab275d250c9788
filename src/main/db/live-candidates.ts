/**
 * Queries of the live template candidates (`live_template_candidates`): the sealed face of a saved
 * punch that may become one of its person's templates once the punch settles. The template store
 * (src/main/face) seals and opens the blobs and src/main/face/live-templates.ts decides; this
 * module only stores them, bounds them and deletes them.
 */
import type { ReadableDB, WritableDB } from './database';
import { transaction } from './database';
import { command, query } from './statements';

/** Where a candidate comes from: a confident recognition, or the face seen with a manager-approved manual punch. */
export type CandidateSource = 'live' | 'manual';

/** A stored candidate: its punch, person, distance, source, when it was kept, and the sealed descriptor. */
export interface StoredCandidate {
  eventId: string;
  staffId: number;
  distance: number;
  source: CandidateSource;
  createdMs: number;
  sealed: Buffer;
}

interface CandidateRow {
  event_id: string;
  staff_id: number;
  distance: number;
  source: CandidateSource;
  created_ms: number;
  descriptor: Buffer;
}

const insertRow = command<{ eventId: string; staffId: number; distance: number; source: CandidateSource; createdMs: number; sealed: Buffer }>(
  `INSERT OR REPLACE INTO live_template_candidates (event_id, staff_id, distance, source, created_ms, descriptor)
   VALUES (@eventId, @staffId, @distance, @source, @createdMs, @sealed)`,
);
const selectOne = query<[string], CandidateRow>(
  'SELECT event_id, staff_id, distance, source, created_ms, descriptor FROM live_template_candidates WHERE event_id = ?',
);
const selectCount = query<[], { n: number }>('SELECT COUNT(*) AS n FROM live_template_candidates');
/** Beyond the newest `keep` (by when they were kept, then insertion order), oldest first out. */
const deleteBeyond = command<[number]>(
  `DELETE FROM live_template_candidates WHERE rowid IN (
     SELECT rowid FROM live_template_candidates ORDER BY created_ms DESC, rowid DESC LIMIT -1 OFFSET ?)`,
);
const deleteOne = command<[string]>('DELETE FROM live_template_candidates WHERE event_id = ?');
const deleteOfStaff = command<[number]>('DELETE FROM live_template_candidates WHERE staff_id = ?');
const deleteBefore = command<[number]>('DELETE FROM live_template_candidates WHERE created_ms < ?');
const deleteAll = command<[]>('DELETE FROM live_template_candidates');

/**
 * Stores (or replaces) the candidate of punch `eventId`, then keeps only the newest `keep`
 * candidates; returns how many older ones were dropped to stay within the bound.
 */
export function insertCandidate(db: WritableDB, candidate: Omit<StoredCandidate, 'sealed'>, sealed: Buffer, keep: number): number {
  return transaction(db, () => {
    insertRow(db).run({ ...candidate, sealed });
    return deleteBeyond(db).run(keep).changes;
  });
}

/** The candidate of punch `eventId`, or null. */
export function candidateOf(db: ReadableDB, eventId: string): StoredCandidate | null {
  const row = selectOne(db).get(eventId);
  return row
    ? { eventId: row.event_id, staffId: row.staff_id, distance: row.distance, source: row.source, createdMs: row.created_ms, sealed: row.descriptor }
    : null;
}

export function candidateCount(db: ReadableDB): number {
  return selectCount(db).get()?.n ?? 0;
}

/** Deletes the candidate of punch `eventId` (its punch settled); returns whether there was one. */
export function deleteCandidate(db: WritableDB, eventId: string): boolean {
  return deleteOne(db).run(eventId).changes > 0;
}

/** Deletes every candidate of a person (their face is removed from the kiosk); returns how many went. */
export function deleteCandidatesOf(db: WritableDB, staffId: number): number {
  return deleteOfStaff(db).run(staffId).changes;
}

/** Deletes the candidates kept before `cutoffMs` (their punch never settled); returns how many went. */
export function deleteCandidatesBefore(db: WritableDB, cutoffMs: number): number {
  return deleteBefore(db).run(cutoffMs).changes;
}

/** Deletes every candidate (the template key was lost: none of them can be opened). */
export function deleteAllCandidates(db: WritableDB): number {
  return deleteAll(db).run().changes;
}
