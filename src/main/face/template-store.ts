/** Face templates, consent records and live template candidates in SQLite, each descriptor sealed at rest (secrets/cipher.ts, bound to its row; key in the SecretStore), the templates mirrored into the in-memory 1:N index. */
import type { ReadableDB, WritableDB } from '../db/database';
import { candidateCount, candidateOf, deleteCandidate, deleteCandidatesOf, insertCandidate, type CandidateSource } from '../db/live-candidates';
import {
  allTemplates,
  consentOf,
  deletePerson,
  deleteTemplates,
  deleteTemplatesOf,
  enrolledPeople,
  insertTemplate,
  olderTemplatesOfSource,
  markQueuedRegistered,
  registeredTemplateOf,
  setTemplateRegistration,
  surplusLiveTemplates,
  templateCount,
  upsertConsent,
  type ConsentRecord,
  type RegistrationState,
  type StoredTemplate,
} from '../db/templates';
import { transaction } from '../db/database';
import type { Logger } from '../logging/logger';
import { toLogFormat } from '../logging/logger';
import { type Cipher, SEALED_DESCRIPTOR_BYTES, bindings, createCipher, openDescriptor, sealDescriptor } from '../secrets/cipher';
import { KEY_NAMES, loadOrCreateKey } from '../secrets/keys';
import type { SecretStore } from '../secrets/secret-store';
import type { Clock } from '../lib/clock';
import type { EnrolledPerson } from '../../shared/domain/enrolment';
import { assertDescriptor, createTemplateIndex, type MatchOptions, type MatchResult } from './matcher';

export type { CandidateSource, ConsentRecord, RegistrationState };

/** A face waiting for its punch to settle before it may follow its person (live-templates.ts decides). */
export interface LiveCandidate {
  eventId: string;
  staffId: number;
  /** The distance it was recognised at (`live`), or its distance to the person's nearest template when kept (`manual`). */
  distance: number;
  source: CandidateSource;
  descriptor: Float32Array;
}

/** Name of the template key in the SecretStore (32 random bytes, hex). */
export const TEMPLATE_KEY_NAME = KEY_NAMES.faceTemplates;
/** The descriptor model this kiosk produces (face-api.js-compatible 128-d). */
export const DESCRIPTOR_MODEL = 'faceapi-128';

/** Live templates (not from enrolment) kept per person; the oldest lowest-quality ones go first. */
export const MAX_LIVE_TEMPLATES = 5;
/** The source of templates adopted from confident recognitions (templates that follow the person). */
export const LIVE_SOURCE = 'live';

