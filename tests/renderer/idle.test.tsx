// @vitest-environment jsdom
/** The idle screen: clock in the hotel's zone, connection/camera state, board, language, guidance. */
import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createFakeKiosk, testInfo } from './support/fake-kiosk';
import { renderApp, useKioskTestTime } from './support/render-app';

useKioskTestTime();

describe('idle screen', () => {
  it('shows the hotel name and a ticking clock in the hotel time zone, not the computer one', async () => {
    const fake = createFakeKiosk({ ...testInfo, timeZone: 'America/New_York' });
    const app = await renderApp(fake);
    expect(document.body.dataset.screen).toBe('idle');
    expect(screen.getByRole('heading', { name: 'Harbour View Hotel' })).toBeTruthy();
    expect(screen.getByTestId('clock-time').textContent).toBe('04:05');
    expect(screen.getByTestId('clock-date').textContent).toMatch(/Friday,? 27 November/);
    await app.advance(60_000);
    expect(screen.getByTestId('clock-time').textContent).toBe('04:06');
  });

  it('an invalid time zone falls back instead of crashing', async () => {
    await renderApp(createFakeKiosk({ ...testInfo, timeZone: 'Mars/Olympus' }));
    expect(screen.getByTestId('clock-time').textContent).toMatch(/^\d\d:\d\d$/);
  });

  it('tells staff when the kiosk is offline and how many punches wait, live from app:connection', async () => {
    const app = await renderApp();
    expect(screen.getByTestId('connection').textContent).toContain('Online');
    await app.emit('app:connection', {
      api: 'offline',
      apiMessage: null,
      realtime: 'offline',
      pendingPunches: 3,
      needsReview: 0,
      lastSyncAt: null,
    });
    const bar = screen.getByTestId('connection').textContent ?? '';
    expect(bar).toContain('Offline - punches are saved and will sync');
    expect(bar).toContain('3 punches waiting');
    await app.emit('app:connection', {
      api: 'paused',
      apiMessage: 'You do not have permission to use clock in/out.',
      realtime: 'connected',
      pendingPunches: 1,
      needsReview: 2,
      lastSyncAt: null,
    });
    const paused = screen.getByTestId('connection').textContent ?? '';
    // The server's refusal is for the manager's diagnostics; staff are told their punches are kept.
    expect(paused).toContain('Sync paused - punches are kept; a manager must check the kiosk');
    expect(paused).not.toContain('permission');
    expect(paused).toContain('1 punch waiting');
    expect(paused).toContain('2 punches need a manager');
    await app.emit('app:connection', { api: 'online', apiMessage: null, realtime: 'connected', pendingPunches: 0, needsReview: 1, lastSyncAt: null });
    expect(screen.getByTestId('connection').textContent).toContain('1 punch needs a manager');
  });

  it('says the camera is down and what to do instead (not "look at the camera"), and recovers when it streams again', async () => {
    const app = await renderApp();
    await app.emit('camera:status', {
      state: 'unavailable',
      deviceId: '/dev/video0',
      deviceLabel: 'USB camera',
      message: 'The camera was unplugged',
      fps: 0,
      restarts: 1,
    });
    expect(screen.getAllByText('Camera unavailable').length).toBeGreaterThan(0);
    // Main's developer sentence is not shown to staff; the idle prompt no longer asks them to look at the camera.
    expect(screen.queryByText('The camera was unplugged')).toBeNull();
    expect(screen.queryByText('Look at the camera to clock in or out')).toBeNull();
    expect(screen.getByTestId('camera-down').textContent).toBe(
      'The camera is not working, so clocking in by face is not possible right now.Please tell a manager so your time can be recorded.Clock without face',
    );
    // The way to clock anyway: the name, then a manager's approval.
    expect(screen.getByTestId('clock-without-face').textContent).toBe('Clock without face');
    await app.emit('camera:status', {
      state: 'streaming',
      deviceId: '/dev/video0',
      deviceLabel: 'USB camera',
      message: null,
      fps: 15,
      restarts: 1,
    });
    expect(screen.queryByText('Camera unavailable')).toBeNull();
    expect(screen.queryByTestId('camera-down')).toBeNull();
    expect(screen.getByText('Look at the camera to clock in or out')).toBeTruthy();
  });

  it('draws preview frames on the canvas', async () => {
    const app = await renderApp();
    const rgb = new Uint8Array(4 * 3 * 3).fill(200);
    await app.emit('camera:preview', { seq: 41, width: 4, height: 3, rgb, capturedAt: Date.now() });
    await app.advance(50); // drawn on the next animation frame
    const canvas = screen.getByLabelText('Live camera preview') as HTMLCanvasElement;
    expect(canvas.dataset.frameSeq).toBe('41');
    expect(canvas.width).toBe(4);
    // A truncated frame is skipped, not drawn half.
    await app.emit('camera:preview', { seq: 42, width: 4, height: 3, rgb: new Uint8Array(5), capturedAt: Date.now() });
    await app.advance(50);
    expect(canvas.dataset.frameSeq).toBe('41');
  });

  it('shows the on-duty board by department and follows board:onDuty changes', async () => {
    const fake = createFakeKiosk();
    fake.handle('board:onDuty', () => ({
      departments: [{ name: 'Kitchen', entries: [{ staffId: 3, name: 'Ana García', status: 'on_duty', since: '2026-11-27T07:00:00Z' }] }],
      updatedAt: null,
    }));
    const app = await renderApp(fake);
    const board = screen.getByTestId('board');
    expect(board.textContent).toContain('Kitchen');
    expect(board.textContent).toContain('Ana García');
    expect(board.textContent).toContain('On duty · since 07:00');
    await app.emit('board:onDuty', {
      departments: [{ name: 'Kitchen', entries: [{ staffId: 3, name: 'Ana García', status: 'on_break', since: null }] }],
      updatedAt: null,
    });
    expect(screen.getByTestId('board').textContent).toContain('On break');
  });

  it('hides the board when the hotel turned it off', async () => {
    await renderApp(createFakeKiosk({ ...testInfo, showBoard: false }));
    expect(screen.queryByTestId('board')).toBeNull();
  });

  it('starts in the configured language and lets staff switch it', async () => {
    const app = await renderApp(createFakeKiosk({ ...testInfo, language: 'es' }));
    expect(screen.getByText('Mire a la cámara para fichar la entrada o la salida')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Polski' }));
    await app.flush();
    expect(screen.getByText('Spójrz w kamerę, aby rozpocząć lub zakończyć pracę')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Polski' }).getAttribute('aria-pressed')).toBe('true');
    expect(app.fake.callsTo('app:setLanguage')).toEqual([['pl']]);
    await app.emit('app:language', 'en');
    expect(screen.getByText('Look at the camera to clock in or out')).toBeTruthy();
  });

  it('guides the person while a face is in view and shows the checking state', async () => {
    const app = await renderApp();
    const obs = { frameSeq: 1, faces: [{ x: 0.4, y: 0.3, width: 0.1, height: 0.15 }], hasMainFace: true, checking: false };
    await app.emit('face:observation', { ...obs, guidance: 'move_closer' });
    expect(document.body.dataset.screen).toBe('guidance');
    expect(screen.getByText('Please move closer')).toBeTruthy();
    await app.emit('face:observation', { ...obs, guidance: 'too_dark' });
    expect(screen.getByText('It is too dark - step into the light')).toBeTruthy();
    await app.emit('face:observation', { ...obs, guidance: 'one_at_a_time' });
    expect(screen.getByText('One person at a time, please')).toBeTruthy();
    await app.emit('face:observation', { ...obs, guidance: 'ok', checking: true });
    expect(screen.getByText('Checking…')).toBeTruthy();
    await app.emit('face:gone', { reason: 'left', recognitionId: null, at: '2026-11-27T09:05:01Z' });
    expect(document.body.dataset.screen).toBe('idle');
    expect(screen.queryByText('Checking…')).toBeNull();
  });

  it('goes back to idle by itself when observations stop', async () => {
    const app = await renderApp();
    await app.emit('face:observation', { frameSeq: 1, faces: [], hasMainFace: true, guidance: 'hold_still', checking: false });
    expect(screen.getByText('Hold still')).toBeTruthy();
    await app.advance(5_000);
    expect(document.body.dataset.screen).toBe('idle');
  });

  it('shows the setup screen on first run instead of idle', async () => {
    const fake = createFakeKiosk({ ...testInfo, mode: 'setup', setupReasons: ['the kiosk account is not signed in (no API token)'] });
    fake.handle('admin:status', () => ({ unlocked: false, pinSet: false, lockedUntil: null, attemptsLeft: 5 }));
    await renderApp(fake);
    expect(document.body.dataset.screen).toBe('setup');
    expect(screen.getByText("Sign in with the kiosk's HotelMate account.")).toBeTruthy();
    // The setup wizard starts with its first question.
    expect(screen.getByText('Which language should the kiosk speak?')).toBeTruthy();
    expect(screen.getByText('Step 1 of 8')).toBeTruthy();
  });
});
