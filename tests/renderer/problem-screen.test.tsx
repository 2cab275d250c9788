// @vitest-environment jsdom
/**
 * The problem screen: staff read that punching is stopped and their punches are safe; a manager
 * unlocks and restores; notices and a short PIN show in the admin area.
 */
import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { KioskProblem } from '../../src/shared/domain/problems';
import { config, openAdmin, typePin, withPin } from './support/admin';
import type { RequestResult } from '../../src/shared/ipc/contract';
import { createFakeKiosk, type FakeKiosk, testInfo } from './support/fake-kiosk';
import { renderApp, useKioskTestTime } from './support/render-app';

useKioskTestTime();

const damaged: KioskProblem = {
  code: 'database_damaged',
  blocking: true,
  detail: 'The kiosk database /data/kiosk.db is damaged (quick_check: *** in database main *** Page 7: btreeInitPage() returns error code 11).',
  at: '2026-11-27T09:00:00.000Z',
};

describe('problem screen', () => {
  it('tells staff that punching is stopped, why, and what to do, with the detail folded away for support', async () => {
    const fake = createFakeKiosk({ ...testInfo, mode: 'setup', problems: [damaged] });
    withPin(fake);
    await renderApp(fake);
    expect(document.body.dataset.screen).toBe('setup');
    const alert = screen.getByTestId('problem-screen');
    expect(alert.textContent).toContain('Punching is stopped on this kiosk');
    expect(alert.textContent).toContain('Punches already saved are safe.');
    expect(alert.textContent).toContain('The punch records of this kiosk are damaged.');
    expect(alert.textContent).toContain('A manager restores the records');
    expect(screen.getByText(damaged.detail).closest('details')).not.toBeNull();
    // no way out before the PIN
    expect(screen.queryByTestId('problem-action-restore_backup')).toBeNull();
  });

  /** A kiosk with a damaged database whose restore answers `answer`: unlocked, restore pressed. */
  async function pressRestore(answer: RequestResult<'admin:resolveProblem'>): Promise<FakeKiosk> {
    const fake = createFakeKiosk({ ...testInfo, mode: 'setup', problems: [damaged] });
    withPin(fake);
    fake.handle('admin:resolveProblem', () => answer);
    fake.handle('config:get', () => config);
    fake.handle('camera:list', () => []);
    const app = await renderApp(fake);
    await typePin(app, '2468');
    fireEvent.click(screen.getByTestId('problem-action-restore_backup'));
    await app.flush();
    return fake;
  }

  it('a manager unlocks and restores the records; the screen says the kiosk restarts', async () => {
    const fake = await pressRestore({ ok: true, restarting: true });
    expect(fake.callsTo('admin:resolveProblem')).toEqual([['restore_backup']]);
    expect(screen.getByText('Done. The kiosk restarts now.')).toBeTruthy();
  });

  it('a restore that fails says so plainly and logs main\'s reason', async () => {
    const fake = await pressRestore({ ok: false, error: { code: 'failed', message: 'No usable copy of the database to restore' } });
    expect(screen.getByText('That did not work. Export the diagnostics below and contact support.')).toBeTruthy();
    expect(document.body.textContent).not.toContain('No usable copy');
    expect(fake.callsTo('log:renderer').some(([entry]) => entry.message.includes('No usable copy'))).toBe(true);
  });
});

describe('admin notices', () => {
  it('shows problems that do not stop punching and asks to change a PIN shorter than 6 digits; never the keyring notice', async () => {
    const fake = createFakeKiosk({
      ...testInfo,
      problems: [
        { code: 'config_restored', blocking: false, detail: 'config.json is not valid JSON; it was moved to config.json.corrupt-x', at: '2026-11-27T09:00:00.000Z' },
        { code: 'secrets_unprotected', blocking: false, detail: 'No OS keyring', at: '2026-11-27T09:00:00.000Z' },
      ],
    });
    const state = withPin(fake);
    const app = await openAdmin(fake);
    state.status = { ...state.status, pinTooShort: true };
    fake.emit('admin:status', state.status);
    await app.flush();
    const notices = screen.getByTestId('admin-notices');
    expect(notices.textContent).toContain('The settings file was damaged.');
    expect(notices.textContent).toContain('The manager PIN has fewer than 6 digits.');
    expect(notices.textContent).not.toContain('keyring');
  });
});
