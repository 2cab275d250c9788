/** Face templates and consent records in SQLite, each descriptor encrypted at rest (AES-256-GCM, key in the SecretStore), mirrored into the in-memory 1:N index. */
import crypto from 'node:crypto';
import type { WritableDB } from '../db/database';
import type { Logger } from '../logging/logger';
import { toLogFormat } from '../logging/logger';
import type { SecretStore } from '../secrets/secret-store';
import type { Clock } from '../lib/clock';
import type { EnrolledPerson } from '../../shared/domain/enrolment';
import { DESCRIPTOR_LENGTH, assertDescriptor, createTemplateIndex, type MatchResult } from './matcher';

/** Name of the template key in the SecretStore (32 random bytes, hex). */
export const TEMPLATE_KEY_NAME = 'template-key';
/** The descriptor model this kiosk produces (face-api.js-compatible 128-d). */
export const DESCRIPTOR_MODEL = 'faceapi-128';

/** Live templates (not from enrolment) kept per person; the oldest lowest-quality ones go first. */
export const MAX_LIVE_TEMPLATES = 5;

/** 0 = not sent, 1 = registered with HotelMate, 2 = queued for registration. */
export type RegistrationState = 0 | 1 | 2;

export interface ConsentRecord {
  staffId: number;
  consentText: string;
  givenAt: string;
  recordedBy: string;
}

/** This kiosk's enrolled faces: encrypted templates and consent records, and 1:N matching over them. */
export interface TemplateStore {
  /** Enrolled people with template counts and consent. */
  list(): EnrolledPerson[];
  /** Deletes every template and the consent record of a person. */
  remove(staffId: number): void;
  /** The template this kiosk registered with HotelMate for the person, to send when syncing. */
  registeredTemplate(staffId: number): Float32Array | null;
  /** Add a live template (e.g. after the server identified someone enrolled only on the web app). */
  addTemplate(staffId: number, descriptor: Float32Array, source: string, quality: number): void;
  count(): number;
  /** Best and second-best person for a live descriptor. */
  match(probe: Float32Array, options?: { exclude?: ReadonlySet<number> }): MatchResult;
  /**
   * Stores one enrolment atomically: the consent record and every template, replacing any earlier
   * templates and consent of the person. Returns the new template ids in the input order.
   */
  saveEnrolment(input: { consent: ConsentRecord; templates: { descriptor: Float32Array; source: string; quality: number }[] }): number[];
  /** Records that a template was registered with HotelMate (1) or queued for it (2). */
  setRegistration(templateId: number, state: RegistrationState): void;
  /** Records that the queued registration of a person reached HotelMate. */
  markRegistered(staffId: number): void;
  consent(staffId: number): ConsentRecord | null;
  /** Templates that could not be decrypted at load (wrong or lost key); left in the database. */
  unreadable(): number;
}

export interface TemplateStoreOptions {
  db: WritableDB;
  secrets: SecretStore;
  logger: Logger;
  clock: Clock;
  /** Display name of a staff member for the admin list; the roster lives elsewhere. */
  nameOf?: (staffId: number) => string | null;
}

interface TemplateRow {
  id: number;
  staff_id: number;
  descriptor: Buffer;
  registered_with_server: number;
}

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT_VERSION = 1;

/**
 * Opens the template store: loads (decrypting) every template into the 1:N index. The key is read
 * from the SecretStore, or generated and saved there when no template exists yet. Rows that do not
 * decrypt are logged once and left in place (never deleted), so a restored key makes them usable again.
 * Throws when templates exist but the key is missing from the SecretStore (the data stays untouched).
 */
