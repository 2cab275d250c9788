// @vitest-environment jsdom
/** Manager PIN with lock-out, the admin area's panels, first-run setup, and renderer error forwarding. */
import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { LedgerRow } from '../../src/shared/domain/ledger';
import { ErrorBoundary, installErrorForwarding } from '../../src/renderer/src/components/ErrorBoundary';
import { config, openAdmin, typePin, withPin } from './support/admin';
import { createFakeKiosk, testConsent, testInfo } from './support/fake-kiosk';
import { renderApp, useKioskTestTime } from './support/render-app';

useKioskTestTime();

describe('manager PIN', () => {
  it('counts down attempts, then locks out with the time and unlocks the keypad after it', async () => {
    const fake = createFakeKiosk();
    withPin(fake);
    const app = await renderApp(fake);
    fireEvent.click(screen.getByRole('button', { name: 'Open the manager area (PIN required)' }));
    await app.flush();
    expect(document.body.dataset.screen).toBe('adminPin');
    expect((screen.getByRole('button', { name: 'Unlock' }) as HTMLButtonElement).disabled).toBe(true); // < 4 digits
    await typePin(app, '1111');
    expect(screen.getByTestId('pin-message').textContent).toBe('Wrong PIN. 2 attempts left.');
    await typePin(app, '1112');
    expect(screen.getByTestId('pin-message').textContent).toBe('Wrong PIN. 1 attempt left.');
    await typePin(app, '1113');
    expect(screen.getByTestId('pin-locked').textContent).toBe('Too many attempts. Try again after 09:10:00.');
    expect((screen.getByLabelText('Enter the manager PIN') as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: '5' }) as HTMLButtonElement).disabled).toBe(true);
    expect(document.body.dataset.screen).toBe('adminPin');
    // Main's lock-out ends at 09:10; keep the PIN screen open meanwhile and the keypad comes back.
    await app.emit('admin:status', { unlocked: false, pinSet: true, lockedUntil: '2026-11-27T09:05:50Z', attemptsLeft: 0 });
    expect(screen.getByTestId('pin-locked')).toBeTruthy();
    await app.advance(51_000);
    expect(screen.queryByTestId('pin-locked')).toBeNull();
    expect((screen.getByRole('button', { name: '5' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('the keypad enters digits and the right PIN opens the admin area; locking returns to idle', async () => {
    const fake = createFakeKiosk();
    withPin(fake);
    const app = await renderApp(fake);
    fireEvent.click(screen.getByRole('button', { name: 'Open the manager area (PIN required)' }));
    await app.flush();
    for (const d of ['2', '4', '6', '9']) fireEvent.click(screen.getByRole('button', { name: d }));
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    fireEvent.click(screen.getByRole('button', { name: '8' }));
    await app.flush();
    fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    await app.flush();
    await app.flush();
    expect(fake.callsTo('admin:unlock')).toEqual([['2468']]);
    expect(document.body.dataset.screen).toBe('admin');
    fireEvent.click(screen.getByRole('button', { name: 'Lock and return' }));
    await app.flush();
    expect(document.body.dataset.screen).toBe('idle');
    expect(fake.callsTo('admin:lock').length).toBe(1);
  });

  it('the PIN screen gives up after a minute untouched', async () => {
    const fake = createFakeKiosk();
    withPin(fake);
    const app = await renderApp(fake);
    fireEvent.click(screen.getByRole('button', { name: 'Open the manager area (PIN required)' }));
    await app.flush();
    await app.advance(60_000);
    expect(document.body.dataset.screen).toBe('idle');
  });
});

describe('admin area', () => {
  it('tabs are keyboard operable', async () => {
    const fake = createFakeKiosk();
    fake.handle('staff:list', () => []);
    fake.handle('enrol:list', () => []);
    fake.handle('ledger:list', () => []);
    fake.handle('jobs:list', () => []);
    const app = await openAdmin(fake);
    const staffTab = screen.getByRole('tab', { name: 'Enrolment' });
    expect(staffTab.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(staffTab, { key: 'ArrowRight' });
    await app.flush();
    const ledgerTab = screen.getByRole('tab', { name: 'Punches' });
    expect(ledgerTab.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(ledgerTab);
  });

  it('enrols with the consent text shown and confirmed, following enrol:progress', async () => {
    const fake = createFakeKiosk();
    let enrolled = false;
    fake.handle('staff:list', () => [
      { id: 7, name: 'Jane Doe', department: 'Housekeeping', enrolled },
      { id: 8, name: 'Tomasz Nowak', department: 'Kitchen', enrolled: false },
    ]);
    fake.handle('enrol:list', () =>
      enrolled ? [{ staffId: 8, name: 'Tomasz Nowak', templates: 5, consentAt: '2026-11-27T09:05:00Z', registeredWithServer: false }] : [],
    );
    fake.handle('enrol:start', ({ staffId }) => ({ state: 'capturing', staffId, captured: 0, needed: 5, hint: 'Look straight ahead' }));
    const app = await openAdmin(fake);
    fireEvent.click(screen.getByRole('button', { name: 'Enrol: Tomasz Nowak' }));
    await app.flush();
    expect(screen.getByTestId('consent').textContent).toContain('mathematical template of your face');
    const start = screen.getByRole('button', { name: 'Start capture' }) as HTMLButtonElement;
    expect(start.disabled).toBe(true);
    fireEvent.click(screen.getByLabelText('Tomasz Nowak has read this and agrees'));
    await app.flush();
    fireEvent.click(screen.getByRole('button', { name: 'Start capture' }));
    await app.flush();
    // The consent shown (main's text in the screen's language) is the one named when starting.
    expect(fake.callsTo('enrol:start')).toEqual([[{ staffId: 8, consent: true, consentLanguage: 'en', consentHash: testConsent('en').hash }]]);
    expect(screen.getByTestId('enrol-step').textContent).toBe('Capturing 0 of 5');
    await app.emit('enrol:progress', { state: 'capturing', staffId: 8, captured: 3, needed: 5, hint: null });
    expect(screen.getByTestId('enrol-step').textContent).toBe('Capturing 3 of 5');
    enrolled = true;
    await app.emit('enrol:progress', { state: 'done', staffId: 8, templates: 5, registeredWithServer: false, queued: true });
    expect(screen.getByTestId('enrol-step').textContent).toContain('Enrolled with 5 face templates');
    expect(screen.getByTestId('enrol-step').textContent).toContain('Will be registered with HotelMate when online');
    expect(screen.getByTestId('enrolled').textContent).toContain('Tomasz Nowak');
  });

  it('removes an enrolled person after a confirmation', async () => {
    const fake = createFakeKiosk();
    let people = [{ staffId: 7, name: 'Jane Doe', templates: 4, consentAt: null, registeredWithServer: true }];
    fake.handle('staff:list', () => []);
    fake.handle('enrol:list', () => people);
    fake.handle('enrol:remove', (id) => {
      people = people.filter((p) => p.staffId !== id);
      return { ok: true };
    });
    const app = await openAdmin(fake);
    fireEvent.click(screen.getByRole('button', { name: 'Remove: Jane Doe' }));
    await app.flush();
    expect(screen.getByText('Remove Jane Doe?')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Yes' }));
    await app.flush();
    await app.flush();
    expect(fake.callsTo('enrol:remove')).toEqual([[7]]);
    expect(screen.getByText('Nobody enrolled yet')).toBeTruthy();
  });

  it('shows punches by state with review reasons, every late sync with its delay, unrostered reasons, and exports CSV', async () => {
    const fake = createFakeKiosk();
    const rows: LedgerRow[] = [
      { eventId: 'a', staffId: 7, staffName: 'Jane Doe', action: 'clock_in', occurredAt: '2026-11-27T08:00:00Z', syncState: 'synced', attempts: 3, lastError: null, syncedAt: '2026-11-27T08:42:00Z', delaySeconds: 2520, flagged: false },
      { eventId: 'b', staffId: 8, staffName: null, action: 'start_break', occurredAt: '2026-11-27T08:30:00Z', syncState: 'needs_review', attempts: 1, lastError: 'No active clock-in found', syncedAt: null, delaySeconds: null, flagged: true },
      { eventId: 'c', staffId: 9, staffName: 'Ana Ruiz', action: 'clock_in', occurredAt: '2026-11-27T08:50:00Z', syncState: 'synced', attempts: 2, lastError: null, syncedAt: '2026-11-27T08:50:41Z', delaySeconds: 41, flagged: false, reason: 'Covering for a colleague' },
      { eventId: 'd', staffId: 7, staffName: 'Jane Doe', action: 'start_break', occurredAt: '2026-11-27T09:00:00Z', syncState: 'synced', attempts: 1, lastError: null, syncedAt: '2026-11-27T09:00:00.400Z', delaySeconds: 0.4, flagged: false },
      { eventId: 'e', staffId: 9, staffName: 'Ana Ruiz', action: 'start_break', occurredAt: '2026-11-27T09:01:00Z', syncState: 'pending', attempts: 2, lastError: 'connect ECONNREFUSED 127.0.0.1:8000', syncedAt: null, delaySeconds: null, flagged: false },
    ];
    fake.handle('ledger:list', (q) => (q.state ? rows.filter((r) => r.syncState === q.state) : rows));
    fake.handle('jobs:list', () => []);
    fake.handle('ledger:exportCsv', () => ({ csv: 'event_id,staff_id\na,7\n' }));
    const created: Blob[] = [];
    URL.createObjectURL = vi.fn((blob: Blob) => {
      created.push(blob);
      return 'blob:punches';
    });
    URL.revokeObjectURL = vi.fn();
    const app = await openAdmin(fake);
    fireEvent.click(screen.getByRole('tab', { name: 'Punches' }));
    await app.flush();
    const table = screen.getByTestId('ledger-table').textContent ?? '';
    const late = screen.getAllByTestId('ledger-late').map((el) => el.textContent);
    // Every late sync is marked, the 41 s one too, with the time HotelMate recorded; the 0.4 s one is not late.
    expect(late).toHaveLength(2);
    expect(late[0]).toMatch(/^Reached HotelMate 42 mins? late \(HotelMate shows 08:42:00\)$/);
    expect(late[1]).toMatch(/^Reached HotelMate 41 secs? late \(HotelMate shows 08:50:41\)$/);
    expect(screen.getByTestId('ledger-reason').textContent).toBe('Reason: Covering for a colleague');
    expect(table).toContain('No active clock-in found');
    // A waiting punch says what happens next, not the network error.
    expect(table).toContain('Will try again (tried 2 times)');
    expect(table).not.toContain('ECONNREFUSED');
    expect(table).toContain('Needs review · flagged');
    expect(table).toContain('#8');
    fireEvent.change(screen.getByTestId('ledger-filter'), { target: { value: 'needs_review' } });
    await app.flush();
    expect(fake.callsTo('ledger:list').at(-1)).toEqual([{ state: 'needs_review', limit: 200 }]);
    expect(screen.getByTestId('ledger-table').textContent).not.toContain('Jane Doe');
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await app.flush();
    const link = screen.getByTestId('csv-link');
    expect(link.getAttribute('href')).toBe('blob:punches');
    expect(link.getAttribute('download')).toBe('punches.csv');
    expect(created[0].size).toBe('event_id,staff_id\na,7\n'.length);
    expect(created[0].type).toBe('text/csv;charset=utf-8');
  });

  it('a flagged punch shows its liveness note, and its audit photo only when the manager asks for it', async () => {
    const fake = createFakeKiosk();
    const note = 'looked like a photo or a screen: p(real) 0.12 (MiniFASNetV2 0.08, V1SE 0.16) over 9 frames; turned the head to the left on cue (18 degrees, attempt 1)';
    fake.handle('ledger:list', () => [
      { eventId: 'f', staffId: 7, staffName: 'Jane Doe', action: 'clock_in', occurredAt: '2026-11-27T08:00:00Z', syncState: 'synced', attempts: 1, lastError: null, syncedAt: '2026-11-27T08:00:01Z', delaySeconds: 1, flagged: true, reviewNote: note, hasSnapshot: true },
      { eventId: 'g', staffId: 9, staffName: 'Ana Ruiz', action: 'clock_in', occurredAt: '2026-11-27T08:10:00Z', syncState: 'synced', attempts: 1, lastError: null, syncedAt: '2026-11-27T08:10:01Z', delaySeconds: 1, flagged: false, reviewNote: null, hasSnapshot: false },
    ]);
    fake.handle('jobs:list', () => []);
    fake.handle('ledger:snapshot', () => ({ dataUrl: 'data:image/jpeg;base64,/9j/AA==' }));
    const app = await openAdmin(fake);
    fireEvent.click(screen.getByRole('tab', { name: 'Punches' }));
    await app.flush();
    expect(screen.getByTestId('ledger-review-note').textContent).toBe(note);
    expect(screen.queryByTestId('ledger-snapshot')).toBeNull();
    expect(fake.callsTo('ledger:snapshot')).toEqual([]);
    expect(screen.getAllByTestId('ledger-show-snapshot')).toHaveLength(1);
    fireEvent.click(screen.getByTestId('ledger-show-snapshot'));
    await app.flush();
    expect(fake.callsTo('ledger:snapshot')).toEqual([['f']]);
    const img = screen.getByTestId('ledger-snapshot');
    expect(img.getAttribute('src')).toBe('data:image/jpeg;base64,/9j/AA==');
    expect(img.getAttribute('alt')).toBe('Face of Jane Doe at the punch');
  });

  it('diagnostics show the figures and export to a path', async () => {
    const fake = createFakeKiosk();
    fake.handle('staff:list', () => []);
    fake.handle('enrol:list', () => []);
    fake.handle('diagnostics:get', () => ({
      versions: { app: '0.1.0', electron: '41.7.1' },
      camera: { state: 'streaming', fps: 14.8, restarts: 0, device: '/dev/video0' },
      face: { analysedFps: 7.5, stageMs: { detect: 21.4, descriptor: 30.2 }, decisions: 12, workerRestarts: 0 },
      queue: { pending: 2, needsReview: 1, synced: 40, oldestPendingAt: null },
      jobs: { waiting: 0, running: 0, failed: 0, oldestWaitingAt: null, lastError: null, paused: null },
      sync: { api: 'online', lastSyncAt: '2026-11-27T09:00:00Z', lastError: null },
      realtime: { state: 'connected', events: 5, lastEventAt: null },
      health: { rendererRestarts: 0, watchdogRestarts: 0, uptimeSeconds: 3600 },
      recentErrors: [],
    }));
    fake.handle('diagnostics:export', (path) => ({ ok: true, path }));
    const app = await openAdmin(fake);
    fireEvent.click(screen.getByRole('tab', { name: 'Diagnostics' }));
    await app.flush();
    const text = screen.getByTestId('diagnostics').textContent ?? '';
    expect(text).toContain('Working · 14.8 pictures per second · restarted 0 times · /dev/video0');
    expect(text).toContain('finding the face 21.4 ms');
    expect(text).toContain('2 waiting · 1 needs a manager · 40 sent');
    expect(text).toContain('Online · last punch sent 27 Nov, 09:00');
    expect(text).toContain('running for 1 hr');
    expect(text).toContain('electron 41.7.1');
    fireEvent.change(screen.getByLabelText('Export to folder'), { target: { value: '/tmp' } });
    fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    await app.flush();
    expect(screen.getByText('Written to /tmp')).toBeTruthy();
  });

  it('forgetting the kiosk needs the typed confirmation; exit is offered', async () => {
    const fake = createFakeKiosk();
    fake.handle('staff:list', () => []);
    fake.handle('enrol:list', () => []);
    fake.handle('app:forgetKiosk', () => ({ ok: true }));
    fake.handle('app:exit', () => ({ ok: true }));
    const app = await openAdmin(fake);
    fireEvent.click(screen.getByRole('tab', { name: 'System' }));
    await app.flush();
    const forget = screen.getByRole('button', { name: 'Forget kiosk' }) as HTMLButtonElement;
    expect(forget.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Type FORGET'), { target: { value: 'forget' } });
    await app.flush();
    expect(forget.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Type FORGET'), { target: { value: 'FORGET' } });
    await app.flush();
    fireEvent.click(forget);
    await app.flush();
    expect(fake.callsTo('app:forgetKiosk')).toEqual([['FORGET']]);
    fireEvent.click(screen.getByRole('button', { name: 'Exit kiosk mode' }));
    await app.flush();
    expect(fake.callsTo('app:exit').length).toBe(1);
  });

  it('setup: the liveness mode and the audit snapshots are chosen and saved, with what no mode stops', async () => {
    const fake = createFakeKiosk();
    fake.handle('config:get', () => config);
    fake.handle('camera:list', () => []);
    fake.handle('config:update', () => ({ ok: true, config }));
    const app = await openAdmin(fake);
    fireEvent.click(screen.getByRole('tab', { name: 'Setup' }));
    await app.flush();
    const select = screen.getByTestId('liveness-mode') as HTMLSelectElement;
    expect(select.value).toBe('challenge_when_doubtful');
    expect([...select.options].map((o) => o.textContent)).toEqual([
      'Off: photos and screens are not stopped',
      'Passive: refuse clear photos and screens',
      'Passive, and a small head turn when in doubt (recommended)',
      'A small head turn at every recognition (strict)',
    ]);
    expect(screen.getByText(/No mode stops a paper mask worn over a face/)).toBeTruthy();
    fireEvent.change(select, { target: { value: 'always_challenge' } });
    fireEvent.click(screen.getByRole('checkbox', { name: /Keep an encrypted photo of the face/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await app.flush();
    expect(fake.callsTo('config:update').at(-1)?.[0]).toMatchObject({ recognition: { liveness: 'always_challenge', auditSnapshots: true } });
  });

  it('setup saves the config and shows field errors; sign-in explains failures', async () => {
    const fake = createFakeKiosk();
    fake.handle('staff:list', () => []);
    fake.handle('enrol:list', () => []);
    fake.handle('config:get', () => config);
    fake.handle('camera:list', () => [{ id: '/dev/video0', label: 'USB camera', kind: 'v4l2', formats: ['mjpeg'] }]);
    let updates = 0;
    fake.handle('config:update', (patch) => {
      updates += 1;
      return updates === 1
        ? { ok: false, errors: [{ field: 'hotel.slug', message: 'must be lowercase letters, digits, - or _' }] }
        : { ok: true, config: { ...config, camera: { ...config.camera, device: String((patch.camera as { device: string }).device) } } };
    });
    fake.handle('setup:signIn', () => ({ ok: false, error: { code: 'bad_credentials', message: '401 Unauthorized' } }));
    const app = await openAdmin(fake);
    fireEvent.click(screen.getByRole('tab', { name: 'Setup' }));
    await app.flush();
    fireEvent.click(screen.getByRole('radio', { name: /USB camera/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await app.flush();
    // Main's zod message stays in its log; the field says what to type.
    expect(screen.queryByText(/must be lowercase/)).toBeNull();
    expect(screen.getByText(/lower-case letters, digits and dashes, for example hotel-killarney/)).toBeTruthy();
    expect(screen.getByTestId('setup-errors').textContent).toBe('The settings were not saved. Check the fields marked above.');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await app.flush();
    expect(screen.getByText('Saved')).toBeTruthy();
    const patch = fake.callsTo('config:update').at(-1)?.[0] as { camera: { device: string }; api: { baseUrl: string } };
    expect(patch.camera.device).toBe('/dev/video0');
    expect(JSON.stringify(patch)).not.toContain('token');
    fireEvent.change(screen.getByLabelText('Kiosk account username'), { target: { value: 'kiosk' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'secret' } });
    await app.flush();
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await app.flush();
    expect(fake.callsTo('setup:signIn')).toEqual([
      [{ apiBaseUrl: 'http://127.0.0.1:8000/api', hotelSlug: 'harbour-view', username: 'kiosk', password: 'secret' }],
    ]);
    expect(screen.getByTestId('signin-result').textContent).toBe('Wrong username or password.');
    expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe('');
  });

  it('leaves the admin area by itself after five idle minutes', async () => {
    const fake = createFakeKiosk();
    fake.handle('staff:list', () => []);
    fake.handle('enrol:list', () => []);
    const app = await openAdmin(fake);
    await app.advance(300_000);
    expect(document.body.dataset.screen).toBe('idle');
    expect(fake.callsTo('admin:lock').length).toBe(1);
  });
});

describe('first run (the wizard itself: setup-wizard.test.tsx)', () => {
  it('asks for the existing PIN before showing setup when one is set', async () => {
    const fake = createFakeKiosk({ ...testInfo, mode: 'setup', setupReasons: ['camera.device: unknown device'] });
    withPin(fake);
    await renderApp(fake);
    expect(screen.getByLabelText('Enter the manager PIN')).toBeTruthy();
    expect(screen.queryByLabelText('HotelMate API URL')).toBeNull();
  });
});

describe('renderer errors reach the main log', () => {
  it('uncaught errors and unhandled rejections are forwarded', async () => {
    const fake = createFakeKiosk();
    const remove = installErrorForwarding(fake.api);
    window.dispatchEvent(new ErrorEvent('error', { message: 'boom', error: new Error('boom') }));
    const rejection = new Event('unhandledrejection') as PromiseRejectionEvent;
    Object.defineProperty(rejection, 'reason', { value: new Error('nope') });
    window.dispatchEvent(rejection);
    remove();
    window.dispatchEvent(new ErrorEvent('error', { message: 'after removal' }));
    const logged = fake.callsTo('log:renderer').map(([entry]) => entry);
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatchObject({ level: 'error', message: 'uncaught: boom: boom' });
    expect(logged[0].stack).toContain('Error: boom');
    expect(logged[1]).toMatchObject({ level: 'error', message: 'unhandled rejection: nope' });
  });

  it('the error boundary reports a render error and offers a restart', async () => {
    const fake = createFakeKiosk();
    let broken = true;
    function Fragile(): React.JSX.Element {
      if (broken) throw new Error('bad render');
      return <p>fine again</p>;
    }
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    render(
      <ErrorBoundary api={fake.api}>
        <Fragile />
      </ErrorBoundary>,
    );
    quiet.mockRestore();
    expect(screen.getByRole('alert').textContent).toContain('Something went wrong on this screen');
    expect(fake.callsTo('log:renderer')[0][0].message).toContain('render error');
    expect(fake.callsTo('log:renderer')[0][0].message).toContain('bad render');
    broken = false;
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Restart screen' }));
    });
    expect(screen.getByText('fine again')).toBeTruthy();
  });
});
