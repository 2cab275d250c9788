/** The running config: memory changes only after the save succeeded, and the kiosk id stays fixed. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createConfigHolder } from '../../../src/main/config/config-holder';
import { loadConfig } from '../../../src/main/config/config-store';
import { type DurableFs, nodeDurableFs } from '../../../src/main/lib/durable-file';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { defaultConfig } from '../../../src/shared/config/schema';
import { makeTempDir } from '../../support/temp-dir';

/** The real file system, except that writing data fails as on a full disk. */
const fullDisk: DurableFs = {
  ...nodeDurableFs,
  writeSync: () => {
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  },
};

describe('config holder', () => {
  it('a failed save (full disk) changes nothing: not the memory, not the file, no temporary file left, no listener told', () => {
    const dir = makeTempDir();
    const file = path.join(dir, 'config.json');
    const logger = createMemoryLogger();
    const good = createConfigHolder({ ...defaultConfig(), kiosk: { id: 'kiosk-lobby', locationNote: 'Lobby kiosk' } }, file, logger);
    expect(good.update({ ui: { showBoard: false } }).ok).toBe(true);

    const holder = createConfigHolder(good.get(), file, logger, { fs: fullDisk });
    const changes: unknown[] = [];
    holder.onChange((next) => changes.push(next));
    const result = holder.update({ ui: { showBoard: true }, hotel: { slug: 'other-hotel' } });
    expect(result).toMatchObject({ ok: false, errors: [{ field: '(file)', message: expect.stringMatching(/ENOSPC.*nothing was changed/) }] });
    expect(holder.get().ui.showBoard).toBe(false);
    expect(holder.get().hotel.slug).toBe('');
    expect(changes).toEqual([]);
    expect(loadConfig({ dataDir: dir }).config.ui.showBoard).toBe(false);
    expect(fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(logger.records.some((r) => r.level === 'error' && /could not be saved/.test(r.message))).toBe(true);
  });

  it('assigns the kiosk id once; after that no update can change it', () => {
    const holder = createConfigHolder(defaultConfig(), null, createMemoryLogger());
    expect(holder.update({ kiosk: { id: 'kiosk-1234abcd' } }).ok).toBe(true);
    expect(holder.update({ kiosk: { id: 'kiosk-stolen' } })).toEqual({ ok: false, errors: [{ field: 'kiosk.id', message: 'the kiosk id is fixed when the kiosk is installed' }] });
    expect(holder.get().kiosk.id).toBe('kiosk-1234abcd');
  });

  it('an empty PIN hash counts as none (it never leaves the kiosk stuck between "set" and "not set")', () => {
    const holder = createConfigHolder(defaultConfig(), null, createMemoryLogger());
    const result = holder.update({ admin: { pinHash: '' } });
    expect(result.ok && result.config.admin.pinHash).toBeNull();
  });
});
