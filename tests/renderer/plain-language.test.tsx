// @vitest-environment jsdom
/**
 * Codes and developer messages from main never reach the screen as such: enrolment hints and
 * failure codes, setup reasons, invalid-argument rejections, PIN check failures, request failures
 * and diagnostics states become translated sentences; times show in the hotel's time zone.
 */
import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { KioskInfo } from '../../src/shared/domain/types';
import type { EnrolmentStep } from '../../src/shared/domain/enrolment';
import { config, openAdmin, typePin, withPin } from './support/admin';
import { createFakeKiosk, testInfo, type FakeKiosk } from './support/fake-kiosk';
import { renderApp, type RenderedApp, useKioskTestTime } from './support/render-app';

useKioskTestTime();

/** A kiosk whose admin area lists Tomasz (to enrol) and Jane (already enrolled). */
function enrolmentKiosk(info: KioskInfo = testInfo): FakeKiosk {
  const fake = createFakeKiosk(info);
  fake.handle('staff:list', () => [
    { id: 7, name: 'Jane Doe', department: 'Housekeeping', enrolled: true },
    { id: 8, name: 'Tomasz Nowak', department: 'Kitchen', enrolled: false },
  ]);
  fake.handle('enrol:list', () => [{ staffId: 7, name: 'Jane Doe', templates: 5, consentAt: null, registeredWithServer: true }]);
  fake.handle('enrol:start', ({ staffId }) => ({ state: 'capturing', staffId, captured: 0, needed: 5, hint: null }));
  return fake;
}

async function startEnrolment(app: RenderedApp, enrolLabel: string, agreeLabel: string, startLabel: string): Promise<void> {
  fireEvent.click(screen.getByRole('button', { name: enrolLabel }));
  await app.flush();
  fireEvent.click(screen.getByLabelText(agreeLabel));
  fireEvent.click(screen.getByRole('button', { name: startLabel }));
  await app.flush();
}

const capturing = (hint: string | null): EnrolmentStep => ({ state: 'capturing', staffId: 8, captured: 1, needed: 5, hint });
const failed = (reason: string): EnrolmentStep => ({ state: 'failed', staffId: 8, reason });
const caption = (): string => document.querySelector('.preview__caption')?.textContent ?? '';

describe('enrolment', () => {
  it('shows every hint main can send as an instruction, never the code', async () => {
    const app = await openAdmin(enrolmentKiosk());
    await startEnrolment(app, 'Enrol: Tomasz Nowak', 'Tomasz Nowak has read this and agrees', 'Start capture');
    const hints: [string, string][] = [
      ['turn_head_slightly', 'Turn your head slightly to one side'],
      ['no_face', 'Look straight at the camera'],
      ['move_closer', 'Please move closer'],
      ['face_camera', 'Please face the camera'],
      ['one_at_a_time', 'One person at a time, please'],
      ['something_new', 'Look at the camera and hold still'],
    ];
    for (const [hint, sentence] of hints) {
      await app.emit('enrol:progress', capturing(hint));
      expect(caption(), hint).toBe(sentence);
    }
  });

  it('explains every failure code, naming the person a face already belongs to', async () => {
    const app = await openAdmin(enrolmentKiosk());
    const failures: [string, string][] = [
      ['different_faces', 'A different face came into view.'],
      ['already_enrolled:7', 'This face is already enrolled as Jane Doe.'],
      ['already_enrolled:99', 'This face is already enrolled for another member of staff.'],
      ['no_good_frames', 'No clear picture of the face was taken.'],
      ['timeout', 'Enrolment took too long.'],
      ['storage_failed', 'The face could not be saved on this kiosk.'],
      ['consent_missing', 'Consent was not recorded'],
      ['a_code_from_a_newer_main', 'Enrolment could not be completed. Please start again.'],
    ];
    await startEnrolment(app, 'Enrol: Tomasz Nowak', 'Tomasz Nowak has read this and agrees', 'Start capture');
    for (const [reason, sentence] of failures) {
      await app.emit('enrol:progress', failed(reason));
      const text = screen.getByTestId('enrol-step').textContent ?? '';
      expect(text, reason).toContain('Enrolment did not finish. ');
      expect(text, reason).toContain(sentence);
      expect(text, reason).not.toContain(reason.split(':')[0]);
    }
  });

  it('a rejected enrol:start is a plain sentence too, in the chosen language', async () => {
    const fake = enrolmentKiosk();
    fake.handle('enrol:start', () => {
      throw new Error("Error invoking remote method 'kiosk:invoke': IpcRequestError: camera busy");
    });
    const app = await openAdmin(fake);
    await startEnrolment(app, 'Enrol: Tomasz Nowak', 'Tomasz Nowak has read this and agrees', 'Start capture');
    expect(screen.getByTestId('enrol-step').textContent).toBe('Enrolment did not finish. Enrolment could not be completed. Please start again.');
    expect(fake.callsTo('log:renderer').some(([entry]) => entry.message.includes('camera busy'))).toBe(true);
  });

  it('hints and failures are translated (Polish)', async () => {
    const app = await openAdmin(enrolmentKiosk());
    await app.emit('app:language', 'pl');
    await startEnrolment(app, 'Zarejestruj: Tomasz Nowak', 'Tomasz Nowak przeczytał(a) i wyraża zgodę', 'Rozpocznij nagrywanie');
    await app.emit('enrol:progress', capturing('turn_head_slightly'));
    expect(caption()).toBe('Obróć lekko głowę w bok');
    await app.emit('enrol:progress', failed('different_faces'));
    expect(screen.getByTestId('enrol-step').textContent).toContain('W kadrze pojawiła się inna twarz.');
  });
});

