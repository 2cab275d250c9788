/**
 * Re-encrypts what earlier kiosk versions sealed in other formats into the one format of
 * src/main/secrets/cipher.ts, bound to purpose and row:
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
import { errorMessage, toLogFormat } from '../lib/errors';
import type { Logger } from '../logging/logger';
import { CIPHER_VERSION, type Cipher, bindings, createCipher, descriptorFromBytes, sealDescriptor } from '../secrets/cipher';

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

/**
 * Upgrades every old ciphertext it can open, in one transaction. Never throws: a value that does not
 * open is counted, and when SQLite refuses the writes nothing changes and the error is logged.
 */
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

  try {
    upgradeAll(db, keys, report, log);
    if (unreadableCount(report) === 0) setMeta(db, META_CIPHER_VERSION, String(CIPHER_VERSION), options.clock.now());
  } catch (error) {
    log.error('stored data could not be re-encrypted; it stays as it was', { error: toLogFormat(error) });
    report.upgraded = { templates: 0, punchDescriptors: 0, jobs: 0 };
    return report;
  }
  const upgraded = report.upgraded.templates + report.upgraded.punchDescriptors + report.upgraded.jobs;
  if (upgraded > 0) log.info('re-encrypted stored data in the current format', { ...report.upgraded });
  if (unreadableCount(report) > 0) log.error('some stored data could not be re-encrypted (wrong or lost key); it was left untouched', { ...report.unreadable });
  return report;
}

function unreadableCount(report: CiphertextMigrationReport): number {
  return report.unreadable.templates + report.unreadable.punchDescriptors + report.unreadable.jobs;
}

/**
 * Re-seals each item whose old value opens (`reseal` throws when it does not); `write` runs outside
 * that catch, so a SQLite failure aborts the whole migration instead of counting as unreadable.
 */
function upgradeEach<T>(items: readonly T[], reseal: (item: T) => Buffer, write: (item: T, sealed: Buffer) => void, unreadable: (item: T, error: unknown) => void): { upgraded: number; unreadable: number } {
  const counts = { upgraded: 0, unreadable: 0 };
  for (const item of items) {
    let sealed: Buffer;
    try {
      sealed = reseal(item);
    } catch (error) {
      unreadable(item, error);
      counts.unreadable += 1;
      continue;
    }
    write(item, sealed);
    counts.upgraded += 1;
  }
  return counts;
}

/** The key and a cipher over it, or null when the key is not stored. */
function withCipher(key: Buffer | null): { key: Buffer; cipher: Cipher } | null {
  return key ? { key, cipher: createCipher(key) } : null;
}

function missing(what: string): never {
  throw new Error(`no ${what} key`);
}

/** Re-seals every old value it can open (one transaction, rolled back entirely if SQLite fails). */
function upgradeAll(db: WritableDB, keys: CiphertextKeys, report: CiphertextMigrationReport, log: Logger): void {
  transaction(db, () => {
    const templates = withCipher(keys.faceTemplates);
    const templateCounts = upgradeEach(
      templatesWithVersionByte(db, TEMPLATE_V1),
      (t) => {
        if (!templates) return missing('face template');
        return sealDescriptor(templates.cipher, descriptorFromBytes(openTemplateV1(templates.key, t.sealed, t.staffId)), bindings.faceTemplate(t.id, t.staffId));
      },
      (t, sealed) => setTemplateBlob(db, t.id, sealed),
      () => undefined,
    );

    const descriptors = withCipher(keys.punchDescriptors);
    const descriptorCounts = upgradeEach(
      ledgerDescriptorsOfLength(db, LEGACY_DESCRIPTOR_BYTES),
      (d) => {
        if (!descriptors) return missing('punch descriptor');
        return sealDescriptor(descriptors.cipher, descriptorFromBytes(openUnversioned(descriptors.key, d.sealed)), bindings.punchDescriptor(d.eventId));
      },
      (d, sealed) => setLedgerDescriptor(db, d.eventId, sealed),
      () => undefined,
    );

    const payloads = withCipher(keys.jobPayloads);
    const jobCounts = upgradeEach(
      jobsWithPayloadFormat(db, 'legacy-registration'),
      (job) => {
        if (!payloads) return missing('job payload');
        const moved = movedRegistrationSchema.parse(JSON.parse(job.payload.toString('utf8')));
        const inner = oldRegistrationSchema.parse(JSON.parse(openUnversioned(payloads.key, Buffer.from(moved.sealed, 'base64')).toString('utf8')));
        const payload = Buffer.from(JSON.stringify({ staffId: moved.staffId, encoding: inner.encoding, image: inner.image }), 'utf8');
        return payloads.cipher.seal(payload, bindings.jobPayload(job.id));
      },
      (job, sealed) => setJobPayload(db, job.id, sealed, 'sealed'),
      (job, error) => log.warn('a queued job could not be re-encrypted; it stays as it is', { jobId: job.id, kind: job.kind, error: errorMessage(error) }),
    );

    report.upgraded = { templates: templateCounts.upgraded, punchDescriptors: descriptorCounts.upgraded, jobs: jobCounts.upgraded };
    report.unreadable = { templates: templateCounts.unreadable, punchDescriptors: descriptorCounts.unreadable, jobs: jobCounts.unreadable };
  });
}
