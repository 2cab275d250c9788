/** Typed statements: prepared once per connection, and the ReadableDB/WritableDB brands keep writes off a read-only connection. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/db/database';
import { getMeta, setMeta } from '../../../src/main/db/meta';
import { command, query } from '../../../src/main/db/statements';
import { makeTempDir } from '../../support/temp-dir';

const readValue = query<[string], { value: string }>('SELECT value FROM kiosk_meta WHERE key = ?');
const writeValue = command<[string, string]>("INSERT INTO kiosk_meta (key, value, updated_at) VALUES (?, ?, 'now')");

describe('statements', () => {
  it('prepares a statement once per connection and reuses it', () => {
    const file = path.join(makeTempDir(), 'kiosk.db');
    const a = openDatabase({ file });
    const b = openDatabase({ file });
    expect(readValue(a)).toBe(readValue(a));
    expect(readValue(b)).not.toBe(readValue(a));
    expect(readValue(a).database).toBe(a);
    a.close();
    b.close();
  });

  it('reads through a read-only connection; a write cannot even be typed against it', () => {
    const file = path.join(makeTempDir(), 'kiosk.db');
    const writable = openDatabase({ file });
    setMeta(writable, 'admin.failed_attempts', '3', new Date('2026-05-11T08:00:00Z'));
    writable.close();
    const readOnly = openDatabase({ file, readonly: true });
    expect(getMeta(readOnly, 'admin.failed_attempts')).toBe('3');
    expect(readValue(readOnly).get('admin.failed_attempts')).toEqual({ value: '3' });
    // @ts-expect-error a ReadableDB is not a WritableDB
    expect(() => writeValue(readOnly).run('k', 'v')).toThrow(/readonly/);
    readOnly.close();
  });
});
