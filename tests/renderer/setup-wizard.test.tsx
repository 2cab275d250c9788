// @vitest-environment jsdom
/**
 * The setup wizard: one question per step with Back, Next and the progress; each answer checked
 * at its field in plain words before going on; the PIN, the hotel (checked with HotelMate), the
 * sign-in, the time zone (searched), the camera (a choice that can be undone), the liveness mode
 * (the recommended one unless changed) saved as it goes;
 * the test punch at the end with a way back to the step to fix. Also its pure rules.
 */
import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AdminStatus, PublicConfig } from '../../src/shared/domain/admin';
import type { TestPunchReport } from '../../src/shared/domain/setup';
import type { CameraDevice, CameraStatus } from '../../src/shared/domain/types';
import { cameraChoices, forgetSeenCameras, rememberCameras } from '../../src/renderer/src/admin/CameraPicker';
import { matchTimeZones } from '../../src/renderer/src/admin/TimeZonePicker';
import { checkTextKey, fieldOfRejection, hotelProblems, newPinProblem } from '../../src/renderer/src/admin/wizard/wizard-logic';
import { config, openAdmin } from './support/admin';
import { createFakeKiosk, testInfo, type FakeKiosk } from './support/fake-kiosk';
import { renderApp, type RenderedApp, useKioskTestTime } from './support/render-app';

useKioskTestTime();

const usb: CameraDevice = { id: '/dev/video0', label: 'USB camera', kind: 'v4l2', formats: ['mjpeg'] };
const streaming = (deviceId: string): CameraStatus => ({ state: 'streaming', deviceId, deviceLabel: null, message: null, fps: 15, restarts: 0 });

describe('wizard rules', () => {
  it('a new PIN has 6 to 12 digits, typed the same twice', () => {
    expect(newPinProblem('12345', '12345')).toEqual({ field: 'pin', key: 'setup.pinInvalid' });
    expect(newPinProblem('1234567890123', '1234567890123')).toEqual({ field: 'pin', key: 'setup.pinInvalid' });
    expect(newPinProblem('135790', '135791')).toEqual({ field: 'again', key: 'setup.pinMismatch' });
    expect(newPinProblem('135790', '135790')).toBeNull();
  });

  it('the hotel address must be a web address and the short name HotelMate\'s kind', () => {
    expect(hotelProblems('hotelmate', 'Harbour View')).toEqual({ apiBaseUrl: 'setup.field.apiUrl', hotelSlug: 'setup.field.slug' });
    expect(hotelProblems('ftp://x.ie', 'harbour-view')).toEqual({ apiBaseUrl: 'setup.field.apiUrl' });
    expect(hotelProblems('https://hm.example/api', 'harbour-view')).toEqual({});
    expect(fieldOfRejection(new Error('Invalid 0.apiBaseUrl: Invalid URL'))).toBe('apiBaseUrl');
    expect(fieldOfRejection(new Error('bridge disconnected'))).toBeNull();
  });

  it('every check outcome has a sentence; an unknown code gets the generic one', () => {
    expect(checkTextKey({ id: 'camera', result: 'failed', code: 'no_pictures' })).toBe('check.camera.no_pictures');
    expect(checkTextKey({ id: 'hotelmate', result: 'failed', code: 'not_found' })).toBe('wizard.err.not_found');
    expect(checkTextKey({ id: 'pusher', result: 'failed', code: 'offline' })).toBe('check.pusher.not_connected');
    expect(checkTextKey({ id: 'camera', result: 'failed', code: 'something_new' })).toBe('check.other');
  });

  it('time zones are found by city, region or long name, the city first', () => {
    const zones = ['America/Argentina/Buenos_Aires', 'Europe/Dublin', 'Europe/Warsaw', 'Europe/Madrid', 'Atlantic/Madeira'];
    expect(matchTimeZones('dublin', zones, 'en-IE')).toEqual(['Europe/Dublin']);
    expect(matchTimeZones('buenos aires', zones, 'en-IE')).toEqual(['America/Argentina/Buenos_Aires']);
    expect(matchTimeZones('mad', zones, 'en-IE')).toEqual(['Atlantic/Madeira', 'Europe/Madrid']);
    expect(matchTimeZones('madr', zones, 'en-IE')).toEqual(['Europe/Madrid']);
    // The long name in the screen's language: Dublin is on Greenwich Mean Time in November.
    expect(matchTimeZones('greenwich', zones, 'en-IE')).toEqual(['Europe/Dublin']);
    expect(matchTimeZones('warszawa', zones, 'pl-PL')).toEqual([]);
    expect(matchTimeZones('', zones, 'en-IE')).toEqual([]);
  });

  it('the camera list keeps every camera seen and the configured one, marks the one in use', () => {
    forgetSeenCameras();
    rememberCameras([usb, { id: '/dev/video2', label: 'Logitech C920', kind: 'v4l2', formats: [] }]);
    // Later the Logitech is unplugged and the kiosk is set to Automatic: both cameras stay offered.
    const choices = cameraChoices([usb], ['/dev/video2', 'auto'], streaming('/dev/video0'));
    expect(choices.map((c) => [c.id, c.connected, c.inUse])).toEqual([
      ['auto', true, false],
      ['/dev/video0', true, true],
      ['/dev/video2', false, false],
    ]);
    // A demo file configured before it was ever listed.
    expect(cameraChoices([], ['file:/tmp/demo.mp4'], null).map((c) => c.label)).toEqual(['', 'USB camera', 'Logitech C920', '/tmp/demo.mp4']);
  });
});