export function createTemplateStore(options: TemplateStoreOptions): TemplateStore {
  const { db, logger, clock } = options;
  const log = logger.child('templates');
  const key = loadKey(options, db);
  const index = createTemplateIndex();
  let unreadable = 0;

  const insert = db.prepare(
    `INSERT INTO face_templates (staff_id, descriptor, source, quality, model, registered_with_server, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );

  const load = (): void => {
    index.clear();
    unreadable = 0;
    const rows = db.prepare('SELECT id, staff_id, descriptor, registered_with_server FROM face_templates ORDER BY id').all() as TemplateRow[];
    for (const row of rows) {
      try {
        index.add(row.id, row.staff_id, decrypt(key, row.descriptor, row.staff_id));
      } catch {
        unreadable += 1;
      }
    }
    if (unreadable > 0) {
      log.error('some face templates could not be decrypted (wrong or lost template key); they were left in the database and are not used', {
        unreadable,
        total: rows.length,
      });
    }
    log.info('face templates loaded', { templates: index.size() });
  };
  load();

  const addRow = (staffId: number, descriptor: Float32Array, source: string, quality: number, registration: RegistrationState): number => {
    assertDescriptor(descriptor);
    const info = insert.run(staffId, encrypt(key, descriptor, staffId), source, quality, DESCRIPTOR_MODEL, registration, clock.now().toISOString());
    return Number(info.lastInsertRowid);
  };

  return {
    list() {
      const rows = db
        .prepare(
          `SELECT t.staff_id AS staffId, COUNT(*) AS templates, MAX(t.registered_with_server = 1) AS registered, c.given_at AS consentAt
           FROM face_templates t LEFT JOIN face_consents c ON c.staff_id = t.staff_id
           GROUP BY t.staff_id ORDER BY t.staff_id`,
        )
        .all() as { staffId: number; templates: number; registered: number; consentAt: string | null }[];
      return rows.map(
        (row): EnrolledPerson => ({
          staffId: row.staffId,
          name: options.nameOf?.(row.staffId) ?? `Staff #${row.staffId}`,
          templates: row.templates,
          consentAt: row.consentAt,
          registeredWithServer: row.registered === 1,
        }),
      );
    },
    remove(staffId) {
      db.transaction(() => {
        db.prepare('DELETE FROM face_templates WHERE staff_id = ?').run(staffId);
        db.prepare('DELETE FROM face_consents WHERE staff_id = ?').run(staffId);
      })();
      const removed = index.removePerson(staffId);
      log.info('face templates and consent removed', { staffId, templates: removed });
    },
    registeredTemplate(staffId) {
      const row = db
        .prepare('SELECT id, staff_id, descriptor, registered_with_server FROM face_templates WHERE staff_id = ? AND registered_with_server IN (1, 2) ORDER BY id DESC LIMIT 1')
        .get(staffId) as TemplateRow | undefined;
      if (!row) return null;
      try {
        return decrypt(key, row.descriptor, row.staff_id);
      } catch (error) {
        log.error('the registered face template could not be decrypted', { staffId, error: toLogFormat(error) });
        return null;
      }
    },
    addTemplate(staffId, descriptor, source, quality) {
      const id = addRow(staffId, descriptor, source, quality, 0);
      index.add(id, staffId, descriptor);
      // Bound the live templates of a person (e.g. one added per server-identified visit).
      const surplus = db
        .prepare(
          `SELECT id FROM face_templates WHERE staff_id = ? AND source != 'enrolment' AND registered_with_server = 0
           ORDER BY quality DESC, id DESC LIMIT -1 OFFSET ?`,
        )
        .all(staffId, MAX_LIVE_TEMPLATES) as { id: number }[];
      if (surplus.length > 0) {
        const drop = db.prepare('DELETE FROM face_templates WHERE id = ?');
        db.transaction(() => surplus.forEach((row) => drop.run(row.id)))();
        load();
      }
      log.info('face template added', { staffId, source, quality, pruned: surplus.length });
    },
    count: () => index.size(),
    match: (probe, matchOptions) => index.match(probe, matchOptions),
    saveEnrolment({ consent, templates }) {
      const ids = db.transaction(() => {
        db.prepare('DELETE FROM face_templates WHERE staff_id = ?').run(consent.staffId);
        db.prepare(
          `INSERT INTO face_consents (staff_id, consent_text, given_at, recorded_by) VALUES (?, ?, ?, ?)
           ON CONFLICT (staff_id) DO UPDATE SET consent_text = excluded.consent_text, given_at = excluded.given_at, recorded_by = excluded.recorded_by`,
        ).run(consent.staffId, consent.consentText, consent.givenAt, consent.recordedBy);
        return templates.map((t) => addRow(consent.staffId, t.descriptor, t.source, t.quality, 0));
      })();
      index.removePerson(consent.staffId);
      templates.forEach((t, i) => index.add(ids[i], consent.staffId, t.descriptor));
      log.info('enrolment stored', { staffId: consent.staffId, templates: ids.length });
      return ids;
    },
    setRegistration(templateId, state) {
      db.prepare('UPDATE face_templates SET registered_with_server = ? WHERE id = ?').run(state, templateId);
    },
    markRegistered(staffId) {
      db.prepare('UPDATE face_templates SET registered_with_server = 1 WHERE staff_id = ? AND registered_with_server = 2').run(staffId);
    },
    consent(staffId) {
      const row = db.prepare('SELECT staff_id, consent_text, given_at, recorded_by FROM face_consents WHERE staff_id = ?').get(staffId) as
        | { staff_id: number; consent_text: string; given_at: string; recorded_by: string }
        | undefined;
      return row ? { staffId: row.staff_id, consentText: row.consent_text, givenAt: row.given_at, recordedBy: row.recorded_by } : null;
    },
    unreadable: () => unreadable,
  };
}