/** Opens Admin > Setup, fills the form's hotel, address and account, then presses Sign in. */
async function signIn(app: RenderedApp, slug: string, apiUrl: string): Promise<void> {
  fireEvent.click(screen.getByRole('tab', { name: 'Setup' }));
  await app.flush();
  fireEvent.change(screen.getByLabelText('Hotel slug'), { target: { value: slug } });
  fireEvent.change(screen.getByLabelText('HotelMate API URL'), { target: { value: apiUrl } });
  fireEvent.change(screen.getByLabelText('Kiosk account username'), { target: { value: 'kiosk' } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'secret' } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  await app.flush();
}

describe('setup', () => {
  const setupKiosk = (reasons: string[]): FakeKiosk => {
    const fake = createFakeKiosk({ ...testInfo, mode: 'setup', setupReasons: reasons });
    fake.handle('admin:status', () => ({ unlocked: true, pinSet: true, lockedUntil: null, attemptsLeft: 5 }));
    fake.handle('config:get', () => ({ ...config, hotel: { ...config.hotel, slug: '' }, api: { ...config.api, baseUrl: '' } }));
    fake.handle('camera:list', () => []);
    return fake;
  };

  it('turns main\'s reasons into instructions; a technical fault keeps its detail for support only', async () => {
    await renderApp(
      setupKiosk([
        'hotel.slug is not set',
        'api.baseUrl is not set',
        'the kiosk account is not signed in (no API token)',
        'no admin PIN is set',
        'Face recognition is unavailable: models/ missing',
        'SQLITE_CANTOPEN: unable to open database file',
        'something main will say one day',
      ]),
    );
    const list = screen.getByRole('region', { name: 'Why setup is needed' });
    const items = [...list.querySelectorAll('li')].map((li) => li.firstChild?.textContent);
    expect(items).toEqual([
      "Enter the hotel's short name on HotelMate (the hotel slug).",
      'Enter the address of the HotelMate API.',
      "Sign in with the kiosk's HotelMate account.",
      'Create a manager PIN.',
      'Face recognition could not start on this kiosk. Export the diagnostics and contact support.',
      'The punch database on this kiosk cannot be opened, so punches are refused. Export the diagnostics and contact support.',
      'Something on this kiosk needs attention. Export the diagnostics and contact support.',
    ]);
    expect(list.textContent).not.toContain('hotel.slug');
    expect(list.textContent).not.toContain('api.baseUrl');
    // The technical text sits behind "Details for support", not in the sentence.
    expect(list.querySelectorAll('details')).toHaveLength(3);
    expect(list.querySelector('details summary')?.textContent).toBe('Details for support');
  });

  /** A configured kiosk whose Admin > Setup form is blank. */
  const adminKiosk = (): FakeKiosk => {
    const fake = setupKiosk([]);
    fake.handle('app:info', () => testInfo);
    fake.handle('staff:list', () => []);
    fake.handle('enrol:list', () => []);
    return fake;
  };

  it('checks the API address and slug before signing in and says what to type at the field', async () => {
    const fake = adminKiosk();
    fake.handle('setup:signIn', () => ({ ok: true, accountName: 'kiosk', hotelName: 'Harbour View Hotel' }));
    await signIn(await openAdmin(fake), 'Harbour View', 'hotelmate');
    expect(fake.callsTo('setup:signIn')).toEqual([]);
    expect(screen.getByLabelText('HotelMate API URL').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Enter a full web address, for example https://hotel.example.com/api.')).toBeTruthy();
    expect(screen.getByText(/lower-case letters, digits and dashes/)).toBeTruthy();
    expect(screen.getByTestId('signin-result').textContent).toBe('Check the fields marked above.');
    expect(document.body.textContent).not.toMatch(/Invalid|apiBaseUrl|Error:/);
  });

  it('a request main refuses for a bad argument ("Invalid 0.apiBaseUrl: Invalid URL") lands on the field', async () => {
    const fake = adminKiosk();
    fake.handle('setup:signIn', () => {
      throw new Error('Invalid 0.apiBaseUrl: Invalid URL');
    });
    // Values the renderer's own check accepts; main is the one that refuses here.
    await signIn(await openAdmin(fake), 'harbour-view', 'https://hotel.example.com/api');
    expect(fake.callsTo('setup:signIn')).toHaveLength(1);
    expect(screen.getByText('Enter a full web address, for example https://hotel.example.com/api.')).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/Invalid|apiBaseUrl|Error:/);
  });

  it('the wizard turns a request main refuses for a bad argument into the field\'s instruction', async () => {
    const fake = setupKiosk([]);
    fake.handle('config:update', () => ({ ok: true, config }));
    fake.handle('setup:checkHotel', () => {
      throw new Error('Invalid 0.apiBaseUrl: Invalid URL');
    });
    const app = await renderApp(fake);
    for (let step = 0; step < 2; step += 1) {
      fireEvent.click(screen.getByTestId('wizard-next'));
      await app.flush();
      await app.flush();
    }
    fireEvent.change(screen.getByLabelText('HotelMate address'), { target: { value: 'https://hotel.example.com/api' } });
    fireEvent.change(screen.getByLabelText('Hotel short name'), { target: { value: 'harbour-view' } });
    fireEvent.click(screen.getByTestId('wizard-next'));
    await app.flush();
    await app.flush();
    expect(screen.getByText('Enter a full web address, for example https://hotel.example.com/api.')).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/Invalid|apiBaseUrl|Error:/);
  });

  it('the camera preview tells the installer how to fix a missing camera on this screen', async () => {
    const fake = adminKiosk();
    fake.handle('camera:status', () => ({
      state: 'no_device',
      deviceId: null,
      deviceLabel: null,
      message: 'No camera found. Plug in a USB camera or choose one in Admin > Setup.',
      fps: 0,
      restarts: 0,
    }));
    const app = await openAdmin(fake);
    fireEvent.click(screen.getByRole('tab', { name: 'Setup' }));
    await app.flush();
    expect(screen.getByText('No camera found. Plug in a USB camera, or choose another camera in the list above.')).toBeTruthy();
    expect(document.body.textContent).not.toContain('Admin > Setup');
  });
});

