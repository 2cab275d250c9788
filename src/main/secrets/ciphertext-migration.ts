/**
 * Re-encrypts what earlier kiosk versions sealed in other formats into the one format of
 * ./cipher.ts, bound to purpose and row:
 * - punch descriptors (`ledger_events.descriptor`): iv | tag | ciphertext, no version, no AAD;
 * - face templates (`face_templates.descriptor`): version 1, AAD = the staff id only;
 * - face registrations queued by the old registrar (moved into `jobs` by migration 0005 as
 *   `legacy-registration`): the unversioned format around JSON `{ encoding, image }`.
 *
 * Runs at start once the keys are loaded and before anything reads these columns; one transaction.
 * A value that does not open with its key is left as it is and counted, never deleted (a restored
 * key can still upgrade it at a later start). `kiosk_meta.cipher.version` records that nothing old
 * is left, so later starts skip the scan.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import { transaction, type WritableDB } from '../db/database';
import { jobsWithPayloadFormat, setJobPayload } from '../db/jobs';
import { ledgerDescriptorsOfLength, setLedgerDescriptor } from '../db/ledger';
import { getMeta, setMeta } from '../db/meta';
import { setTemplateBlob, templatesWithVersionByte } from '../db/templates';
import type { Clock } from '../lib/clock';
import { errorMessage } from '../lib/errors';
import type { Logger } from '../logging/logger';
import { CIPHER_VERSION, bindings, createCipher, descriptorFromBytes, sealDescriptor } from './cipher';

/** The keys (secrets/keys.ts); null for a key that is not stored (its data cannot be upgraded). */
export interface CiphertextKeys {
  faceTemplates: Buffer | null;
  punchDescriptors: Buffer | null;
  jobPayloads: Buffer | null;
}

export interface CiphertextMigrationReport {
  /** False when an earlier start already upgraded everything. */
  scanned: boolean;
  upgraded: { templates: number; punchDescriptors: number; jobs: number };
  unreadable: { templates: number; punchDescriptors: number; jobs: number };
}

const META_CIPHER_VERSION = 'cipher.version';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** An unversioned punch descriptor: iv | tag | 512 bytes. */
const LEGACY_DESCRIPTOR_BYTES = IV_BYTES + TAG_BYTES + 128 * 4;
const TEMPLATE_V1 = 1;

/** A registration as migration 0005 moved it, and what the old registrar sealed inside it. */
const movedRegistrationSchema = z.object({ staffId: z.number(), sealed: z.string() });
const oldRegistrationSchema = z.object({ encoding: z.array(z.number()), image: z.string() });

/** Opens the unversioned format (iv | tag | ciphertext, no AAD). */
function openUnversioned(key: Buffer, sealed: Buffer): Buffer {
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}

/** Opens a version-1 template (version | nonce | ciphertext | tag, AAD = staff id). */
function openTemplateV1(key: Buffer, sealed: Buffer, staffId: number): Buffer {
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 1 + IV_BYTES));
  decipher.setAAD(Buffer.from(`hotelmate-face-template:${staffId}`, 'utf8'));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
}

/** Upgrades every old ciphertext it can open. Never throws for a value that does not open. */
export function migrateCiphertexts(options: { db: WritableDB; keys: CiphertextKeys; clock: Clock; logger: Logger }): CiphertextMigrationReport {
  const { db, keys } = options;
  const log = options.logger.child('secrets');
  const report: CiphertextMigrationReport = {
    scanned: false,
    upgraded: { templates: 0, punchDescriptors: 0, jobs: 0 },
    unreadable: { templates: 0, punchDescriptors: 0, jobs: 0 },
  };
  if (getMeta(db, META_CIPHER_VERSION) === String(CIPHER_VERSION)) return report;
  report.scanned = true;

  transaction(db, () => {
    const templates = templatesWithVersionByte(db, TEMPLATE_V1);
    const templateCipher = keys.faceTemplates ? createCipher(keys.faceTemplates) : null;
    for (const template of templates) {
      try {
        if (!keys.faceTemplates || !templateCipher) throw new Error('no template key');
        const plain = descriptorFromBytes(openTemplateV1(keys.faceTemplates, template.sealed, template.staffId));
        setTemplateBlob(db, template.id, sealDescriptor(templateCipher, plain, bindings.faceTemplate(template.id, template.staffId)));
        report.upgraded.templates += 1;
      } catch {
        report.unreadable.templates += 1;
      }
    }

    const descriptors = ledgerDescriptorsOfLength(db, LEGACY_DESCRIPTOR_BYTES);
    const descriptorCipher = keys.punchDescriptors ? createCipher(keys.punchDescriptors) : null;
    for (const stored of descriptors) {
      try {
        if (!keys.punchDescriptors || !descriptorCipher) throw new Error('no punch descriptor key');
        const plain = descriptorFromBytes(openUnversioned(keys.punchDescriptors, stored.sealed));
        setLedgerDescriptor(db, stored.eventId, sealDescriptor(descriptorCipher, plain, bindings.punchDescriptor(stored.eventId)));
        report.upgraded.punchDescriptors += 1;
      } catch {
        report.unreadable.punchDescriptors += 1;
      }
    }

    const jobs = jobsWithPayloadFormat(db, 'legacy-registration');
    const jobCipher = keys.jobPayloads ? createCipher(keys.jobPayloads) : null;
    for (const job of jobs) {
      try {
        if (!keys.jobPayloads || !jobCipher) throw new Error('no job payload key');
        const moved = movedRegistrationSchema.parse(JSON.parse(job.payload.toString('utf8')));
        const inner = oldRegistrationSchema.parse(JSON.parse(openUnversioned(keys.jobPayloads, Buffer.from(moved.sealed, 'base64')).toString('utf8')));
        const payload = Buffer.from(JSON.stringify({ staffId: moved.staffId, encoding: inner.encoding, image: inner.image }), 'utf8');
        setJobPayload(db, job.id, jobCipher.seal(payload, bindings.jobPayload(job.id)), 'sealed');
        report.upgraded.jobs += 1;
      } catch (error) {
        log.warn('a queued job could not be re-encrypted; it stays as it is', { jobId: job.id, kind: job.kind, error: errorMessage(error) });
        report.unreadable.jobs += 1;
      }
    }

    const left = report.unreadable.templates + report.unreadable.punchDescriptors + report.unreadable.jobs;
    if (left === 0) setMeta(db, META_CIPHER_VERSION, String(CIPHER_VERSION), options.clock.now());
  });

  const upgraded = report.upgraded.templates + report.upgraded.punchDescriptors + report.upgraded.jobs;
  if (upgraded > 0) log.info('re-encrypted stored data in the current format', { ...report.upgraded });
  const unreadable = report.unreadable.templates + report.unreadable.punchDescriptors + report.unreadable.jobs;
  if (unreadable > 0) log.error('some stored data could not be re-encrypted (wrong or lost key); it was left untouched', { ...report.unreadable });
  return report;
}
