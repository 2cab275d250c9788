/**
 * A kiosk that has been in use, started by the real createKioskApp on real files, with its key file
 * or its face templates damaged in ways the fault suite does not cover: a secrets.json sealed under
 * another OS keyring (another Windows user, another PC), the secrets.json of another installation,
 * and one person's template row damaged. Each checks what a manager would notice (the problem and
 * its detail), that the evidence is kept, that no punch is lost, that the admin area stays locked,
 * and that no key or descriptor reaches the log.
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { consentText } from '../../../src/main/face/consent';
import type { SecretCipher } from '../../../src/main/secrets/secret-store';
import type { KioskProblem } from '../../../src/shared/domain/problems';
import type { KioskInfo } from '../../../src/shared/domain/types';
import { punchIds } from '../../support/punch-data';
import { TOKEN_SECRET } from '../../../src/main/lifecycle/kiosk-services';
import { makeTempDir } from '../../support/temp-dir';
import { HOTEL_CONFIG, PIN, TOKEN, expectNoAdminBypass, kioskInfo, livedInKiosk, startKiosk } from '../../faults/lived-in-kiosk';

/** An OS keyring as Electron's safeStorage behaves: what another keyring sealed does not decrypt (it throws). */
function osKeyring(owner: string): SecretCipher {
  const prefix = `${owner}:`;
  return {
    isSecure: true,
    encrypt: (plain) => Buffer.from(`${prefix}${plain}`, 'utf8'),
    decrypt: (sealed) => {
      const text = sealed.toString('utf8');
      if (!text.startsWith(prefix)) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return text.slice(prefix.length);
    },
  };
}

const secretsFile = (dataDir: string): string => path.join(dataDir, 'secrets.json');
const readSecrets = (file: string): Record<string, string> => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;

/** Every value of a plain (test) secrets.json, sealed again under `keyring`: the same kiosk, installed under that OS user. */
function sealSecretsWith(dataDir: string, keyring: SecretCipher): Record<string, string> {
  const plain = Object.fromEntries(Object.entries(readSecrets(secretsFile(dataDir))).map(([name, value]) => [name, Buffer.from(value, 'base64').toString('utf8')]));
  const sealed = Object.fromEntries(Object.entries(plain).map(([name, value]) => [name, keyring.encrypt(value).toString('base64')]));
  fs.writeFileSync(secretsFile(dataDir), JSON.stringify(sealed));
  return plain;
}

function kioskLog(dataDir: string): string {
  return fs.readFileSync(path.join(dataDir, 'logs', 'kiosk.log'), 'utf8');
}

/** Problems on screen, without the keyring notice every kiosk on the plain test cipher shows. */
const shown = (info: KioskInfo): KioskProblem[] => (info.problems ?? []).filter((p) => p.code !== 'secrets_unprotected');

const copiesAside = (dataDir: string): string[] => fs.readdirSync(dataDir).filter((name) => name.startsWith('secrets.json.corrupt-'));