interface WizardWorld {
  fake: FakeKiosk;
  saved: () => PublicConfig;
  status: () => AdminStatus;
}

/** A first-run kiosk: no PIN, nothing configured; main's answers as the real handlers give them. */
function firstRun(report: TestPunchReport): WizardWorld {
  const fake = createFakeKiosk({ ...testInfo, mode: 'setup', setupReasons: ['no admin PIN is set', 'hotel.slug is not set'] });
  let status: AdminStatus = { unlocked: false, pinSet: false, lockedUntil: null, attemptsLeft: 5 };
  let saved: PublicConfig = { ...config, hotel: { slug: '', name: '', timeZone: 'Europe/Dublin' }, api: { baseUrl: '', hasToken: false, accountName: null } };
  fake.handle('admin:status', () => status);
  fake.handle('admin:setPin', () => {
    status = { ...status, pinSet: true };
    return { ok: true };
  });
  fake.handle('admin:unlock', (pin) => {
    if (pin !== '246810') return { ok: false, error: { code: 'wrong_pin', message: 'wrong' } };
    status = { ...status, unlocked: true };
    return { ok: true, status };
  });
  fake.handle('config:get', () => saved);
  fake.handle('config:update', (patch) => {
    const p = patch as {
      hotel?: Partial<PublicConfig['hotel']>;
      api?: Partial<PublicConfig['api']>;
      camera?: Partial<PublicConfig['camera']>;
      ui?: Partial<PublicConfig['ui']>;
      recognition?: Partial<PublicConfig['recognition']>;
    };
    saved = {
      ...saved,
      hotel: { ...saved.hotel, ...p.hotel },
      api: { ...saved.api, ...p.api },
      camera: { ...saved.camera, ...p.camera },
      ui: { ...saved.ui, ...p.ui },
      recognition: { ...saved.recognition, ...p.recognition },
    };
    return { ok: true, config: saved };
  });
  fake.handle('setup:checkHotel', ({ apiBaseUrl, hotelSlug }) => {
    if (!apiBaseUrl.startsWith('https://hm.example')) return { ok: false, error: { code: 'unreachable', message: 'ECONNREFUSED' } };
    if (hotelSlug !== 'harbour-view') return { ok: false, error: { code: 'not_found', message: 'HTTP 404' } };
    return { ok: true, faceAttendanceEnabled: false };
  });
  fake.handle('setup:signIn', ({ password }) => {
    if (password !== 'Kiosk1!') return { ok: false, error: { code: 'bad_credentials', message: '401' } };
    saved = { ...saved, api: { ...saved.api, hasToken: true, accountName: 'kiosk.lobby' } };
    return { ok: true, accountName: 'kiosk.lobby', hotelName: 'Harbour View Hotel' };
  });
  fake.handle('camera:list', () => [usb]);
  fake.handle('camera:status', () => streaming('/dev/video0'));
  fake.handle('setup:testPunch', () => report);
  return { fake, saved: () => saved, status: () => status };
}

