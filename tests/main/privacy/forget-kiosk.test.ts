import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/db/database';
import { createLogger, createMemoryLogger, createRotatingFileSink } from '../../../src/main/logging/logger';
import { createFileSecretStore, plainCipher } from '../../../src/main/secrets/secret-store';
import { saveConfig } from '../../../src/main/config/config-store';
import { defaultConfig } from '../../../src/shared/config/schema';
import { FORGET_PENDING_MARKER, completePendingForget, forgetKiosk } from '../../../src/main/privacy/forget-kiosk';

describe('forget this kiosk', () => {
  let root: string;
  let dataDir: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'forget-'));
    dataDir = path.join(root, 'data');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  /** A data folder as a running kiosk leaves it: database (+WAL), secrets, logs, config, Chromium storage. */
  const populate = (): void => {
    const db = openDatabase({ file: path.join(dataDir, 'kiosk.db') });
    db.prepare("INSERT INTO kiosk_meta (key, value, updated_at) VALUES ('k', 'v', 'now')").run();
    db.exec('CREATE TABLE biometric_fixture (staff_id INTEGER, descriptor BLOB) STRICT');
    db.prepare("INSERT INTO biometric_fixture VALUES (7, x'00112233')").run();
    db.close();
    createFileSecretStore(path.join(dataDir, 'secrets.json'), plainCipher).set('api-token', 'abc123abc123');
    createLogger({ sinks: [createRotatingFileSink({ dir: path.join(dataDir, 'logs') })] }).info('hello');
    saveConfig(path.join(dataDir, 'config.json'), defaultConfig());
    fs.mkdirSync(path.join(dataDir, 'Local Storage', 'leveldb'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'Local Storage', 'leveldb', '000003.log'), 'x');
  };

  it('wipes the database, secrets, logs, config and browser storage, after closing what is open', async () => {
    populate();
    const order: string[] = [];
    const result = await forgetKiosk({
      dataDir,
      logger: createMemoryLogger(),
      beforeWipe: async () => {
        order.push(`closed with ${fs.readdirSync(dataDir).length} entries`);
      },
    });
    expect(order).toHaveLength(1);
    expect(result.pending).toEqual([]);
    expect(result.removed.map((p) => path.basename(p)).sort()).toEqual(['Local Storage', 'config.json', 'config.json.last-good', 'kiosk.db', 'logs', 'secrets.json']);
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('a fresh database opened afterwards is empty (the kiosk comes back in setup mode)', async () => {
    populate();
    await forgetKiosk({ dataDir, logger: createMemoryLogger() });
    const db = openDatabase({ file: path.join(dataDir, 'kiosk.db') });
    expect(db.prepare("SELECT COUNT(*) AS n FROM kiosk_meta WHERE key = 'k'").get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'biometric_fixture'").get()).toEqual({ n: 0 });
    db.close();
    expect(createFileSecretStore(path.join(dataDir, 'secrets.json'), plainCipher).get('api-token')).toBeNull();
  });

  it('refuses a folder that is not kiosk data (e.g. --data-dir pointed at a home folder) and deletes nothing', async () => {
    fs.mkdirSync(dataDir);
    fs.writeFileSync(path.join(dataDir, 'thesis.docx'), 'precious');
    await expect(forgetKiosk({ dataDir, logger: createMemoryLogger() })).rejects.toThrow(/holds no kiosk data/);
    expect(fs.existsSync(path.join(dataDir, 'thesis.docx'))).toBe(true);
    await expect(forgetKiosk({ dataDir: os.homedir(), logger: createMemoryLogger() })).rejects.toThrow(/home folder/);
    await expect(forgetKiosk({ dataDir: '/', logger: createMemoryLogger() })).rejects.toThrow(/filesystem root/);
  });

  it('what cannot be deleted now (a file Windows keeps open) is finished at the next start', async () => {
    populate();
    const locked = path.join(dataDir, 'kiosk.db');
    const result = await forgetKiosk({
      dataDir,
      logger: createMemoryLogger(),
      remove: async (target) => {
        if (target === locked) throw Object.assign(new Error('EBUSY: resource busy or locked'), { code: 'EBUSY' });
        await fs.promises.rm(target, { recursive: true, force: true });
      },
    });
    expect(result.pending).toEqual([locked]);
    expect(fs.readdirSync(dataDir).sort()).toEqual([FORGET_PENDING_MARKER, 'kiosk.db'].sort());

    // next start, before anything opens the database
    expect(await completePendingForget({ dataDir, logger: createMemoryLogger() })).toBe(true);
    expect(fs.readdirSync(dataDir)).toEqual([]);
    expect(await completePendingForget({ dataDir, logger: createMemoryLogger() })).toBe(false);
  });
});
