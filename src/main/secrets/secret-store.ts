/**
 * Secrets (the API token, the biometric template key) behind one interface. In Electron the cipher
 * is safeStorage (OS keychain / DPAPI / libsecret); plain-Node services and tests pass another
 * cipher. The store itself is a small file in the data folder holding only ciphertext.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface SecretCipher {
  /** Whether the cipher protects data with an OS-held key. */
  readonly isSecure: boolean;
  encrypt(plain: string): Buffer;
  decrypt(cipher: Buffer): string;
}

export interface SecretStore {
  get(name: string): string | null;
  set(name: string, value: string): void;
  delete(name: string): void;
  readonly isSecure: boolean;
}

/** Development/test cipher: base64 only. Marked insecure so diagnostics can say so. */
export const plainCipher: SecretCipher = {
  isSecure: false,
  encrypt: (plain) => Buffer.from(plain, 'utf8'),
  decrypt: (cipher) => cipher.toString('utf8'),
};

export function createFileSecretStore(file: string, cipher: SecretCipher): SecretStore {
  const read = (): Record<string, string> => {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  };
  const write = (data: Record<string, string>): void => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temp = `${file}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(data), { mode: 0o600 });
    fs.renameSync(temp, file);
  };
  return {
    isSecure: cipher.isSecure,
    get(name) {
      const value = read()[name];
      if (value === undefined) return null;
      try {
        return cipher.decrypt(Buffer.from(value, 'base64'));
      } catch {
        return null;
      }
    },
    set(name, value) {
      const data = read();
      data[name] = cipher.encrypt(value).toString('base64');
      write(data);
    },
    delete(name) {
      const data = read();
      delete data[name];
      write(data);
    },
  };
}

export function createMemorySecretStore(initial: Record<string, string> = {}): SecretStore {
  const data = new Map(Object.entries(initial));
  return {
    isSecure: false,
    get: (name) => data.get(name) ?? null,
    set: (name, value) => void data.set(name, value),
    delete: (name) => void data.delete(name),
  };
}