const question = (): string => document.getElementById('wizard-question')?.textContent ?? '';
const progress = (): string => screen.getByTestId('wizard-progress').textContent ?? '';
const fieldError = (label: string): string => {
  const input = screen.getByLabelText(label);
  const ids = (input.getAttribute('aria-describedby') ?? '').split(' ');
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' | ');
};

async function next(app: RenderedApp): Promise<void> {
  fireEvent.click(screen.getByTestId('wizard-next'));
  await app.flush();
  await app.flush();
}

async function type(app: RenderedApp, label: string, value: string): Promise<void> {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
  await app.flush();
}

function keys(...names: string[]): void {
  const board = screen.getByRole('group', { name: 'On-screen keyboard' });
  for (const name of names) {
    const button = [...board.querySelectorAll('button')].find((b) => b.textContent === name);
    if (!button) throw new Error(`no key ${name}`);
    fireEvent.click(button);
  }
}

const failingReport: TestPunchReport = {
  ok: false,
  at: '2026-11-27T09:06:00Z',
  checks: [
    { id: 'camera', result: 'ok', code: 'pictures' },
    { id: 'faceModels', result: 'ok', code: 'no_face' },
    { id: 'hotelmate', result: 'ok', code: 'reachable' },
    { id: 'faceAttendance', result: 'failed', code: 'disabled' },
    { id: 'account', result: 'ok', code: 'accepted' },
    { id: 'pusher', result: 'skipped', code: 'off' },
  ],
};