function loadKey(options: TemplateStoreOptions, db: WritableDB): Buffer {
  const stored = options.secrets.get(TEMPLATE_KEY_NAME);
  if (stored && /^[0-9a-f]{64}$/.test(stored)) return Buffer.from(stored, 'hex');
  const existing = (db.prepare('SELECT COUNT(*) AS n FROM face_templates').get() as { n: number }).n;
  if (existing > 0) {
    throw new Error(
      `The face template key is missing from the secret store but ${existing} encrypted templates exist; they were left untouched. Restore the key or remove and re-enrol the faces.`,
    );
  }
  const key = crypto.randomBytes(32);
  options.secrets.set(TEMPLATE_KEY_NAME, key.toString('hex'));
  options.logger.child('templates').info('generated a new face template key');
  return key;
}

/** version(1) | nonce(12) | ciphertext(512) | tag(16); the staff id is authenticated data, so a row moved to another person fails to decrypt. */
function encrypt(key: Buffer, descriptor: Float32Array, staffId: number): Buffer {
  const nonce = crypto.randomBytes(NONCE_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad(staffId));
  const plain = Buffer.from(descriptor.buffer, descriptor.byteOffset, descriptor.byteLength);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT_VERSION]), nonce, body, cipher.getAuthTag()]);
}

function decrypt(key: Buffer, blob: Buffer, staffId: number): Float32Array {
  const expected = 1 + NONCE_BYTES + DESCRIPTOR_LENGTH * 4 + TAG_BYTES;
  if (blob.length !== expected || blob[0] !== FORMAT_VERSION) throw new Error('unexpected template blob format');
  const nonce = blob.subarray(1, 1 + NONCE_BYTES);
  const body = blob.subarray(1 + NONCE_BYTES, blob.length - TAG_BYTES);
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(aad(staffId));
  decipher.setAuthTag(blob.subarray(blob.length - TAG_BYTES));
  const plain = Buffer.concat([decipher.update(body), decipher.final()]);
  const out = new Float32Array(DESCRIPTOR_LENGTH);
  new Uint8Array(out.buffer).set(plain);
  return out;
}

function aad(staffId: number): Buffer {
  return Buffer.from(`hotelmate-face-template:${staffId}`, 'utf8');
}
