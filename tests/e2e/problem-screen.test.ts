/**
 * The problem screen end to end: a kiosk whose punch database was lost (0 bytes) starts in Chromium
 * on the problem screen instead of an empty ledger; staff read that punching is stopped; a manager
 * unlocks and restores the records, and every punch is back in kiosk.db.
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { makeSolidImage } from '../support/media/face-video';
import { PIN, livedInKiosk } from '../faults/lived-in-kiosk';
import { type KioskHarness, startKioskHarness } from './support/kiosk-harness';

let kiosk: KioskHarness | null = null;
afterAll(async () => {
  await kiosk?.close();
});

describe('problem screen in Chromium', () => {
  it('a lost punch database: punching stopped, the reason, and a manager brings the records back', async () => {
    const lived = await livedInKiosk();
    fs.writeFileSync(path.join(lived.dataDir, 'kiosk.db'), '');
    const camera = await makeSolidImage({ size: { width: 640, height: 480 }, color: [40, 44, 52] });
    kiosk = await startKioskHarness({ cameraFile: camera, dataDir: lived.dataDir });
    const { page } = kiosk;
    await page.waitForSelector('[data-testid=problem-screen]');
    expect(await page.evaluate(() => document.body.dataset.screen)).toBe('setup');
    const text = await page.getByTestId('problem-screen').innerText();
    expect(text).toContain('Punching is stopped on this kiosk');
    expect(text).toContain('The punch records of this kiosk are missing.');
    await kiosk.screenshot('screens/problem-database-missing');

    await page.getByLabel('Enter the manager PIN').fill(PIN);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByTestId('problem-action-restore_backup').click();
    await page.getByText('Done. The kiosk restarts now.').waitFor();
    await kiosk.screenshot('screens/problem-restored');

    const restored = new BetterSqlite3(path.join(lived.dataDir, 'kiosk.db'), { readonly: true });
    const ids = restored.prepare('SELECT event_id FROM ledger_events ORDER BY seq').all().map((row) => (row as { event_id: string }).event_id);
    restored.close();
    expect(ids).toEqual(lived.punches);
    expect(kiosk.pageErrors).toEqual([]);
  });
});
