// @vitest-environment jsdom
/**
 * Every screen in every language, as a person sees it: idle (offline, waiting and review counts,
 * camera down), each guidance, the greeting, the reason step, confirmation, each punch failure,
 * each unknown-face reason, the PIN screen, every admin panel and the first-run setup. No screen
 * may show a message key, an unfilled `{placeholder}`, a snake_case code or an ISO timestamp.
 */
import { fireEvent, screen } from '@testing-library/react';
import type { ProblemCode } from '../../../src/shared/domain/problems';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, type Guidance, type Language } from '../../../src/shared/domain/types';
import type { PunchErrorCode } from '../../../src/shared/domain/punch';
import { en } from '../../../src/renderer/src/i18n/en';
import { translate } from '../../../src/renderer/src/i18n/i18n';
import { config, withPin } from '../support/admin';
import { createFakeKiosk, recognitionOf, testInfo, type FakeKiosk } from '../support/fake-kiosk';
import { renderApp, type RenderedApp, useKioskTestTime } from '../support/render-app';

useKioskTestTime();

const KEYS = Object.keys(en);
const GUIDANCE: Guidance[] = ['ok', 'move_closer', 'step_back', 'center_face', 'face_camera', 'too_dark', 'too_bright', 'hold_still', 'one_at_a_time'];
const PUNCH_ERRORS: PunchErrorCode[] = ['unknown_recognition', 'expired_recognition', 'recognition_used', 'face_not_in_view', 'not_allowed', 'storage_failed', 'not_configured'];

/** Everything a person or a screen reader gets from the page: text, labels, placeholders. */
function visibleText(): string {
  const attributes = [...document.querySelectorAll('[aria-label], [placeholder]')].map(
    (el) => `${el.getAttribute('aria-label') ?? ''} ${el.getAttribute('placeholder') ?? ''}`,
  );
  // Text nodes one by one: textContent would glue "camera…" and "Capturing" into one word.
  const texts: string[] = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) texts.push(node.textContent ?? '');
  return `${texts.join(' ')} ${attributes.join(' ')}`;
}

function check(where: string): void {
  const text = visibleText();
  expect(text, `${where}: unfilled placeholder`).not.toMatch(/\{\w+\}/);
  expect(text, `${where}: ISO time`).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
  // Codes from main look like snake_case words; device paths and file names are allowed.
  expect(text.replace(/\/dev\/\S+/g, ''), `${where}: a code`).not.toMatch(/\b[a-z]+_[a-z_]+\b/);
  const key = KEYS.find((k) => text.includes(k));
  expect(key, `${where}: a message key`).toBeUndefined();
}

function kioskFor(language: Language): FakeKiosk {
  const fake = createFakeKiosk({ ...testInfo, language });
  withPin(fake);
  fake.handle('board:onDuty', () => ({
    departments: [{ name: 'Kitchen', entries: [{ staffId: 3, name: 'Ana García', status: 'on_break', since: '2026-11-27T08:00:00Z' }] }],
    updatedAt: null,
  }));
  fake.handle('staff:list', () => [{ id: 8, name: 'Tomasz Nowak', department: null, enrolled: false }]);
  fake.handle('enrol:list', () => [{ staffId: 7, name: 'Jane Doe', templates: 1, consentAt: '2026-11-20T09:00:00Z', registeredWithServer: false }]);
  fake.handle('enrol:start', ({ staffId }) => ({ state: 'capturing', staffId, captured: 1, needed: 5, hint: 'turn_head_slightly' }));
  fake.handle('jobs:list', () => []);
  fake.handle('ledger:list', () => [
    { eventId: 'a', staffId: 7, staffName: 'Jane Doe', action: 'clock_in', occurredAt: '2026-11-27T08:00:00Z', syncState: 'synced', attempts: 1, lastError: null, syncedAt: '2026-11-27T09:00:00Z', delaySeconds: 3600, flagged: false },
    { eventId: 'b', staffId: 8, staffName: null, action: 'end_break', occurredAt: '2026-11-27T08:30:00Z', syncState: 'pending', attempts: 1, lastError: null, syncedAt: null, delaySeconds: null, flagged: true },
  ]);
  fake.handle('diagnostics:get', () => ({
    versions: { app: '0.1.0' },
    camera: { state: 'no_device', fps: 0, restarts: 1, device: null },
    face: { analysedFps: 2.5, stageMs: { detect: 20, antiSpoof: 3 }, decisions: 1, workerRestarts: 3 },
    queue: { pending: 1, needsReview: 22, synced: 5, oldestPendingAt: '2026-11-27T08:30:00Z' },
    jobs: { waiting: 0, running: 0, failed: 0, oldestWaitingAt: null, lastError: null, paused: null },
    sync: { api: 'paused', lastSyncAt: null, lastError: null },
    realtime: { state: 'unavailable', events: 0, lastEventAt: null },
    health: { rendererRestarts: 1, watchdogRestarts: 2, uptimeSeconds: 59 },
    recentErrors: [],
  }));
  fake.handle('diagnostics:export', () => ({ ok: false, error: { code: 'write_failed', message: 'EACCES' } }));
  fake.handle('config:get', () => config);
  fake.handle('camera:list', () => []);
  fake.handle('config:update', () => ({ ok: false, errors: [{ field: 'pusher.port', message: 'too big' }, { field: 'retention.syncedDays', message: 'bad' }] }));
  return fake;
}

