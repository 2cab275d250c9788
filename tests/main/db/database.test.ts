import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DatabaseCorruptError, DatabaseTooNewError, checkIntegrity, openDatabase } from '../../../src/main/db/database';
import { MIGRATIONS } from '../../../src/main/db/migrations';
import { makeTempDir } from '../../support/temp-dir';

function tables(db: BetterSqlite3.Database): { name: string; strict: number }[] {
  return (db.pragma('table_list') as { name: string; schema: string; strict: number; type: string }[]).filter(
    (t) => t.schema === 'main' && t.type === 'table' && !t.name.startsWith('sqlite_'),
  );
}

describe('database', () => {
  it('opens a new file in WAL mode with synchronous=FULL and every migration applied', () => {
    const file = path.join(makeTempDir(), 'kiosk.db');
    const db = openDatabase({ file });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(checkIntegrity(db)).toBe('ok');
    db.close();
  });

  it('keeps the migration registry monotonic', () => {
    MIGRATIONS.forEach((m, i) => expect(m.version).toBe(i + 1));
    expect(() => openDatabase({ file: ':memory:', migrations: [MIGRATIONS[1] as (typeof MIGRATIONS)[number]] })).toThrow(/not monotonic/);
  });

  it.each(MIGRATIONS.map((m) => [m.version, m.name] as const))('migration %i (%s) applies on top of the previous one, changes the schema and creates only STRICT tables', (version) => {
    const file = path.join(makeTempDir(), 'kiosk.db');
    const schema = (db: BetterSqlite3.Database): string =>
      (db.prepare(`SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name`).all() as { sql: string }[]).map((row) => row.sql).join(';');
    const before = openDatabase({ file, migrations: MIGRATIONS.slice(0, version - 1) });
    const existing = new Set(tables(before).map((t) => t.name));
    const schemaBefore = schema(before);
    before.close();
    const after = openDatabase({ file, migrations: MIGRATIONS.slice(0, version) });
    expect(after.pragma('user_version', { simple: true })).toBe(version);
    const added = tables(after).filter((t) => !existing.has(t.name));
    expect(schema(after)).not.toBe(schemaBefore);
    for (const table of added) expect({ table: table.name, strict: table.strict }).toEqual({ table: table.name, strict: 1 });
    after.close();
  });

  it('refuses to open a database written by a newer kiosk, leaving it untouched', () => {
    const file = path.join(makeTempDir(), 'kiosk.db');
    openDatabase({ file }).close();
    const raw = new BetterSqlite3(file);
    raw.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    raw.close();
    const sizeBefore = fs.statSync(file).size;
    expect(() => openDatabase({ file })).toThrow(DatabaseTooNewError);
    expect(() => openDatabase({ file })).toThrow(/newer kiosk version/);
    expect(fs.statSync(file).size).toBe(sizeBefore);
  });

  it('reports a file that is not a database as damaged instead of overwriting it', () => {
    const file = path.join(makeTempDir(), 'kiosk.db');
    fs.writeFileSync(file, Buffer.alloc(8192, 0x41));
    expect(() => openDatabase({ file })).toThrow(DatabaseCorruptError);
    expect(fs.readFileSync(file).subarray(0, 4).toString()).toBe('AAAA');
  });

  it('rejects a value of the wrong type in a STRICT table', () => {
    const db = openDatabase({ file: ':memory:' });
    expect(() => db.prepare("INSERT INTO kiosk_meta (key, value, updated_at) VALUES ('k', x'00', 'now')").run()).toThrow(/cannot store BLOB value in TEXT column/);
    db.close();
  });
});
