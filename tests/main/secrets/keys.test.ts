/** The keys are named and created in one place; a key is never silently replaced while data needs it. */
import { describe, expect, it } from 'vitest';
import { KEY_NAMES, loadOrCreateKey, readKey } from '../../../src/main/secrets/keys';
import { createMemorySecretStore } from '../../../src/main/secrets/secret-store';

describe('keys', () => {
  it('creates a random 256-bit key once, under its name, and returns it afterwards', () => {
    const secrets = createMemorySecretStore();
    expect(readKey(secrets, 'jobPayloads')).toBeNull();
    const key = loadOrCreateKey(secrets, 'jobPayloads');
    expect(key.length).toBe(32);
    expect(secrets.get(KEY_NAMES.jobPayloads)).toBe(key.toString('hex'));
    expect(loadOrCreateKey(secrets, 'jobPayloads').equals(key)).toBe(true);
    expect(loadOrCreateKey(secrets, 'punchDescriptors').equals(key)).toBe(false);
  });

  it('refuses to make a new key while data sealed with the missing one exists, leaving the store alone', () => {
    const secrets = createMemorySecretStore({ [KEY_NAMES.faceTemplates]: 'not-hex' });
    expect(() => loadOrCreateKey(secrets, 'faceTemplates', { existing: { count: 3, what: 'face templates', remedy: 'Restore the key.' } })).toThrow(
      'The face template key is missing from the secret store (template-key) but 3 encrypted face templates exist; they were left untouched. Restore the key.',
    );
    expect(secrets.get(KEY_NAMES.faceTemplates)).toBe('not-hex');
    expect(loadOrCreateKey(secrets, 'faceTemplates', { existing: { count: 0, what: 'face templates', remedy: '' } }).length).toBe(32);
  });
});