describe('damaged keys and faces at start', () => {
  it('a secrets.json sealed under another OS keyring: a notice names the values, a copy is kept before any is replaced, and it still opens with the right keyring', async () => {
    const kiosk = await livedInKiosk();
    const plain = sealSecretsWith(kiosk.dataDir, osKeyring('kiosk-user'));
    const original = fs.readFileSync(secretsFile(kiosk.dataDir));

    const app = await startKiosk(kiosk.dataDir, { cipher: osKeyring('another-user') });
    try {
      const info = await kioskInfo(app);
      const codes = (info.problems ?? []).map((p) => p.code).sort();
      expect(codes).toEqual(['secrets_damaged', 'templates_unreadable']);
      const notice = info.problems?.find((p) => p.code === 'secrets_damaged');
      expect(notice?.blocking).toBe(false);
      expect(notice?.detail).toMatch(/do not decrypt with this computer's OS keyring \(.*api-token.*\).*sign in again/);
      expect(info.problems?.find((p) => p.code === 'templates_unreadable')?.detail).toMatch(/does not decrypt with this OS keyring/);
      expect(info.mode).toBe('setup');
      expect(punchIds(app.db)).toEqual(kiosk.punches);
      await expectNoAdminBypass(app);
    } finally {
      await app.stop();
    }

    // the start wrote new punch and job keys over the values it could not open: the copy has the old ones
    expect(fs.readFileSync(secretsFile(kiosk.dataDir)).equals(original)).toBe(false);
    const kept = copiesAside(kiosk.dataDir);
    expect(kept).toHaveLength(1);
    const copy = path.join(kiosk.dataDir, kept[0] as string);
    expect(fs.readFileSync(copy).equals(original)).toBe(true);
    expect(fs.statSync(copy).mode & 0o777).toBe(0o600);
    const log = kioskLog(kiosk.dataDir);
    for (const value of Object.values(plain)) expect(log).not.toContain(value);

    // support puts the copy back and starts the kiosk under the right user: faces, token and punches are all there
    fs.copyFileSync(copy, secretsFile(kiosk.dataDir));
    const recovered = await startKiosk(kiosk.dataDir, { cipher: osKeyring('kiosk-user') });
    try {
      const info = await kioskInfo(recovered);
      expect(info.problems ?? []).toEqual([]);
      expect(info.mode).toBe('kiosk');
      expect(recovered.face.templates.count()).toBe(1);
      expect(punchIds(recovered.db)).toEqual(kiosk.punches);
    } finally {
      await recovered.stop();
    }
  }, 90_000);

  it('a signed-in kiosk without a PIN whose token no longer decrypts keeps its admin area closed (never the first-run path)', async () => {
    const dataDir = makeTempDir('no-pin-kiosk-');
    const first = await startKiosk(dataDir, { cipher: osKeyring('kiosk-user'), configPatch: HOTEL_CONFIG });
    first.secrets.set(TOKEN_SECRET, TOKEN);
    await first.stop();

    const app = await startKiosk(dataDir, { cipher: osKeyring('another-user') });
    try {
      const info = await kioskInfo(app);
      expect(shown(info).map((p) => p.code).sort()).toEqual(['admin_pin_missing', 'secrets_damaged']);
      // the screens show the PIN pad (pinSet), not the first-run "choose a PIN"; no PIN opens it
      expect(app.admin.hasPin()).toBe(false);
      expect(app.admin.status()).toMatchObject({ pinSet: true, unlocked: false });
      expect(app.admin.allows('config:update')).toBe(false);
      await expect(app.router.dispatch('config:update', [{ api: { baseUrl: 'https://attacker.example/api' } }])).rejects.toMatchObject({ code: 'forbidden' });
      expect(await app.router.dispatch('admin:setPin', ['999999'])).toMatchObject({ ok: false });
      expect(app.admin.hasPin()).toBe(false);
    } finally {
      await app.stop();
    }
  }, 90_000);

  it("another installation's secrets.json (its keys open, but none of this kiosk's faces): punching stops with the way out, its key is not replaced", async () => {
    const kiosk = await livedInKiosk();
    const other = await livedInKiosk();
    fs.copyFileSync(secretsFile(other.dataDir), secretsFile(kiosk.dataDir));
    const otherTemplateKey = readSecrets(secretsFile(other.dataDir))['template-key'];
    let relaunched = 0;

    const app = await startKiosk(kiosk.dataDir, { onRelaunch: () => (relaunched += 1) });
    try {
      const info = await kioskInfo(app);
      const problem = info.problems?.find((p) => p.code === 'templates_unreadable');
      expect(problem).toMatchObject({ blocking: true, detail: expect.stringMatching(/opens none of them/) });
      expect(info.mode).toBe('setup');
      expect(punchIds(app.db)).toEqual(kiosk.punches);
      await expectNoAdminBypass(app);
      expect(((await app.router.dispatch('admin:unlock', [PIN])) as { ok: boolean }).ok).toBe(true);
      // no face is sealed with a key that cannot open the others
      await expect(app.router.dispatch('enrol:start', [{ staffId: 8, consent: true, consentLanguage: 'en', consentHash: consentText('en').hash }])).rejects.toMatchObject({ code: 'forbidden' });
      expect(await app.router.dispatch('admin:resolveProblem', ['set_aside_unreadable_templates'])).toEqual({ ok: true, restarting: true });
    } finally {
      await app.stop();
    }
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(relaunched).toBe(1);
    expect(readSecrets(secretsFile(kiosk.dataDir))['template-key']).toBe(otherTemplateKey);
    expect(fs.readdirSync(kiosk.dataDir).filter((name) => name.startsWith('face-templates.corrupt-'))).toHaveLength(1);

    const restarted = await startKiosk(kiosk.dataDir);
    try {
      expect(shown(await kioskInfo(restarted))).toEqual([]);
      expect(restarted.face.templates.count()).toBe(0);
      expect(punchIds(restarted.db)).toEqual(kiosk.punches);
    } finally {
      await restarted.stop();
    }
  }, 90_000);

  it("one person's template row damaged: a notice names them, everyone else is still recognised, punching goes on", async () => {
    const kiosk = await livedInKiosk();
    const before = await startKiosk(kiosk.dataDir);
    const other = new Float32Array(128).fill(-0.05);
    before.face.templates.saveEnrolment({
      consent: { staffId: 8, consentText: 'I agree', givenAt: '2026-03-01T08:00:00.000Z', recordedBy: 'manager' },
      templates: [{ descriptor: other, source: 'enrolment', quality: 0.9 }],
    });
    await before.stop();
    const raw = new BetterSqlite3(path.join(kiosk.dataDir, 'kiosk.db'));
    // a bit flipped on disk: the row keeps its length (the table checks it), its seal no longer opens
    raw.prepare("UPDATE face_templates SET descriptor = CAST(substr(descriptor, 1, 100) || X'00' || substr(descriptor, 102) AS BLOB) WHERE staff_id = 7").run();
    raw.close();

    const app = await startKiosk(kiosk.dataDir);
    try {
      const info = await kioskInfo(app);
      expect(shown(info).map((p) => p.code)).toEqual(['templates_partly_unreadable']);
      expect(shown(info)[0]).toMatchObject({ blocking: false, detail: expect.stringMatching(/1 of 2 enrolled face template\(s\) are damaged .*\(staff 7\)/) });
      expect(info.mode).toBe('kiosk');
      expect(app.face.templates.match(other).best?.staffId).toBe(8);
      expect(app.face.templates.unreadable()).toBe(1);
      expect(punchIds(app.db)).toEqual(kiosk.punches);
      await expectNoAdminBypass(app);
    } finally {
      await app.stop();
    }
    expect(kioskLog(kiosk.dataDir)).not.toMatch(/descriptor"\s*:\s*\[|-0\.05,/);
  }, 90_000);
});
