/** Durable writes: the old file or the new one after any failure, never half of either, never a stray temporary file. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DurableFs, commitFileDurably, corruptName, moveAside, nodeDurableFs, writeFileDurably } from '../../../src/main/lib/durable-file';
import { makeTempDir } from '../../support/temp-dir';

/** The real file system with one step failing as `code`. */
function failing(step: keyof DurableFs, code: string, onlyFor?: (arg: unknown) => boolean): DurableFs & { calls: string[] } {
  const calls: string[] = [];
  const layer = { ...nodeDurableFs, calls } as DurableFs & { calls: string[] };
  for (const name of Object.keys(nodeDurableFs) as (keyof DurableFs)[]) {
    const real = nodeDurableFs[name] as (...args: unknown[]) => unknown;
    (layer as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      calls.push(name);
      if (name === step && (!onlyFor || onlyFor(args[0]))) throw Object.assign(new Error(`${code}: simulated`), { code });
      return real(...args);
    };
  }
  return layer;
}

describe('durable file writes', () => {
  it('writes with fsync of the file, rename, then fsync of the folder, owner-only', () => {
    const dir = makeTempDir();
    const file = path.join(dir, 'a.json');
    const layer = failing('unlinkSync', 'NEVER', () => false);
    writeFileDurably(file, 'hello', { fs: layer });
    expect(fs.readFileSync(file, 'utf8')).toBe('hello');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const order = layer.calls.filter((c) => c !== 'mkdirSync');
    expect(order).toEqual(['openSync', 'writeSync', 'fsyncSync', 'closeSync', 'chmodSync', 'renameSync', 'openSync', 'fsyncSync', 'closeSync']);
  });

  it.each(['writeSync', 'fsyncSync', 'renameSync'] as const)('a failing %s (ENOSPC) keeps the old content and leaves no temporary file', (step) => {
    const dir = makeTempDir();
    const file = path.join(dir, 'a.json');
    writeFileDurably(file, 'old');
    expect(() => writeFileDurably(file, 'new', { fs: failing(step, 'ENOSPC') })).toThrow(/ENOSPC/);
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
    expect(fs.readdirSync(dir)).toEqual(['a.json']);
  });

  it('moves a damaged file aside under a time stamp, never over an earlier one', () => {
    const dir = makeTempDir();
    const file = path.join(dir, 'config.json');
    const at = new Date('2026-03-01T09:00:00.000Z');
    fs.writeFileSync(file, 'one');
    expect(moveAside(file, at)).toBe(corruptName(file, at));
    fs.writeFileSync(file, 'two');
    expect(moveAside(file, at)).toBe(`${corruptName(file, at)}-2`);
    expect(fs.readFileSync(corruptName(file, at), 'utf8')).toBe('one');
  });

  it('commits a file another writer made (a backup) only when its fsync succeeded', () => {
    const dir = makeTempDir();
    const target = path.join(dir, 'kiosk-backup.db');
    fs.writeFileSync(target, 'previous');
    fs.writeFileSync(`${target}.tmp`, 'next');
    expect(() => commitFileDurably(`${target}.tmp`, target, failing('fsyncSync', 'EIO'))).toThrow(/EIO/);
    expect(fs.readFileSync(target, 'utf8')).toBe('previous');
    expect(fs.existsSync(`${target}.tmp`)).toBe(false);
  });
});
