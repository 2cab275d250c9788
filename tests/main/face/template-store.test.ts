/** Templates at rest: encrypted (no plain descriptor bytes in the database files), key kept in the SecretStore, undecryptable rows kept and reported. */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/db/database';
import { createTemplateStore, MAX_LIVE_TEMPLATES, TEMPLATE_KEY_NAME } from '../../../src/main/face/template-store';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { createMemorySecretStore } from '../../../src/main/secrets/secret-store';
import { manualClock, tempDatabase } from './face-test-support';

function descriptor(seed: number): Float32Array {
  return Float32Array.from({ length: 128 }, (_, i) => Math.sin(seed * 131 + i * 0.37) * 0.2);
}

function containsWindow(haystack: Buffer, needle: Buffer, window = 16): boolean {
  for (let i = 0; i + window <= needle.length; i += 4) if (haystack.indexOf(needle.subarray(i, i + window)) >= 0) return true;
  return false;
}

describe('template store', () => {
  it('keeps no plain descriptor bytes in the database file or its WAL, and reads them back after a restart', () => {
    const { db, file } = tempDatabase();
    const secrets = createMemorySecretStore();
    const logger = createMemoryLogger();
    const store = createTemplateStore({ db, secrets, logger, clock: manualClock() });
    expect(secrets.get(TEMPLATE_KEY_NAME)).toMatch(/^[0-9a-f]{64}$/);
    const d1 = descriptor(1);
    const d2 = descriptor(2);
    store.addTemplate(11, d1, 'enrolment', 0.9);
    store.addTemplate(12, d2, 'server_match', 0.7);

    const files = [file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f));
    expect(files.length).toBeGreaterThan(0);
    for (const bytes of files) {
      expect(containsWindow(bytes, Buffer.from(d1.buffer))).toBe(false);
      expect(containsWindow(bytes, Buffer.from(d2.buffer))).toBe(false);
    }
    // The plain bytes would be found if they were there (the check can fail).
    expect(containsWindow(Buffer.concat([Buffer.from('x'), Buffer.from(d1.buffer)]), Buffer.from(d1.buffer))).toBe(true);
    db.close();

    const reopened = openDatabase({ file });
    const store2 = createTemplateStore({ db: reopened, secrets, logger, clock: manualClock() });
    expect(store2.count()).toBe(2);
    expect(store2.match(d1).best).toMatchObject({ staffId: 11 });
    expect(store2.match(d1).best?.distance).toBeLessThan(1e-6);
    expect(logger.records.some((r) => JSON.stringify(r).includes(String(d1[0])))).toBe(false);
    reopened.close();
  });

  it('leaves templates it cannot decrypt in place and says so; refuses to start without the key', () => {
    const { db } = tempDatabase();
    const secrets = createMemorySecretStore();
    const store = createTemplateStore({ db, secrets, logger: createMemoryLogger(), clock: manualClock() });
    store.addTemplate(5, descriptor(5), 'enrolment', 0.8);

    const wrongKey = createMemorySecretStore({ [TEMPLATE_KEY_NAME]: 'ab'.repeat(32) });
    const logger = createMemoryLogger();
    const other = createTemplateStore({ db, secrets: wrongKey, logger, clock: manualClock() });
    expect(other.count()).toBe(0);
    expect(other.unreadable()).toBe(1);
    expect(logger.records.some((r) => r.level === 'error' && /could not be decrypted/.test(r.message))).toBe(true);
    expect((db.prepare('SELECT COUNT(*) AS n FROM face_templates').get() as { n: number }).n).toBe(1);

    expect(() => createTemplateStore({ db, secrets: createMemorySecretStore(), logger, clock: manualClock() })).toThrow(/key is missing/);
    expect((db.prepare('SELECT COUNT(*) AS n FROM face_templates').get() as { n: number }).n).toBe(1);
  });

  it('keeps at most MAX_LIVE_TEMPLATES live templates per person, dropping the weakest, never enrolment ones', () => {
    const { db } = tempDatabase();
    const store = createTemplateStore({ db, secrets: createMemorySecretStore(), logger: createMemoryLogger(), clock: manualClock() });
    store.saveEnrolment({ consent: { staffId: 4, consentText: 'ok', givenAt: 'now', recordedBy: 'm' }, templates: [{ descriptor: descriptor(100), source: 'enrolment', quality: 0.1 }] });
    for (let i = 0; i < MAX_LIVE_TEMPLATES + 3; i += 1) store.addTemplate(4, descriptor(i), 'server_match', i === 0 ? 0.05 : 0.5 + i / 100);
    expect(store.count()).toBe(MAX_LIVE_TEMPLATES + 1);
    const sources = db.prepare('SELECT source, quality FROM face_templates WHERE staff_id = 4').all() as { source: string; quality: number }[];
    expect(sources.filter((r) => r.source === 'enrolment')).toHaveLength(1);
    expect(sources.some((r) => r.quality === 0.05)).toBe(false);
    expect(store.match(descriptor(0)).best?.distance).toBeGreaterThan(1e-3);
    expect(store.match(descriptor(MAX_LIVE_TEMPLATES + 2)).best?.distance).toBeLessThan(1e-6);
  });

  it('a ciphertext moved to another person does not decrypt (the staff id is authenticated)', () => {
    const { db } = tempDatabase();
    const secrets = createMemorySecretStore();
    createTemplateStore({ db, secrets, logger: createMemoryLogger(), clock: manualClock() }).addTemplate(1, descriptor(1), 'enrolment', 1);
    db.prepare('UPDATE face_templates SET staff_id = 2').run();
    const store = createTemplateStore({ db, secrets, logger: createMemoryLogger(), clock: manualClock() });
    expect(store.count()).toBe(0);
    expect(store.unreadable()).toBe(1);
  });

  it('stores an enrolment with consent, lists it, tracks the registered template and removes everything', () => {
    const { db } = tempDatabase();
    const clock = manualClock();
    const store = createTemplateStore({ db, secrets: createMemorySecretStore(), logger: createMemoryLogger(), clock, nameOf: (id) => (id === 3 ? 'Aoife Byrne' : null) });
    const ids = store.saveEnrolment({
      consent: { staffId: 3, consentText: 'I agree', givenAt: clock.now().toISOString(), recordedBy: 'manager' },
      templates: [1, 2, 3].map((s) => ({ descriptor: descriptor(s), source: 'enrolment', quality: 0.5 + s / 10 })),
    });
    expect(ids).toHaveLength(3);
    expect(store.registeredTemplate(3)).toBeNull();
    store.setRegistration(ids[1], 2);
    expect(Array.from(store.registeredTemplate(3) ?? [])).toEqual(Array.from(descriptor(2)));
    expect(store.list()).toEqual([{ staffId: 3, name: 'Aoife Byrne', templates: 3, consentAt: clock.now().toISOString(), registeredWithServer: false }]);
    store.markRegistered(3);
    expect(store.list()[0].registeredWithServer).toBe(true);
    expect(store.consent(3)).toMatchObject({ consentText: 'I agree', recordedBy: 'manager' });

    // Re-enrolling replaces the person's templates instead of piling them up.
    store.saveEnrolment({ consent: { staffId: 3, consentText: 'I agree again', givenAt: clock.now().toISOString(), recordedBy: 'manager' }, templates: [{ descriptor: descriptor(9), source: 'enrolment', quality: 1 }] });
    expect(store.count()).toBe(1);
    expect(store.match(descriptor(1)).best?.templateId).not.toBe(ids[0]);

    store.remove(3);
    expect(store.count()).toBe(0);
    expect(store.list()).toEqual([]);
    expect(store.consent(3)).toBeNull();
    expect(store.match(descriptor(9)).best).toBeNull();
  });
});
