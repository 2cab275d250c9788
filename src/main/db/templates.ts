/**
 * Queries of the face templates (`face_templates`: sealed descriptors, several per person) and the
 * consent records (`face_consents`). The template store (src/main/face) seals and opens the blobs;
 * this module only stores them.
 */
import type { ReadableDB, WritableDB } from './database';
import { transaction } from './database';
import { deleteCandidatesOf } from './live-candidates';
import { command, query } from './statements';

/** 0 = not sent, 1 = registered with HotelMate, 2 = queued for registration. */
export type RegistrationState = 0 | 1 | 2;

export interface ConsentRecord {
  staffId: number;
  consentText: string;
  givenAt: string;
  recordedBy: string;
}

/** A stored template: its row and the sealed descriptor. */
export interface StoredTemplate {
  id: number;
  staffId: number;
  sealed: Buffer;
}

/** One enrolled person as the admin list shows them. */
export interface EnrolledSummary {
  staffId: number;
  templates: number;
  registered: boolean;
  consentAt: string | null;
}

export interface NewTemplate {
  staffId: number;
  source: string;
  quality: number;
  model: string;
  registration: RegistrationState;
  createdAt: string;
}

interface TemplateRow {
  id: number;
  staff_id: number;
  descriptor: Buffer;
}

const toStored = (row: TemplateRow): StoredTemplate => ({ id: row.id, staffId: row.staff_id, sealed: row.descriptor });

const selectAll = query<[], TemplateRow>('SELECT id, staff_id, descriptor FROM face_templates ORDER BY id');
const selectCount = query<[], { n: number }>('SELECT COUNT(*) AS n FROM face_templates');
const selectRegisteredOf = query<[number], TemplateRow>(
  'SELECT id, staff_id, descriptor FROM face_templates WHERE staff_id = ? AND registered_with_server IN (1, 2) ORDER BY id DESC LIMIT 1',
);
const insertRow = command<NewTemplate & { placeholder: Buffer }>(
  `INSERT INTO face_templates (staff_id, descriptor, source, quality, model, registered_with_server, created_at)
   VALUES (@staffId, @placeholder, @source, @quality, @model, @registration, @createdAt)`,
);
const updateBlob = command<[Buffer, number]>('UPDATE face_templates SET descriptor = ? WHERE id = ?');
const selectSurplus = query<[number, number], { id: number }>(
  `SELECT id FROM face_templates WHERE staff_id = ? AND source != 'enrolment' AND registered_with_server = 0
   ORDER BY quality DESC, id DESC LIMIT -1 OFFSET ?`,
);
const selectOldAdopted = query<[number, string, number], { id: number }>(
  `SELECT id FROM face_templates WHERE staff_id = ? AND source = ? ORDER BY id DESC LIMIT -1 OFFSET ?`,
);
const deleteById = command<[number]>('DELETE FROM face_templates WHERE id = ?');
const deleteOf = command<[number]>('DELETE FROM face_templates WHERE staff_id = ?');
const selectEnrolled = query<[], { staffId: number; templates: number; registered: number; consentAt: string | null }>(
  `SELECT t.staff_id AS staffId, COUNT(*) AS templates, MAX(t.registered_with_server = 1) AS registered, c.given_at AS consentAt
   FROM face_templates t LEFT JOIN face_consents c ON c.staff_id = t.staff_id
   GROUP BY t.staff_id ORDER BY t.staff_id`,
);
const updateRegistration = command<[RegistrationState, number]>('UPDATE face_templates SET registered_with_server = ? WHERE id = ?');
const updateQueuedToRegistered = command<[number]>(
  'UPDATE face_templates SET registered_with_server = 1 WHERE staff_id = ? AND registered_with_server = 2',
);
const upsertConsentRow = command<ConsentRecord>(
  `INSERT INTO face_consents (staff_id, consent_text, given_at, recorded_by) VALUES (@staffId, @consentText, @givenAt, @recordedBy)
   ON CONFLICT (staff_id) DO UPDATE SET consent_text = excluded.consent_text, given_at = excluded.given_at, recorded_by = excluded.recorded_by`,
);
const deleteConsentRow = command<[number]>('DELETE FROM face_consents WHERE staff_id = ?');
const selectConsent = query<[number], { staff_id: number; consent_text: string; given_at: string; recorded_by: string }>(
  'SELECT staff_id, consent_text, given_at, recorded_by FROM face_consents WHERE staff_id = ?',
);
const selectWithFirstByteHex = query<[string], TemplateRow>(
  'SELECT id, staff_id, descriptor FROM face_templates WHERE hex(substr(descriptor, 1, 1)) = ? ORDER BY id',
);

