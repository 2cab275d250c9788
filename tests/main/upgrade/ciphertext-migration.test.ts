/**
 * The ciphertext migration on a database written by the previous kiosk (tests/support/legacy-db):
 * punch descriptors, face templates and queued registrations come back as the same values, now in
 * the one format bound to their rows; what a missing key cannot open is left untouched.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase, type WritableDB } from '../../../src/main/db/database';
import { getMeta } from '../../../src/main/db/meta';
import { createTemplateStore } from '../../../src/main/face/template-store';
import type { RegisterFaceRequest } from '../../../src/main/hotelmate/client';
import { createFaceRegistrar } from '../../../src/main/jobs/face-registration';
import { createJobQueue } from '../../../src/main/jobs/job-queue';
import { createDescriptorCipher } from '../../../src/main/ledger/descriptor-cipher';
import { createLedger } from '../../../src/main/ledger/ledger-store';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { createCipher } from '../../../src/main/secrets/cipher';
import { type CiphertextKeys, migrateCiphertexts } from '../../../src/main/upgrade/ciphertext-migration';
import { readKey } from '../../../src/main/secrets/keys';
import { createMemorySecretStore } from '../../../src/main/secrets/secret-store';
import { createFakeClock } from '../../support/fake-clock';
import { copyLegacyDatabase, legacyDescriptor, legacyKeys } from '../../support/legacy-db';

const clock = createFakeClock(new Date('2026-04-02T09:00:00Z'));
const values = (d: Float32Array | null): number[] => Array.from(d ?? []);

function keysOf(secrets: ReturnType<typeof createMemorySecretStore>): CiphertextKeys {
  return { faceTemplates: readKey(secrets, 'faceTemplates'), punchDescriptors: readKey(secrets, 'punchDescriptors'), jobPayloads: readKey(secrets, 'jobPayloads') };
}

const blobs = (db: WritableDB): string[] =>
  [
    ...(db.prepare('SELECT descriptor AS b FROM face_templates ORDER BY id').all() as { b: Buffer }[]),
    ...(db.prepare('SELECT descriptor AS b FROM ledger_events WHERE descriptor IS NOT NULL ORDER BY seq').all() as { b: Buffer }[]),
    ...(db.prepare('SELECT payload AS b FROM jobs ORDER BY seq').all() as { b: Buffer }[]),
  ].map((r) => r.b.toString('hex'));

describe('ciphertext migration', () => {
  it('re-encrypts punch descriptors, templates and queued registrations written by the previous kiosk; they read back unchanged', async () => {
    const db = openDatabase({ file: copyLegacyDatabase() });
    const secrets = createMemorySecretStore(legacyKeys());
    const report = migrateCiphertexts({ db, keys: keysOf(secrets), clock, logger: createMemoryLogger() });
    expect(report).toEqual({ scanned: true, upgraded: { templates: 3, punchDescriptors: 3, jobs: 2 }, unreadable: { templates: 0, punchDescriptors: 0, jobs: 0 } });
    expect(getMeta(db, 'cipher.version')).toBe('2');

    // Punch descriptors: the same values through the ledger, each now 541 bytes starting with version 2.
    const ledger = createLedger({ db, clock, logger: createMemoryLogger(), kioskId: 'k', descriptorCipher: createDescriptorCipher(readKey(secrets, 'punchDescriptors') ?? Buffer.alloc(0)) });
    const [first, breakStart] = ledger.unsyncedFor(11);
    expect(values(ledger.liveDescriptor(first?.eventId ?? ''))).toEqual(values(legacyDescriptor(11)));
    expect(values(ledger.liveDescriptor(breakStart?.eventId ?? ''))).toEqual(values(legacyDescriptor(111)));
    expect(values(ledger.liveDescriptor(ledger.unsyncedFor(12)[0]?.eventId ?? ''))).toEqual(values(legacyDescriptor(12)));
    for (const row of db.prepare('SELECT descriptor FROM ledger_events WHERE descriptor IS NOT NULL').all() as { descriptor: Buffer }[]) {
      expect([row.descriptor.length, row.descriptor[0]]).toEqual([541, 2]);
    }

    // Templates: all load, match their people, and the queued one is still the registered template.
    const templates = createTemplateStore({ db, secrets, logger: createMemoryLogger(), clock });
    expect([templates.count(), templates.unreadable()]).toEqual([3, 0]);
    expect(templates.match(legacyDescriptor(1201)).best).toMatchObject({ staffId: 12 });
    expect(templates.match(legacyDescriptor(1102)).best?.distance).toBeLessThan(1e-6);
    expect(values(templates.registeredTemplate(11))).toEqual(values(legacyDescriptor(1101)));

    // Queued registrations: parsed and sent with the encoding and image the old registrar queued.
    const sent: RegisterFaceRequest[] = [];
    const jobs = createJobQueue({ db, clock, logger: createMemoryLogger(), cipher: createCipher(readKey(secrets, 'jobPayloads') ?? Buffer.alloc(0)) });
    const registrar = createFaceRegistrar({
      jobs,
      logger: createMemoryLogger(),
      client: () => ({
        registerFace: async (request) => {
          sent.push(request);
          return { ok: true, status: 201, data: { message: 'Face registered', face_data: { id: sent.length, staff: request.staff_id ?? 0, is_active: true } } };
        },
      }),
    });
    expect(registrar.pending()).toEqual([11, 14]);
    expect(await registrar.retryPending()).toBe(0);
    expect(sent.map((r) => [r.staff_id, r.image, values(Float32Array.from(r.encoding))])).toEqual([
      [11, 'data:image/jpeg;base64,AAAA11', values(legacyDescriptor(1101))],
      [14, 'data:image/jpeg;base64,AAAA14', values(legacyDescriptor(1401))],
    ]);
    expect(jobs.list().map((j) => [j.kind, j.subject])).toEqual([
      ['face.revoke', 'staff:16'],
      ['face.revoke', 'staff:15'],
    ]); // the registrations are done; the moved revocations wait for their own job type

    // Bound to its row: a template blob copied into another row no longer opens.
    db.prepare('UPDATE face_templates SET descriptor = (SELECT descriptor FROM face_templates WHERE id = 1) WHERE id = 2').run();
    expect(createTemplateStore({ db, secrets, logger: createMemoryLogger(), clock }).unreadable()).toBe(1);

    // Done once: the next start does not scan again.
    expect(migrateCiphertexts({ db, keys: keysOf(secrets), clock, logger: createMemoryLogger() }).scanned).toBe(false);
    await jobs.stop();
    db.close();
  });

  it('leaves what it cannot open (a key missing or wrong) untouched and counted, and finishes once the keys are back', () => {
    const db = openDatabase({ file: copyLegacyDatabase() });
    const keys = legacyKeys();
    const before = blobs(db);
    const logger = createMemoryLogger();
    const partial = createMemorySecretStore({ 'template-key': 'ab'.repeat(32), 'ledger-descriptor-key': keys['ledger-descriptor-key'] });
    const report = migrateCiphertexts({ db, keys: keysOf(partial), clock, logger });
    expect(report.upgraded).toEqual({ templates: 0, punchDescriptors: 3, jobs: 0 });
    expect(report.unreadable).toEqual({ templates: 3, punchDescriptors: 0, jobs: 2 });
    expect(getMeta(db, 'cipher.version')).toBeNull();
    const after = blobs(db);
    expect(after.slice(0, 3)).toEqual(before.slice(0, 3)); // templates untouched
    expect(after.slice(6)).toEqual(before.slice(6)); // queued registrations untouched
    expect(logger.records.some((r) => r.level === 'error' && /could not be re-encrypted/.test(r.message))).toBe(true);

    const again = migrateCiphertexts({ db, keys: keysOf(createMemorySecretStore(keys)), clock, logger });
    expect(again.upgraded).toEqual({ templates: 3, punchDescriptors: 0, jobs: 2 });
    expect(getMeta(db, 'cipher.version')).toBe('2');
    db.close();
  });
});