/** This kiosk's enrolled faces: encrypted templates and consent records, and 1:N matching over them. */
export interface TemplateStore {
  /** Enrolled people with template counts and consent. */
  list(): EnrolledPerson[];
  /** Deletes every template, the consent record and the waiting live template candidates of a person. */
  remove(staffId: number): void;
  /** The template this kiosk registered with HotelMate for the person, to send when syncing. */
  registeredTemplate(staffId: number): Float32Array | null;
  /** Add a live template (e.g. after the server identified someone enrolled only on the web app). */
  addTemplate(staffId: number, descriptor: Float32Array, source: string, quality: number): void;
  /**
   * Keeps a live descriptor of a confident recognition as a template of the person (source
   * `live`, encrypted like the others): at most MAX_LIVE_TEMPLATES per person, the oldest replaced.
   * Returns false (nothing stored) when the person has no templates any more (removed meanwhile).
   */
  adoptLive(staffId: number, descriptor: Float32Array): boolean;
  count(): number;
  /** Best and second-best person for a live descriptor (`only`: one person's templates alone). */
  match(probe: Float32Array, options?: MatchOptions): MatchResult;
  /**
   * Keeps a live template candidate on disk, sealed like a template (bound to its punch and person),
   * replacing one of the same punch, and keeps only the newest `keep`; returns how many older ones went.
   */
  keepCandidate(candidate: LiveCandidate, keep: number): number;
  /**
   * The candidate of punch `eventId`, opened; null when there is none. One that does not open
   * (another key, or moved from another row) is logged and deleted, and null is returned.
   */
  candidate(eventId: string): LiveCandidate | null;
  /** Deletes the candidate of punch `eventId`; returns whether there was one. */
  dropCandidate(eventId: string): boolean;
  /** Candidates waiting on disk. */
  candidateCount(): number;
  /**
   * Stores one enrolment atomically: the consent record and every template, replacing any earlier
   * templates, live template candidates and consent of the person. Returns the new template ids in the input order.
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

/**
 * Opens the template store: loads (decrypting) every template into the 1:N index. The key is read
 * from the SecretStore, or generated and saved there when no template exists yet. Rows that do not
 * decrypt are logged once and left in place (never deleted), so a restored key makes them usable again.
 * Throws when templates exist but the key is missing from the SecretStore (the data stays untouched).
 */
export function createTemplateStore(options: TemplateStoreOptions): TemplateStore {
  const { db, logger, clock } = options;
  const log = logger.child('templates');
  const cipher = createCipher(
    loadOrCreateKey(options.secrets, 'faceTemplates', {
      logger: log,
      existing: { count: templateCount(db), what: 'face templates', remedy: 'Restore the key or remove and re-enrol the faces.' },
    }),
  );
  const index = createTemplateIndex();
  let unreadable = 0;

  const load = (): void => {
    index.clear();
    unreadable = 0;
    const stored = allTemplates(db);
    for (const template of stored) {
      try {
        index.add(template.id, template.staffId, open(cipher, template));
      } catch {
        unreadable += 1;
      }
    }
    if (unreadable > 0) {
      log.error('some face templates could not be decrypted (wrong or lost template key); they were left in the database and are not used', {
        unreadable,
        total: stored.length,
      });
    }
    log.info('face templates loaded', { templates: index.size() });
  };
  load();

  const addRow = (staffId: number, descriptor: Float32Array, source: string, quality: number, registration: RegistrationState): number => {
    assertDescriptor(descriptor);
    return insertTemplate(
      db,
      { staffId, source, quality, model: DESCRIPTOR_MODEL, registration, createdAt: clock.now().toISOString() },
      SEALED_DESCRIPTOR_BYTES,
      (templateId) => sealDescriptor(cipher, descriptor, bindings.faceTemplate(templateId, staffId)),
    );
  };

  return {
    list() {
      return enrolledPeople(db).map(
        (person): EnrolledPerson => ({
          staffId: person.staffId,
          name: options.nameOf?.(person.staffId) ?? `Staff #${person.staffId}`,
          templates: person.templates,
          consentAt: person.consentAt,
          registeredWithServer: person.registered,
        }),
      );
    },
    remove(staffId) {
      deletePerson(db, staffId);
      const removed = index.removePerson(staffId);
      log.info('face templates and consent removed', { staffId, templates: removed });
    },
    registeredTemplate(staffId) {
      const template = registeredTemplateOf(db, staffId);
      if (!template) return null;
      try {
        return open(cipher, template);
      } catch (error) {
        log.error('the registered face template could not be decrypted', { staffId, error: toLogFormat(error) });
        return null;
      }
    },
    addTemplate(staffId, descriptor, source, quality) {
      const id = addRow(staffId, descriptor, source, quality, 0);
      index.add(id, staffId, descriptor);
      // Bound the live templates of a person (e.g. one added per server-identified visit).
      const surplus = surplusLiveTemplates(db, staffId, MAX_LIVE_TEMPLATES);
      if (surplus.length > 0) {
        deleteTemplates(db, surplus);
        load();
      }
      log.info('face template added', { staffId, source, quality, pruned: surplus.length });
    },
    adoptLive(staffId, descriptor) {
      const adopted = transaction(db, () => {
        if (!enrolledPeople(db).some((person) => person.staffId === staffId)) return null;
        const id = addRow(staffId, descriptor, LIVE_SOURCE, 1, 0);
        const replaced = olderTemplatesOfSource(db, staffId, LIVE_SOURCE, MAX_LIVE_TEMPLATES);
        deleteTemplates(db, replaced);
        return { id, replaced: replaced.length };
      });
      if (adopted === null) return false;
      if (adopted.replaced > 0) load();
      else index.add(adopted.id, staffId, descriptor);
      log.info('live face template adopted', { staffId, replaced: adopted.replaced });
      return true;
    },
    count: () => index.size(),
    match: (probe, matchOptions) => index.match(probe, matchOptions),
    keepCandidate(candidate, keep) {
      assertDescriptor(candidate.descriptor);
      const sealed = sealDescriptor(cipher, candidate.descriptor, bindings.liveCandidate(candidate.eventId, candidate.staffId));
      const { descriptor: _plain, ...row } = candidate;
      return insertCandidate(db, { ...row, createdMs: clock.now().getTime() }, sealed, keep);
    },
    candidate(eventId) {
      const stored = candidateOf(db, eventId);
      if (!stored) return null;
      try {
        const descriptor = openDescriptor(cipher, stored.sealed, bindings.liveCandidate(stored.eventId, stored.staffId));
        return { eventId: stored.eventId, staffId: stored.staffId, distance: stored.distance, source: stored.source, descriptor };
      } catch (error) {
        log.warn('a live template candidate could not be decrypted; it was deleted', { staffId: stored.staffId, error: toLogFormat(error) });
        deleteCandidate(db, eventId);
        return null;
      }
    },
    dropCandidate: (eventId) => deleteCandidate(db, eventId),
    candidateCount: () => candidateCount(db),
    saveEnrolment({ consent, templates }) {
      const ids = transaction(db, () => {
        deleteTemplatesOf(db, consent.staffId);
        // Faces of the earlier look waiting to follow the person go with the templates they would have joined.
        deleteCandidatesOf(db, consent.staffId);
        upsertConsent(db, consent);
        return templates.map((t) => addRow(consent.staffId, t.descriptor, t.source, t.quality, 0));
      });
      index.removePerson(consent.staffId);
      templates.forEach((t, i) => index.add(ids[i], consent.staffId, t.descriptor));
      log.info('enrolment stored', { staffId: consent.staffId, templates: ids.length });
      return ids;
    },
    setRegistration(templateId, state) {
      setTemplateRegistration(db, templateId, state);
    },
    markRegistered(staffId) {
      markQueuedRegistered(db, staffId);
    },
    consent: (staffId) => consentOf(db, staffId),
    unreadable: () => unreadable,
  };
}

/**
 * The people (one entry per template) whose stored templates `key` cannot open: a damaged row, or
 * the key of another installation when it opens none. Read at start, before the store is built, so
 * a key that opens no template counts as lost.
 */
export function unreadableTemplateOwners(db: ReadableDB, key: Buffer): number[] {
  const cipher = createCipher(key);
  return allTemplates(db)
    .filter((template) => {
      try {
        open(cipher, template);
        return false;
      } catch {
        return true;
      }
    })
    .map((template) => template.staffId);
}

function open(cipher: Cipher, template: StoredTemplate): Float32Array {
  return openDescriptor(cipher, template.sealed, bindings.faceTemplate(template.id, template.staffId));
}