/** The statements on the kiosk's hot paths, for the `EXPLAIN QUERY PLAN` checks. */
export const TEMPLATE_HOT_QUERIES = {
  /** Loading every template into the 1:N index at start. */
  loadAll: selectAll.sql,
  /** The template sent with each synced punch. */
  registeredOf: selectRegisteredOf.sql,
} as const;

/** Every template, oldest first (the 1:N index is built from these). */
export function allTemplates(db: ReadableDB): StoredTemplate[] {
  return selectAll(db).all().map(toStored);
}

export function templateCount(db: ReadableDB): number {
  return selectCount(db).get()?.n ?? 0;
}

/** The newest template of a person that was registered with HotelMate or queued for it. */
export function registeredTemplateOf(db: ReadableDB, staffId: number): StoredTemplate | null {
  const row = selectRegisteredOf(db).get(staffId);
  return row ? toStored(row) : null;
}

/**
 * Inserts a template and returns its id. `seal` gets the new row's id, so the ciphertext can be
 * bound to its row; the row is written with a zero placeholder first and sealed in the same transaction.
 */
export function insertTemplate(db: WritableDB, template: NewTemplate, sealedBytes: number, seal: (templateId: number) => Buffer): number {
  return transaction(db, () => {
    const info = insertRow(db).run({ ...template, placeholder: Buffer.alloc(sealedBytes) });
    const id = Number(info.lastInsertRowid);
    updateBlob(db).run(seal(id), id);
    return id;
  });
}

/** Replaces a template's sealed descriptor (the ciphertext migration). */
export function setTemplateBlob(db: WritableDB, templateId: number, sealed: Buffer): void {
  updateBlob(db).run(sealed, templateId);
}

/** Templates whose blob starts with `version` (how the ciphertext migration finds the old format). */
export function templatesWithVersionByte(db: ReadableDB, version: number): StoredTemplate[] {
  const hex = version.toString(16).toUpperCase().padStart(2, '0');
  return selectWithFirstByteHex(db).all(hex).map(toStored);
}

/** Ids of a person's live (non-enrolment, unregistered) templates beyond the best `keep`. */
export function surplusLiveTemplates(db: ReadableDB, staffId: number, keep: number): number[] {
  return selectSurplus(db)
    .all(staffId, keep)
    .map((row) => row.id);
}

/** Ids of a person's templates of one source beyond the newest `keep` (oldest first to go). */
export function olderTemplatesOfSource(db: ReadableDB, staffId: number, source: string, keep: number): number[] {
  return selectOldAdopted(db)
    .all(staffId, source, keep)
    .map((row) => row.id);
}

export function deleteTemplates(db: WritableDB, ids: readonly number[]): void {
  transaction(db, () => ids.forEach((id) => deleteById(db).run(id)));
}

/** Deletes every template, the consent record and the waiting live template candidates of a person. */
export function deletePerson(db: WritableDB, staffId: number): void {
  transaction(db, () => {
    deleteOf(db).run(staffId);
    deleteConsentRow(db).run(staffId);
    deleteCandidatesOf(db, staffId);
  });
}

export function deleteTemplatesOf(db: WritableDB, staffId: number): void {
  deleteOf(db).run(staffId);
}

export function enrolledPeople(db: ReadableDB): EnrolledSummary[] {
  return selectEnrolled(db)
    .all()
    .map((row) => ({ staffId: row.staffId, templates: row.templates, registered: row.registered === 1, consentAt: row.consentAt }));
}

export function setTemplateRegistration(db: WritableDB, templateId: number, state: RegistrationState): void {
  updateRegistration(db).run(state, templateId);
}

/** A person's templates queued for registration (2) become registered (1). */
export function markQueuedRegistered(db: WritableDB, staffId: number): void {
  updateQueuedToRegistered(db).run(staffId);
}

export function upsertConsent(db: WritableDB, consent: ConsentRecord): void {
  upsertConsentRow(db).run(consent);
}

export function consentOf(db: ReadableDB, staffId: number): ConsentRecord | null {
  const row = selectConsent(db).get(staffId);
  return row ? { staffId: row.staff_id, consentText: row.consent_text, givenAt: row.given_at, recordedBy: row.recorded_by } : null;
}