describe('the first run, one question at a time', () => {
  it('walks from the language to the test punch, checking each answer at its field', async () => {
    const world = firstRun(failingReport);
    const app = await renderApp(world.fake);
    expect(document.body.dataset.screen).toBe('setup');

    // 1. Language: choosing one switches the screen at once and is saved as the default.
    expect(progress()).toBe('Step 1 of 8');
    expect(question()).toBe('Which language should the kiosk speak?');
    expect(screen.getByRole('button', { name: 'Back' }).hasAttribute('disabled')).toBe(true);
    fireEvent.click(screen.getByRole('radio', { name: 'Polski' }));
    await app.flush();
    expect(world.fake.callsTo('app:setLanguage')).toEqual([['pl']]);
    await app.emit('app:language', 'pl');
    expect(question()).toBe('W jakim języku ma mówić kiosk?');
    fireEvent.click(screen.getByRole('radio', { name: 'English' }));
    await app.emit('app:language', 'en');
    await next(app);
    expect(world.saved().ui.language).toBe('en');

    // 2. PIN: six digits at least, the same twice, typed on the number pad.
    expect(progress()).toBe('Step 2 of 8');
    expect(question()).toBe('Choose a manager PIN');
    act(() => (screen.getByLabelText('New PIN (6 to 12 digits)') as HTMLInputElement).focus());
    keys('2', '4', '6', '8');
    await next(app);
    expect(fieldError('New PIN (6 to 12 digits)')).toBe('The PIN must be 6 to 12 digits.');
    keys('1', '0');
    await type(app, 'Repeat the PIN', '246811');
    await next(app);
    expect(fieldError('Repeat the PIN')).toBe('The two PINs are different.');
    expect(world.fake.callsTo('admin:setPin')).toEqual([]);
    await type(app, 'Repeat the PIN', '246810');
    await next(app);
    // The PIN is set and the manager session opened with it (the first PIN does not open it by itself).
    expect(world.fake.callsTo('admin:setPin')).toEqual([['246810']]);
    expect(world.fake.callsTo('admin:unlock')).toEqual([['246810']]);

    // 3. Hotel: checked here first, then with HotelMate, each problem at its field.
    expect(question()).toBe('Where is your hotel on HotelMate?');
    await type(app, 'HotelMate address', 'hotelmate');
    await type(app, 'Hotel short name', 'Harbour View');
    await next(app);
    expect(fieldError('HotelMate address')).toContain('Enter a full web address, for example https://hotel.example.com/api.');
    // The short name is lower-cased as it is typed; the space is not allowed.
    expect(fieldError('Hotel short name')).toContain('lower-case letters, digits and dashes');
    expect(world.fake.callsTo('setup:checkHotel')).toEqual([]);
    await type(app, 'HotelMate address', 'https://elsewhere.example/api');
    await type(app, 'Hotel short name', 'harbour-view');
    await next(app);
    expect(fieldError('HotelMate address')).toContain('HotelMate did not answer at this address.');
    await type(app, 'HotelMate address', 'https://hm.example/api');
    await type(app, 'Hotel short name', 'harbour-vue');
    await next(app);
    expect(fieldError('Hotel short name')).toContain('HotelMate does not know a hotel with this short name.');
    await type(app, 'Hotel short name', 'harbour-view');
    await next(app);
    expect(world.saved().hotel.slug).toBe('harbour-view');
    expect(world.saved().api.baseUrl).toBe('https://hm.example/api');
    // HotelMate said face attendance is off: said plainly, without holding the installer up.
    expect(screen.getByTestId('wizard-note').textContent).toContain('Face attendance is turned off for this hotel in HotelMate');

    // 4. Account: Next needs a sign-in; a wrong password is said at the field.
    expect(question()).toBe("Sign in with the kiosk's HotelMate account");
    await next(app);
    expect(fieldError('Kiosk account username')).toBe('Sign in before going on.');
    await type(app, 'Kiosk account username', 'kiosk.lobby');
    await type(app, 'Password', 'wrong');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await app.flush();
    expect(fieldError('Password')).toBe('Wrong username or password.');
    expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe('');
    await type(app, 'Password', 'Kiosk1!');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await app.flush();
    expect(screen.getByTestId('signin-result').textContent).toBe('Signed in as kiosk.lobby for Harbour View Hotel');
    await next(app);

    // 5. Time zone: searched with the keyboard, the time there shown.
    expect(question()).toBe('Which time zone is the hotel in?');
    expect(screen.getByTestId('timezone-current').textContent).toBe('Time zone: Europe / Dublin (now 09:05)');
    act(() => (screen.getByLabelText('Search for a city or region') as HTMLInputElement).focus());
    keys('w', 'a', 'r', 's');
    await app.flush();
    fireEvent.click(screen.getByRole('radio', { name: 'Europe / Warsaw · 10:05' }));
    await app.flush();
    expect(screen.getByTestId('timezone-current').textContent).toBe('Time zone: Europe / Warsaw (now 10:05)');
    await next(app);
    expect(world.saved().hotel.timeZone).toBe('Europe/Warsaw');

    // 6. Camera: with the live picture; the list is radio options.
    expect(question()).toBe('Which camera should the kiosk use?');
    expect(within(screen.getByTestId('camera-picker')).getByRole('radio', { name: /USB camera · in use now/ })).toBeTruthy();
    fireEvent.click(screen.getByRole('radio', { name: /USB camera/ }));
    await next(app);
    expect(world.saved().camera.device).toBe('/dev/video0');

    // 7. Liveness: the recommended mode is chosen; each mode says what staff will see.
    expect(question()).toBe('How should the kiosk make sure a real person is in front of it?');
    const modes = within(screen.getByTestId('liveness-choice')).getAllByRole('radio');
    expect(modes.map((m) => m.getAttribute('aria-checked'))).toEqual(['false', 'false', 'true', 'false']);
    const strict = screen.getByRole('radio', { name: 'A small head turn at every recognition (strict)' });
    expect(strict.getAttribute('aria-describedby')).toBe('liveness-sees-always_challenge');
    expect(document.getElementById('liveness-sees-always_challenge')?.textContent).toBe(
      'Everyone is asked to turn their head a little before every punch (a few seconds more).',
    );
    fireEvent.click(strict);
    await app.flush();
    expect(strict.getAttribute('aria-checked')).toBe('true');
    expect(world.saved().recognition.liveness).toBe('challenge_when_doubtful'); // saved on Next, not before
    await next(app);
    expect(world.saved().recognition.liveness).toBe('always_challenge');

    // 8. The test punch runs by itself; a failed check says what to do and leads back to its step.
    expect(question()).toBe('Test punch');
    expect(world.fake.callsTo('setup:testPunch')).toHaveLength(1);
    expect(screen.getByTestId('test-result').textContent).toBe('Something needs fixing before staff can clock in: see below.');
    const checks = screen.getByTestId('test-checks').textContent ?? '';
    expect(checks).toContain('Face recognition');
    expect(checks).toContain('Face recognition works, but nobody was in front of the camera.');
    expect(checks).toContain('Turned off: ask a HotelMate administrator to turn on face attendance for the hotel.');
    expect(checks).toContain('Off: the on-duty board shows changes made elsewhere only every 15 minutes.');
    expect(checks).not.toMatch(/no_face|disabled|faceAttendance/);
    // Main still reports setup mode: the kiosk cannot start yet.
    expect((screen.getByTestId('wizard-next') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Go to Hotel' }));
    await app.flush();
    expect(progress()).toBe('Step 3 of 8');
    expect((screen.getByLabelText('Hotel short name') as HTMLInputElement).value).toBe('harbour-view');
  });

  it('starts the kiosk from the last step once main says it is set up', async () => {
    const world = firstRun({ ...failingReport, ok: true, checks: failingReport.checks.map((c) => ({ ...c, result: c.result === 'failed' ? 'ok' : c.result })) });
    world.fake.handle('admin:status', () => ({ unlocked: true, pinSet: true, lockedUntil: null, attemptsLeft: 5 }));
    world.fake.handle('config:get', () => ({ ...config, api: { baseUrl: 'https://hm.example/api', hasToken: true, accountName: 'kiosk.lobby' } }));
    const app = await renderApp(world.fake);
    for (let step = 1; step < 8; step += 1) await next(app);
    expect(question()).toBe('Test punch');
    expect(screen.getByTestId('test-result').textContent).toBe('Everything a punch needs works.');
    await app.emit('app:info', testInfo);
    fireEvent.click(screen.getByTestId('wizard-next'));
    await app.flush();
    expect(document.body.dataset.screen).toBe('idle');
  });

  it('asks for the PIN when the manager session locked itself half-way, then carries on at the same step', async () => {
    const world = firstRun(failingReport);
    world.fake.handle('admin:status', () => ({ unlocked: true, pinSet: true, lockedUntil: null, attemptsLeft: 5 }));
    const app = await renderApp(world.fake);
    await next(app);
    await next(app);
    expect(progress()).toBe('Step 3 of 8');
    await app.emit('admin:status', { unlocked: false, pinSet: true, lockedUntil: null, attemptsLeft: 5 });
    expect(screen.getByTestId('wizard-locked').textContent).toContain('The setup locked itself after two minutes without a tap.');
    world.fake.handle('admin:unlock', () => ({ ok: true, status: { unlocked: true, pinSet: true, lockedUntil: null, attemptsLeft: 5 } }));
    world.fake.handle('admin:status', () => ({ unlocked: true, pinSet: true, lockedUntil: null, attemptsLeft: 5 }));
    fireEvent.change(screen.getByLabelText('Enter the manager PIN'), { target: { value: '246810' } });
    fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    await app.flush();
    await app.flush();
    expect(progress()).toBe('Step 3 of 8');
  });
});

describe('Admin > Setup', () => {
  it('offers the wizard and the full form; choosing Automatic keeps the configured camera in the list', async () => {
    const world = firstRun(failingReport);
    world.fake.handle('app:info', () => testInfo);
    world.fake.handle('config:get', () => ({ ...config, camera: { ...config.camera, device: 'file:/srv/demo.mp4' } }));
    world.fake.handle('staff:list', () => []);
    world.fake.handle('enrol:list', () => []);
    const app = await openAdmin(world.fake);
    fireEvent.click(screen.getByRole('tab', { name: 'Setup' }));
    await app.flush();
    const radios = (): string[] => within(screen.getByTestId('camera-picker')).getAllByRole('radio').map((r) => r.closest('label')?.textContent ?? '');
    expect(radios()).toContain('/srv/demo.mp4');
    fireEvent.click(screen.getByRole('radio', { name: /Automatic/ }));
    await app.flush();
    // The configured file is still there to go back to.
    expect(radios()).toContain('/srv/demo.mp4');
    fireEvent.click(screen.getByRole('radio', { name: '/srv/demo.mp4' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await app.flush();
    expect((world.fake.callsTo('config:update').at(-1)?.[0] as { camera: { device: string } }).camera.device).toBe('file:/srv/demo.mp4');
    fireEvent.click(screen.getByTestId('open-wizard'));
    await app.flush();
    expect(progress()).toBe('Step 1 of 8');
    fireEvent.click(screen.getByRole('button', { name: 'Back to all settings' }));
    await app.flush();
    expect(screen.getByText('Hotel time zone')).toBeTruthy();
  });
});