describe('manager area', () => {
  it('a PIN check that fails outright says so plainly and logs the detail', async () => {
    const fake = createFakeKiosk();
    withPin(fake);
    fake.handle('admin:unlock', () => {
      throw new Error('bridge disconnected');
    });
    const app = await renderApp(fake);
    fireEvent.click(screen.getByRole('button', { name: 'Open the manager area (PIN required)' }));
    await app.flush();
    await typePin(app, '135790');
    expect(screen.getByTestId('pin-message').textContent).toBe('The PIN could not be checked. Please try again.');
    expect(fake.callsTo('log:renderer').some(([entry]) => entry.message.includes('bridge disconnected'))).toBe(true);
  });

  it('a panel whose request is refused because the area locked itself says what to do', async () => {
    const fake = createFakeKiosk();
    fake.handle('staff:list', () => {
      throw new Error("Error invoking remote method 'kiosk:invoke': IpcRequestError: The admin area is locked");
    });
    fake.handle('enrol:list', () => []);
    await openAdmin(fake);
    expect(screen.getByText('The manager area has locked itself. Lock it and enter the PIN again.').getAttribute('role')).toBe('alert');
    expect(document.body.textContent).not.toContain('IpcRequestError');
  });

  it('diagnostics are in the chosen language with times in the hotel time zone', async () => {
    const fake = createFakeKiosk({ ...testInfo, timeZone: 'Europe/Warsaw' });
    fake.handle('staff:list', () => []);
    fake.handle('enrol:list', () => []);
    fake.handle('diagnostics:get', () => ({
      versions: { app: '0.1.0' },
      camera: { state: 'no_device', fps: 0, restarts: 2, device: null },
      face: { analysedFps: 7.5, stageMs: { detect: 21.4 }, decisions: 22, workerRestarts: 1 },
      queue: { pending: 5, needsReview: 1, synced: 40, oldestPendingAt: '2026-11-27T08:15:00Z' },
      jobs: { waiting: 0, running: 0, failed: 0, oldestWaitingAt: null, lastError: null, paused: null },
      sync: { api: 'offline', lastSyncAt: '2026-11-27T08:00:00Z', lastError: null },
      realtime: { state: 'connecting', events: 3, lastEventAt: null },
      health: { rendererRestarts: 0, watchdogRestarts: 0, uptimeSeconds: 7500 },
      recentErrors: [],
    }));
    const app = await openAdmin(fake);
    await app.emit('app:language', 'pl');
    fireEvent.click(screen.getByRole('tab', { name: 'Diagnostyka' }));
    await app.flush();
    const text = screen.getByTestId('diagnostics').textContent ?? '';
    expect(text).toContain('Brak podłączonej kamery · 0 klatek na sekundę · uruchomiona ponownie 2 razy · nie wybrano kamery');
    expect(text).toContain('7,5 klatki analizowanej na sekundę · 22 decyzje · silnik rozpoznawania uruchomiony ponownie 1 raz');
    expect(text).toContain('wykrywanie twarzy 21,4 ms');
    // 08:15 UTC is 09:15 in Warsaw.
    expect(text).toContain('5 oczekuje · 1 do sprawdzenia przez kierownika · 40 wysłanych · najstarsze oczekuje od 27 lis, 09:15');
    expect(text).toContain('Brak połączenia (odbicia są zachowane) · ostatnie odbicie wysłane 27 lis, 09:00');
    expect(text).toContain('Łączenie · odebrano 3 aktualizacje');
    expect(text).toContain('działa już 2 godz. 5 min');
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT|no_device|offline|connecting/);
  });

  it('the punch ledger shows times in the hotel time zone and says which', async () => {
    const fake = createFakeKiosk({ ...testInfo, timeZone: 'Europe/Warsaw' });
    fake.handle('staff:list', () => []);
    fake.handle('enrol:list', () => []);
    fake.handle('jobs:list', () => []);
    fake.handle('ledger:list', () => [
      { eventId: 'a', staffId: 7, staffName: 'Jane Doe', action: 'clock_in', occurredAt: '2026-11-27T07:58:00Z', syncState: 'synced', attempts: 1, lastError: null, syncedAt: '2026-11-27T07:58:01Z', delaySeconds: 1, flagged: false },
    ]);
    const app = await openAdmin(fake);
    fireEvent.click(screen.getByRole('tab', { name: 'Punches' }));
    await app.flush();
    expect(screen.getByTestId('ledger-table').textContent).toContain('27 Nov, 08:58');
    expect(screen.getByTestId('ledger-zone').textContent).toBe('Times are in the hotel time zone (Europe/Warsaw).');
  });
});
