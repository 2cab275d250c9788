/**
 * The kiosk built (createKioskApp) on a data folder left by the previous version: its queued face
 * registrations and revocations are jobs, its templates and queued punch descriptors open in the
 * current cipher format, and nothing was lost on the way.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKioskApp } from '../../../src/main/app/create-kiosk-app';
import { createFileSecretStore, plainCipher } from '../../../src/main/secrets/secret-store';
import { copyLegacyDatabase, legacyKeys } from '../../support/legacy-db';
import { makeTempDir } from '../../support/temp-dir';

const MODELS_DIR = path.resolve(__dirname, '../../../models');

describe('upgrading a kiosk', () => {
  it("starts on the previous version's data with every queued job, template and punch intact", async () => {
    const dataDir = makeTempDir('upgrade-');
    fs.copyFileSync(copyLegacyDatabase(), path.join(dataDir, 'kiosk.db'));
    const secrets = createFileSecretStore(path.join(dataDir, 'secrets.json'), plainCipher);
    for (const [name, value] of Object.entries(legacyKeys())) secrets.set(name, value);

    const app = await createKioskApp({ dataDir, cipher: plainCipher, modelsDir: MODELS_DIR, versions: {}, exit: () => undefined, consoleLogLevel: null });
    try {
      expect([app.face.templates.count(), app.face.templates.unreadable()]).toEqual([3, 0]);
      expect(app.jobs.list().map((j) => [j.kind, j.subject, j.state]).reverse()).toEqual([
        ['face.register', 'staff:11', 'waiting'],
        ['face.register', 'staff:14', 'waiting'],
        ['face.revoke', 'staff:15', 'waiting'],
        ['face.revoke', 'staff:16', 'waiting'],
      ]);
      expect(app.db.prepare("SELECT COUNT(*) AS n FROM ledger_events WHERE length(descriptor) = 541").get()).toEqual({ n: 3 });
      expect(app.db.prepare("SELECT value FROM kiosk_meta WHERE key = 'cipher.version'").get()).toEqual({ value: '2' });
    } finally {
      await app.stop();
    }
  }, 60_000);
});
