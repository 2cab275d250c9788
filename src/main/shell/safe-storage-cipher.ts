/**
 * The SecretCipher backed by Electron's safeStorage (DPAPI on Windows, Keychain on macOS, libsecret or
 * KWallet on Linux), so the API token and the template key at rest are only readable by this OS user
 * on this machine. On Linux without a keyring Chromium falls back to a hard-coded key: reported as
 * not secure so diagnostics and the threat model can say so.
 */
import { safeStorage } from 'electron';
import { type SecretCipher, plainCipher } from '../secrets/secret-store';

export interface SafeStorageStatus {
  available: boolean;
  /** Linux: the backend Chromium chose ('basic_text' means no real protection); elsewhere the OS store. */
  backend: string;
  secure: boolean;
}

/** What protects the secrets on this machine. Call after `app.whenReady()`. */
export function safeStorageStatus(platform: NodeJS.Platform = process.platform): SafeStorageStatus {
  const available = safeStorage.isEncryptionAvailable();
  const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend() : platform === 'win32' ? 'dpapi' : 'keychain';
  return { available, backend, secure: available && backend !== 'basic_text' && backend !== 'unknown' };
}

/**
 * Creates the cipher. Call after `app.whenReady()`. When safeStorage cannot encrypt at all it
 * returns the unprotected cipher (isSecure false, which the log and diagnostics report) unless
 * `requireSecure` is set, in which case it throws: a kiosk that will not start is worse than one
 * whose secrets rely on full-disk encryption (docs/threat-model.md).
 */
export function createSafeStorageCipher(platform: NodeJS.Platform = process.platform, requireSecure = false): SecretCipher {
  const status = safeStorageStatus(platform);
  if (!status.available) {
    if (requireSecure) throw new Error('Secure storage is not available on this machine (no OS keyring); the API token cannot be stored safely');
    return plainCipher;
  }
  return {
    isSecure: status.secure,
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (cipher) => safeStorage.decryptString(cipher),
  };
}