async function click(app: RenderedApp, element: HTMLElement): Promise<void> {
  fireEvent.click(element);
  await app.flush();
}

describe.each(LANGUAGES)('every screen in %s', (language) => {
  const t = (key: Parameters<typeof translate>[1]): string => translate(language, key as 'lang.name');

  it('the walk-up screens', async () => {
    const fake = kioskFor(language);
    let nextPunch: () => unknown = () => ({ ok: true, eventId: 'e', action: 'end_break', occurredAt: '2026-11-27T09:05:00Z', savedOffline: true, duplicate: true,
      status: { staffId: 7, status: 'on_duty', breakStartedAt: null, pendingPunches: 1, updatedAt: null } });
    fake.handle('clock:punch', () => nextPunch() as never);
    const app = await renderApp(fake);
    await app.emit('app:connection', { api: 'offline', apiMessage: 'refused_by_server', realtime: 'unavailable', pendingPunches: 1, needsReview: 2, lastSyncAt: null });
    check('idle offline');
    await app.emit('app:connection', { api: 'paused', apiMessage: 'kiosk_token_revoked', realtime: 'offline', pendingPunches: 22, needsReview: 1, lastSyncAt: null });
    check('idle paused');
    await app.emit('camera:status', { state: 'no_device', deviceId: null, deviceLabel: null, message: 'choose one in Admin > Setup', fps: 0, restarts: 0 });
    check('idle camera down');
    await app.emit('camera:status', { state: 'streaming', deviceId: null, deviceLabel: null, message: null, fps: 15, restarts: 0 });
    for (const guidance of GUIDANCE) {
      await app.emit('face:observation', { frameSeq: 1, faces: [], hasMainFace: true, guidance, checking: guidance === 'ok' });
      check(`guidance ${guidance}`);
    }
    await app.emit('face:observation', { frameSeq: 2, faces: [], hasMainFace: true, guidance: 'ok', checking: false, settled: true });
    expect(screen.getByTestId('start-again').textContent).toBe(translate(language, 'idle.startAgain'));
    check('a face that already had its decision');
    await app.emit('face:recognised', recognitionOf({
      status: { staffId: 7, status: 'on_break', breakStartedAt: '2026-11-27T09:04:00Z', pendingPunches: 1, updatedAt: null },
      spoofSuspected: true,
    }));
    check('greeting on a break');
    await click(app, screen.getByTestId('primary-action'));
    check('confirmed offline, duplicate');
    for (const code of PUNCH_ERRORS) {
      nextPunch = () => ({ ok: false, error: { code, message: `${code} detail` } });
      await app.emit('face:recognised', recognitionOf({ recognitionId: `rec-${code}` }));
      await click(app, screen.getByTestId('primary-action'));
      expect(document.body.dataset.screen).toBe('failed');
      check(`failed ${code}`);
    }
    await app.emit('face:recognised', recognitionOf({ recognitionId: 'rec-reason', shift: null }));
    await click(app, screen.getByTestId('primary-action'));
    await click(app, screen.getByRole('radio', { name: t('reason.other') }));
    check('unrostered reason');
    for (const reason of ['not_enrolled', 'ambiguous', 'poor_quality'] as const) {
      await app.emit('face:unknown', { reason, at: '2026-11-27T09:05:00Z' });
      check(`unknown ${reason}`);
    }
    for (const action of ['turn_left', 'turn_right'] as const) {
      await app.emit('face:challenge', { action, attempt: 2, timeoutMs: 3000, at: '2026-11-27T09:05:00Z' });
      check(`challenge ${action}`);
    }
    for (const failures of [1, 2]) {
      await app.emit('face:livenessFailed', { failures, managerFallback: failures >= 2, at: '2026-11-27T09:05:04Z' });
      check(`liveness not confirmed ${failures}`);
    }
  });

  it('the PIN screen and every manager panel', async () => {
    const app = await renderApp(kioskFor(language));
    await click(app, screen.getByRole('button', { name: t('idle.managerLabel') }));
    fireEvent.change(screen.getByLabelText(t('pin.label')), { target: { value: '1111' } });
    await click(app, screen.getByRole('button', { name: t('pin.submit') }));
    await app.flush();
    check('PIN wrong');
    fireEvent.change(screen.getByLabelText(t('pin.label')), { target: { value: '2468' } });
    await click(app, screen.getByRole('button', { name: t('pin.submit') }));
    await app.flush();
    expect(document.body.dataset.screen).toBe('admin');
    check('enrolment list');
    await click(app, screen.getByRole('button', { name: `${t('staff.enrol')}: Tomasz Nowak` }));
    check('consent');
    fireEvent.click(screen.getByRole('checkbox'));
    await click(app, screen.getByRole('button', { name: t('staff.start') }));
    check('capturing with a hint');
    for (const reason of ['different_faces', 'already_enrolled:7', 'no_good_frames', 'timeout', 'storage_failed', 'consent_missing', 'unknown_code']) {
      await app.emit('enrol:progress', { state: 'failed', staffId: 8, reason });
      check(`enrolment failed ${reason}`);
    }
    await app.emit('enrol:progress', { state: 'done', staffId: 8, templates: 1, registeredWithServer: false, queued: true });
    check('enrolled');
    const tabs = screen.getAllByRole('tab');
    await click(app, tabs[2]);
    check('ledger');
    await click(app, tabs[3]);
    fireEvent.change(screen.getByLabelText(t('diag.exportPath')), { target: { value: '/media/usb' } });
    await click(app, screen.getByRole('button', { name: t('diag.export') }));
    check('diagnostics');
    await click(app, tabs[0]);
    await app.flush();
    await click(app, screen.getByRole('button', { name: t('admin.save') }));
    check('setup with errors');
    await click(app, tabs[4]);
    check('system');
  });

  it('the setup wizard: every step, every field problem and every test-punch outcome', async () => {
    const fake = kioskFor(language);
    fake.handle('app:info', () => ({ ...testInfo, language, mode: 'setup', setupReasons: ['hotel.slug is not set'] }));
    fake.handle('admin:status', () => ({ unlocked: true, pinSet: true, lockedUntil: null, attemptsLeft: 5 }));
    fake.handle('config:update', () => ({ ok: true, config }));
    fake.handle('setup:checkHotel', () => ({ ok: false, error: { code: 'not_found', message: 'HTTP 404' } }));
    fake.handle('setup:signIn', () => ({ ok: false, error: { code: 'wrong_hotel', message: 'other hotel' } }));
    const everyOutcome: [string, string][] = [
      ['camera', 'pictures'], ['camera', 'no_pictures'], ['camera', 'no_device'], ['camera', 'unavailable'], ['camera', 'stopped'],
      ['faceModels', 'face_found'], ['faceModels', 'no_face'], ['faceModels', 'no_answer'], ['faceModels', 'no_camera'],
      ['hotelmate', 'reachable'], ['hotelmate', 'unreachable'], ['hotelmate', 'not_found'], ['hotelmate', 'bad_response'], ['hotelmate', 'not_configured'],
      ['faceAttendance', 'enabled'], ['faceAttendance', 'disabled'], ['faceAttendance', 'no_hotelmate'],
      ['account', 'accepted'], ['account', 'refused'], ['account', 'not_signed_in'], ['account', 'no_hotelmate'],
      ['pusher', 'connected'], ['pusher', 'off'], ['pusher', 'not_configured'], ['pusher', 'offline'], ['pusher', 'a_new_state'],
    ];
    fake.handle('setup:testPunch', () => ({
      ok: false,
      at: '2026-11-27T09:05:00Z',
      checks: everyOutcome.map(([id, code], i) => ({ id: id as 'camera', code, result: i % 3 === 0 ? 'ok' : i % 3 === 1 ? 'failed' : 'skipped' })),
    }));
    const app = await renderApp(fake);
    const next = async (): Promise<void> => {
      await click(app, screen.getByTestId('wizard-next'));
      await app.flush();
    };
    check('wizard language');
    await next();
    check('wizard PIN');
    fireEvent.change(screen.getByLabelText(t('setup.newPin')), { target: { value: '12' } });
    await next();
    check('wizard PIN too short');
    fireEvent.change(screen.getByLabelText(t('setup.newPin')), { target: { value: '' } });
    await next();
    fireEvent.change(screen.getByLabelText(t('wizard.hotelAddress')), { target: { value: 'nope' } });
    await next();
    check('wizard hotel, bad fields');
    fireEvent.change(screen.getByLabelText(t('wizard.hotelAddress')), { target: { value: 'https://hm.example/api' } });
    fireEvent.change(screen.getByLabelText(t('wizard.hotelSlug')), { target: { value: 'harbour-vue' } });
    await next();
    check('wizard hotel, not found');
    fake.handle('setup:checkHotel', () => ({ ok: true, faceAttendanceEnabled: false }));
    await next();
    check('wizard account');
    fireEvent.change(screen.getByLabelText(t('setup.username')), { target: { value: 'kiosk' } });
    fireEvent.change(screen.getByLabelText(t('setup.password')), { target: { value: 'x' } });
    await click(app, screen.getByRole('button', { name: t('setup.signIn') }));
    check('wizard account, refused');
    fake.handle('setup:signIn', () => ({ ok: true, accountName: 'kiosk', hotelName: 'Harbour View Hotel' }));
    fireEvent.change(screen.getByLabelText(t('setup.password')), { target: { value: 'y' } });
    await click(app, screen.getByRole('button', { name: t('setup.signIn') }));
    await next();
    fireEvent.change(screen.getByLabelText(t('setup.tzSearch')), { target: { value: 'zzzz' } });
    await app.flush();
    check('wizard time zone, no match');
    fireEvent.change(screen.getByLabelText(t('setup.tzSearch')), { target: { value: 'madrid' } });
    await app.flush();
    check('wizard time zone');
    await next();
    check('wizard camera');
    await next();
    check('wizard liveness');
    await next();
    await app.flush();
    expect(screen.getByTestId('test-checks').querySelectorAll('li')).toHaveLength(everyOutcome.length);
    check('wizard test punch');
  });

  it('first-run setup with every reason main gives', async () => {
    const fake = kioskFor(language);
    fake.handle('app:info', () => ({
      ...testInfo,
      language,
      mode: 'setup',
      setupReasons: ['hotel.slug is not set', 'api.baseUrl is not set', 'the kiosk account is not signed in (no API token)', 'no admin PIN is set', 'SQLITE_CORRUPT: database disk image is malformed'],
    }));
    fake.handle('admin:status', () => ({ unlocked: false, pinSet: false, lockedUntil: null, attemptsLeft: 5 }));
    await renderApp(fake);
    expect(document.body.dataset.screen).toBe('setup');
    // The technical detail for support is inside a closed <details>: check what is on screen without it.
    for (const details of document.querySelectorAll('details')) details.remove();
    check('first-run setup');
  });

  it('the problem screen with every problem main reports', async () => {
    const fake = kioskFor(language);
    const codes: ProblemCode[] = [
      'database_missing', 'database_damaged', 'database_replaced', 'database_behind', 'database_too_new', 'database_unavailable',
      'database_restored', 'templates_unreadable', 'templates_partly_unreadable', 'secrets_damaged', 'secrets_unavailable', 'config_restored', 'config_pin_restored',
      'config_not_saved', 'admin_pin_missing', 'face_models', 'backup_failed', 'database_guard_not_saved', 'startup_failed', 'internal_error', 'insecure_api_url', 'secrets_unprotected',
    ];
    const problems = codes.map((code) => ({ code, blocking: code.startsWith('database_') && code !== 'database_restored', detail: `detail of ${code}`, at: '2026-11-27T09:00:00.000Z' }));
    fake.handle('app:info', () => ({ ...testInfo, language, mode: 'setup', problems }));
    // unlocked: the manager's view, with the notices and the ways out
    fake.handle('admin:status', () => ({ unlocked: true, pinSet: true, lockedUntil: null, attemptsLeft: 5 }));
    const app = await renderApp(fake);
    await app.flush();
    expect(document.body.dataset.screen).toBe('setup');
    for (const details of document.querySelectorAll('details')) details.remove();
    check('problem screen');
  });
});

it('a count on screen uses the right plural form (Polish 22 and 25)', async () => {
  const fake = kioskFor('pl');
  const app = await renderApp(fake);
  await app.emit('app:connection', { api: 'online', apiMessage: null, realtime: 'connected', pendingPunches: 22, needsReview: 25, lastSyncAt: null });
  const bar = screen.getByTestId('connection').textContent ?? '';
  expect(bar).toContain('22 odbicia czekają');
  expect(bar).toContain('25 odbić do sprawdzenia przez kierownika');
});
