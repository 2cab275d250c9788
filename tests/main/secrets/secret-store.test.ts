/** The secrets file: written durably and owner-only, never rewritten when it could not be parsed. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DurableFs, nodeDurableFs } from '../../../src/main/lib/durable-file';
import { SecretStoreUnavailableError, createFileSecretStore, plainCipher } from '../../../src/main/secrets/secret-store';
import { makeTempDir } from '../../support/temp-dir';

const at = new Date('2026-03-01T09:00:00.000Z');
const stamp = '2026-03-01T09-00-00-000Z';

describe('file secret store', () => {
  it('keeps values across a restart in an owner-only file and leaves no temporary file', () => {
    const dir = makeTempDir();
    const file = path.join(dir, 'secrets.json');
    const store = createFileSecretStore(file, plainCipher);
    expect(store.health()).toEqual({ state: 'missing' });
    store.set('api-token', 'abc');
    store.set('template-key', 'f'.repeat(64));
    const again = createFileSecretStore(file, plainCipher);
    expect(again.health()).toEqual({ state: 'ok' });
    expect([again.get('api-token'), again.get('template-key')]).toEqual(['abc', 'f'.repeat(64)]);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['secrets.json']);
  });

  it('a file that is not JSON is moved aside, not rewritten: the next write starts a new file and the old bytes survive', () => {
    const dir = makeTempDir();
    const file = path.join(dir, 'secrets.json');
    fs.writeFileSync(file, '{"api-token":"YWJj", "template-key": "tr');
    const store = createFileSecretStore(file, plainCipher, { now: at });
    expect(store.health()).toMatchObject({ state: 'damaged', movedTo: `${file}.corrupt-${stamp}` });
    expect(store.get('api-token')).toBeNull();
    store.set('api-token', 'new');
    expect(fs.readFileSync(`${file}.corrupt-${stamp}`, 'utf8')).toBe('{"api-token":"YWJj", "template-key": "tr');
    expect(createFileSecretStore(file, plainCipher).get('api-token')).toBe('new');
  });

  it('values that are not text: the readable ones carry on, the file is set aside', () => {
    const dir = makeTempDir();
    const file = path.join(dir, 'secrets.json');
    fs.writeFileSync(file, JSON.stringify({ 'api-token': Buffer.from('abc').toString('base64'), 'template-key': 42 }));
    const store = createFileSecretStore(file, plainCipher, { now: at });
    expect(store.health()).toMatchObject({ state: 'damaged', reason: expect.stringMatching(/template-key/) });
    expect(store.get('api-token')).toBe('abc');
    expect(store.get('template-key')).toBeNull();
  });

  it('a file that cannot be read (a folder that cannot be moved, permissions) is left alone and writes are refused', () => {
    const dir = makeTempDir();
    const file = path.join(dir, 'secrets.json');
    fs.writeFileSync(file, JSON.stringify({ 'api-token': Buffer.from('abc').toString('base64') }));
    fs.chmodSync(file, 0o000);
    const readable = (() => {
      try {
        fs.readFileSync(file);
        return true;
      } catch {
        return false;
      }
    })();
    if (readable) return; // running as root: permissions do not apply (the fault suite covers the same through the fs layer)
    const store = createFileSecretStore(file, plainCipher);
    expect(store.health()).toMatchObject({ state: 'unavailable' });
    expect(() => store.set('api-token', 'x')).toThrow(SecretStoreUnavailableError);
    fs.chmodSync(file, 0o600);
    expect(createFileSecretStore(file, plainCipher).get('api-token')).toBe('abc');
  });

  it('a failed write (full disk) changes neither the file nor the values in memory', () => {
    const dir = makeTempDir();
    const file = path.join(dir, 'secrets.json');
    createFileSecretStore(file, plainCipher).set('api-token', 'abc');
    const fullDisk: DurableFs = {
      ...nodeDurableFs,
      fsyncSync: () => {
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      },
    };
    const store = createFileSecretStore(file, plainCipher, { fs: fullDisk });
    expect(() => store.set('api-token', 'new')).toThrow(/ENOSPC/);
    expect(store.get('api-token')).toBe('abc');
    expect(createFileSecretStore(file, plainCipher).get('api-token')).toBe('abc');
    expect(fs.readdirSync(dir)).toEqual(['secrets.json']);
  });

  it('a value the cipher cannot decrypt (another OS keyring) reads as missing, is named, and a copy is kept before it is written over', () => {
    const dir = makeTempDir();
    const file = path.join(dir, 'secrets.json');
    createFileSecretStore(file, plainCipher).set('api-token', 'abc');
    const original = fs.readFileSync(file);
    const otherKeyring = { isSecure: true, encrypt: (v: string) => Buffer.from(v), decrypt: () => { throw new Error('cannot decrypt'); } };
    const store = createFileSecretStore(file, otherKeyring, { now: at });
    expect(store.get('api-token')).toBeNull();
    expect(store.undecryptable()).toEqual(['api-token']);
    expect(store.health()).toEqual({ state: 'undecryptable', names: ['api-token'], keptAs: `${file}.corrupt-${stamp}` });
    store.set('api-token', 'signed in again');
    expect(fs.readFileSync(`${file}.corrupt-${stamp}`).equals(original)).toBe(true);
    expect(createFileSecretStore(`${file}.corrupt-${stamp}`, plainCipher).get('api-token')).toBe('abc');
  });

  it('restarts before anyone replaces the values keep one copy of them, not one per start; other values get their own', () => {
    const dir = makeTempDir();
    const file = path.join(dir, 'secrets.json');
    createFileSecretStore(file, plainCipher).set('api-token', 'abc');
    // this keyring opens only what it sealed itself
    const thisKeyring = {
      isSecure: true,
      encrypt: (v: string) => Buffer.from(`sealed:${v}`),
      decrypt: (c: Buffer) => {
        const text = c.toString();
        if (!text.startsWith('sealed:')) throw new Error('cannot decrypt');
        return text.slice('sealed:'.length);
      },
    };
    const first = createFileSecretStore(file, thisKeyring, { now: at });
    expect(first.health()).toEqual({ state: 'undecryptable', names: ['api-token'], keptAs: `${file}.corrupt-${stamp}` });
    // the kiosk writes a new key beside the token it cannot open, then restarts three times, a day apart
    first.set('template-key', 'k'.repeat(64));
    for (const day of [1, 2, 3]) {
      const restarted = createFileSecretStore(file, thisKeyring, { now: new Date(at.getTime() + day * 86_400_000) });
      expect(restarted.health()).toEqual({ state: 'undecryptable', names: ['api-token'], keptAs: `${file}.corrupt-${stamp}` });
      expect(restarted.get('template-key')).toBe('k'.repeat(64));
    }
    expect(fs.readdirSync(dir).sort()).toEqual(['secrets.json', `secrets.json.corrupt-${stamp}`]);
    expect(createFileSecretStore(`${file}.corrupt-${stamp}`, plainCipher).get('api-token')).toBe('abc');
    // another token this keyring cannot open (sealed on another PC meanwhile) is kept in a copy of its own
    fs.writeFileSync(file, JSON.stringify({ 'api-token': Buffer.from('xyz').toString('base64') }));
    const later = createFileSecretStore(file, thisKeyring, { now: new Date(at.getTime() + 5 * 86_400_000) });
    const health = later.health();
    if (health.state !== 'undecryptable') throw new Error(`expected undecryptable, got ${health.state}`);
    expect(health.keptAs).not.toBe(`${file}.corrupt-${stamp}`);
    expect(fs.readdirSync(dir)).toHaveLength(3);
    expect(createFileSecretStore(health.keptAs, plainCipher).get('api-token')).toBe('xyz');
  });

  it('without an OS keyring (the plain fallback), values a keyring sealed earlier are named as undecryptable, not read as garbled text', () => {
    const dir = makeTempDir();
    const file = path.join(dir, 'secrets.json');
    // what DPAPI or libsecret leaves in the file: binary, not UTF-8
    const sealed = Buffer.from([0x01, 0x00, 0x00, 0x00, 0xd0, 0x8c, 0x9d, 0xdf, 0x01, 0x15, 0xd1, 0x11, 0x8c, 0x7a, 0x00, 0xc0, 0x4f, 0xc2, 0x97, 0xeb]);
    fs.writeFileSync(file, JSON.stringify({ 'api-token': sealed.toString('base64'), 'kiosk-note': Buffer.from('plain').toString('base64') }));
    const store = createFileSecretStore(file, plainCipher, { now: at });
    expect(store.get('api-token')).toBeNull();
    expect(store.get('kiosk-note')).toBe('plain');
    expect(store.health()).toMatchObject({ state: 'undecryptable', names: ['api-token'] });
  });

  it('values that do not decrypt and cannot be copied aside (full disk): nothing is written over them', () => {
    const dir = makeTempDir();
    const file = path.join(dir, 'secrets.json');
    createFileSecretStore(file, plainCipher).set('template-key', 'k'.repeat(64));
    const original = fs.readFileSync(file);
    const fullDisk: DurableFs = {
      ...nodeDurableFs,
      writeSync: () => {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      },
    };
    const otherKeyring = { isSecure: true, encrypt: (v: string) => Buffer.from(v), decrypt: () => { throw new Error('cannot decrypt'); } };
    const store = createFileSecretStore(file, otherKeyring, { now: at, fs: fullDisk });
    expect(store.health()).toMatchObject({ state: 'unavailable', reason: expect.stringMatching(/template-key.*ENOSPC/) });
    expect(() => store.set('template-key', 'new')).toThrow(SecretStoreUnavailableError);
    expect(fs.readFileSync(file).equals(original)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['secrets.json']);
  });
});
