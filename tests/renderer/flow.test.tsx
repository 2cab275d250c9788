// @vitest-environment jsdom
/**
 * The walk-up flow through the real screens: greeting, live status, punches and their outcomes,
 * unrostered reason, "Not you?", unknown faces, timeouts and the privacy reset.
 */
import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { PunchResult } from '../../src/shared/domain/punch';
import type { ClockAction, EffectiveStatus } from '../../src/shared/domain/types';
import { createFakeKiosk, recognitionOf, testInfo } from './support/fake-kiosk';
import { renderApp, useKioskTestTime } from './support/render-app';

const status = (s: EffectiveStatus['status'], extra: Partial<EffectiveStatus> = {}): EffectiveStatus => ({
  staffId: 7,
  status: s,
  breakStartedAt: null,
  pendingPunches: 0,
  updatedAt: null,
  ...extra,
});

function punchOk(action: ClockAction, savedOffline = false): PunchResult {
  return {
    ok: true,
    eventId: 'evt-1',
    action,
    occurredAt: '2026-11-27T09:05:00Z',
    savedOffline,
    duplicate: false,
    status: status(action === 'start_break' ? 'on_break' : action === 'clock_out' ? 'off_duty' : 'on_duty'),
  };
}

useKioskTestTime();

describe('recognised', () => {
  it('greets with name, department, status, shift and the Clock In button', async () => {
    const app = await renderApp();
    await app.emit('face:recognised', recognitionOf());
    expect(document.body.dataset.screen).toBe('recognised');
    const greeting = screen.getByTestId('greeting');
    expect(greeting.textContent).toContain('Hello, Jane Doe');
    expect(greeting.textContent).toContain('Housekeeping');
    expect(screen.getByTestId('duty-status').textContent).toBe('Off duty');
    expect(screen.getByTestId('shift').textContent).toBe('Today: 08:00–16:00');
    expect(screen.getByTestId('primary-action').textContent).toBe('Clock In');
    expect(screen.queryByTestId('action-clock_out')).toBeNull();
  });

  it('shows the photo when there is one and initials when it fails to load', async () => {
    const app = await renderApp();
    await app.emit('face:recognised', recognitionOf({ staff: { id: 7, name: 'Jane Doe', department: null, photoUrl: 'https://example.invalid/p.jpg' } }));
    const img = screen.getByTestId('greeting').querySelector('img');
    expect(img?.getAttribute('src')).toBe('https://example.invalid/p.jpg');
    fireEvent.error(img as HTMLImageElement);
    await app.flush();
    expect(screen.getByTestId('greeting').querySelector('img')).toBeNull();
    expect(screen.getByText('JD')).toBeTruthy();
  });

  it('says "no shift found" when there is none', async () => {
    const app = await renderApp();
    await app.emit('face:recognised', recognitionOf({ shift: null }));
    expect(screen.getByTestId('shift').textContent).toBe('No shift found for today');
  });

  it('offers Start Break and Clock Out on duty; End Break with running minutes and Clock Out on break', async () => {
    const app = await renderApp(createFakeKiosk({ ...testInfo, greetingTimeoutSeconds: 120 }));
    await app.emit('face:recognised', recognitionOf({ status: status('on_duty') }));
    expect(screen.getByTestId('primary-action').textContent).toBe('Start Break');
    expect(screen.getByTestId('action-clock_out').textContent).toBe('Clock Out');
    await app.emit('face:recognised', recognitionOf({ recognitionId: 'rec-2', status: status('on_break', { breakStartedAt: '2026-11-27T08:53:00Z' }) }));
    expect(screen.getByTestId('primary-action').textContent).toBe('End Break (12 min)');
    expect(screen.getByTestId('action-clock_out')).toBeTruthy();
    await app.advance(60_000);
    expect(screen.getByTestId('primary-action').textContent).toBe('End Break (13 min)');
  });

  it('from 30 min before the shift ends, Clock Out is the big button (the hotel time zone decides)', async () => {
    // 09:05 UTC is 09:05 in Dublin in November; the shift ends at 09:30 there.
    const app = await renderApp(createFakeKiosk({ ...testInfo, greetingTimeoutSeconds: 120 }));
    const shift = { id: 11, date: '2026-11-27', start: '01:30', end: '09:30', department: 'Housekeeping', location: null };
    await app.emit('face:recognised', recognitionOf({ status: status('on_duty'), shift }));
    expect(screen.getByTestId('primary-action').textContent).toBe('Clock Out');
    expect(screen.getByTestId('action-start_break').textContent).toBe('Start Break');
    await app.emit('face:recognised', recognitionOf({ recognitionId: 'rec-2', status: status('on_break', { breakStartedAt: '2026-11-27T08:53:00Z' }), shift }));
    expect(screen.getByTestId('primary-action').textContent).toBe('Clock Out');
    expect(screen.getByTestId('action-end_break').textContent).toBe('End Break');
    // An hour before the end, the break button is the big one again.
    await app.emit('face:recognised', recognitionOf({ recognitionId: 'rec-3', status: status('on_duty'), shift: { ...shift, end: '10:06' } }));
    expect(screen.getByTestId('primary-action').textContent).toBe('Start Break');
  });

  it('says since when the person is on duty, in the hotel time zone, and how long', async () => {
    const app = await renderApp(createFakeKiosk({ ...testInfo, timeZone: 'Europe/Warsaw' }));
    await app.emit('face:recognised', recognitionOf({ status: status('on_duty', { onDutySince: '2026-11-27T05:55:00Z' }) }));
    expect(screen.getByTestId('on-duty-since').textContent).toBe('On duty since 06:55 – 3 hrs 10 mins');
    expect(screen.getByTestId('announce-polite').textContent).toContain('On duty since 06:55 – 3 hrs 10 mins');
  });

  it('updates the button live from clock:status while shown, ignoring other people', async () => {
    const app = await renderApp();
    await app.emit('face:recognised', recognitionOf());
    await app.emit('clock:status', { ...status('on_duty'), staffId: 99 });
    expect(screen.getByTestId('primary-action').textContent).toBe('Clock In');
    await app.emit('clock:status', status('on_duty'));
    expect(screen.getByTestId('primary-action').textContent).toBe('Start Break');
    expect(screen.getByTestId('duty-status').textContent).toBe('On duty');
  });

  it('"Not you?" rejects the match and returns to idle without the name', async () => {
    const app = await renderApp();
    await app.emit('face:recognised', recognitionOf({ recognitionId: 'rec-77' }));
    fireEvent.click(screen.getByRole('button', { name: 'Not you?' }));
    await app.flush();
    expect(app.fake.callsTo('face:rejectMatch')).toEqual([['rec-77']]);
    expect(document.body.dataset.screen).toBe('idle');
    expect(document.body.textContent).not.toContain('Jane Doe');
  });

  it('the greeting disappears as soon as main says that face left or was replaced; the next person is greeted', async () => {
    const app = await renderApp();
    await app.emit('face:recognised', recognitionOf({ recognitionId: 'rec-conor', staff: { id: 7, name: 'Conor O\'Sullivan', department: null, photoUrl: null } }));
    expect(screen.getByTestId('greeting').textContent).toContain('Conor');
    await app.emit('face:gone', { reason: 'replaced', recognitionId: 'rec-conor', at: '2026-11-27T09:05:01Z' });
    expect(document.body.dataset.screen).toBe('idle');
    expect(document.body.textContent).not.toContain('Conor');
    await app.emit('face:recognised', recognitionOf({ recognitionId: 'rec-aoife', staff: { id: 8, name: 'Aoife Murphy', department: null, photoUrl: null } }));
    expect(screen.getByTestId('greeting').textContent).toContain('Hello, Aoife Murphy');
    expect(app.fake.callsTo('clock:punch')).toEqual([]);
  });

  it('a person who stays after Cancel is offered "Start again" instead of a hint that never ends', async () => {
    const app = await renderApp();
    await app.emit('face:recognised', recognitionOf());
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await app.flush();
    await app.emit('face:observation', { frameSeq: 9, faces: [{ x: 0.3, y: 0.2, width: 0.3, height: 0.4 }], hasMainFace: true, guidance: 'ok', checking: false, settled: true });
    expect(document.body.dataset.screen).toBe('guidance');
    expect(screen.queryByText('Hold still…')).toBeNull();
    expect(screen.getByText('Tap “Start again” when you are ready')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Start again' }));
    await app.flush();
    expect(app.fake.callsTo('face:startAgain')).toEqual([[]]);
    await app.emit('face:recognised', recognitionOf({ recognitionId: 'rec-again' }));
    expect(document.body.dataset.screen).toBe('recognised');
  });

  it('forgets the person after the greeting timeout (privacy reset)', async () => {
    const app = await renderApp(createFakeKiosk({ ...testInfo, greetingTimeoutSeconds: 8 }));
    await app.emit('face:recognised', recognitionOf());
    await app.advance(7_000);
    expect(document.body.textContent).toContain('Jane Doe');
    await app.advance(1_500);
    expect(document.body.dataset.screen).toBe('idle');
    expect(document.body.textContent).not.toContain('Jane Doe');
    expect(document.body.textContent).not.toContain('Housekeeping');
    expect(app.fake.callsTo('clock:punch')).toEqual([]);
  });

  it('records the greeting paint time for the benchmark', async () => {
    const app = await renderApp();
    delete document.body.dataset.greetingPaintMs;
    await app.emit('face:recognised', recognitionOf());
    await app.advance(50);
    expect(Number(document.body.dataset.greetingPaintMs)).toBeGreaterThanOrEqual(0);
  });
});

describe('punching', () => {
  it('Clock In -> confirmation with the time -> idle', async () => {
    const fake = createFakeKiosk();
    fake.handle('clock:punch', (input) => punchOk(input.action));
    const app = await renderApp(fake);
    await app.emit('face:recognised', recognitionOf());
    fireEvent.click(screen.getByTestId('primary-action'));
    await app.flush();
    expect(fake.callsTo('clock:punch')).toEqual([[{ recognitionId: 'rec-1', action: 'clock_in' }]]);
    expect(document.body.dataset.screen).toBe('confirmed');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Clocked in at 09:05');
    // Screen readers hear it through the live region that stays mounted across screens.
    expect(screen.getByTestId('announce-polite').textContent).toBe('Clocked in at 09:05');
    expect(screen.getByText('Thank you, Jane Doe')).toBeTruthy();
    expect(screen.queryByTestId('saved-offline')).toBeNull();
    await app.advance(6_000);
    expect(document.body.dataset.screen).toBe('idle');
    expect(document.body.textContent).not.toContain('Jane Doe');
  });

  it('says "Saved offline - will sync" when the punch is only stored locally', async () => {
    const fake = createFakeKiosk();
    fake.handle('clock:punch', (input) => punchOk(input.action, true));
    const app = await renderApp(fake);
    await app.emit('face:recognised', recognitionOf({ status: status('on_duty') }));
    fireEvent.click(screen.getByTestId('primary-action'));
    await app.flush();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Break started at 09:05');
    expect(screen.getByTestId('saved-offline').textContent).toBe('Saved offline - will sync');
    expect(screen.getByTestId('announce-polite').textContent).toBe('Break started at 09:05. Saved offline - will sync');
  });

  it('Clock Out: today\'s time on duty, the chime (unless muted), and Undo while the punch can be undone', async () => {
    const fake = createFakeKiosk();
    fake.handle('clock:punch', (input) => ({ ...punchOk(input.action), sessionStartedAt: '2026-11-27T01:00:00Z', undoUntil: '2026-11-27T09:05:10Z' }));
    fake.handle('clock:undo', (eventId) => ({ ok: true, eventId, status: status('on_duty') }));
    const app = await renderApp(fake);
    const before = Number(document.body.dataset.punchSounds ?? 0);
    await app.emit('face:recognised', recognitionOf({ status: status('on_duty') }));
    fireEvent.click(screen.getByTestId('action-clock_out'));
    await app.flush();
    expect(screen.getByTestId('worked-today').textContent).toBe('On duty today: 8 hrs 5 mins');
    expect(Number(document.body.dataset.punchSounds)).toBe(before + 1);
    expect(screen.getByTestId('announce-polite').textContent).toBe('Clocked out at 09:05. On duty today: 8 hrs 5 mins. Undo this punch (wrong button)');
    fireEvent.click(screen.getByRole('button', { name: 'Undo this punch (wrong button)' }));
    await app.flush();
    expect(fake.callsTo('clock:undo')).toEqual([['evt-1']]);
    expect(document.body.dataset.screen).toBe('undone');
    expect(screen.getByTestId('announce-polite').textContent).toBe('Undone: nothing was recorded. Look at the camera to choose again.');
    expect(fake.callsTo('clock:release')).toEqual([]);
  });

  it('Done releases the punch to the sync at once; a muted kiosk plays no chime; no Undo without an undo window', async () => {
    const fake = createFakeKiosk({ ...testInfo, sound: false });
    let undoable = true;
    fake.handle('clock:punch', (input) => ({ ...punchOk(input.action), ...(undoable ? { undoUntil: '2026-11-27T09:05:10Z' } : {}) }));
    fake.handle('clock:release', () => undefined);
    const app = await renderApp(fake);
    const before = document.body.dataset.punchSounds;
    await app.emit('face:recognised', recognitionOf());
    fireEvent.click(screen.getByTestId('primary-action'));
    await app.flush();
    expect(document.body.dataset.punchSounds).toBe(before);
    expect(screen.queryByTestId('worked-today')).toBeNull(); // a clock-in starts the count
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    await app.flush();
    expect(fake.callsTo('clock:release')).toEqual([['evt-1']]);
    undoable = false;
    await app.emit('face:recognised', recognitionOf({ recognitionId: 'rec-2' }));
    fireEvent.click(screen.getByTestId('primary-action'));
    await app.flush();
    expect(screen.queryByTestId('undo')).toBeNull();
  });

  it('Clock Out from a break uses the secondary button', async () => {
    const fake = createFakeKiosk();
    fake.handle('clock:punch', (input) => punchOk(input.action));
    const app = await renderApp(fake);
    await app.emit('face:recognised', recognitionOf({ status: status('on_break') }));
    fireEvent.click(screen.getByTestId('action-clock_out'));
    await app.flush();
    expect(fake.callsTo('clock:punch')[0][0].action).toBe('clock_out');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Clocked out at 09:05');
  });

  it('a refused punch says what to do next, and retry goes back to the greeting', async () => {
    const fake = createFakeKiosk();
    fake.handle('clock:punch', () => ({ ok: false, error: { code: 'storage_failed', message: 'SQLITE_FULL' } }));
    const app = await renderApp(fake);
    await app.emit('face:recognised', recognitionOf());
    fireEvent.click(screen.getByTestId('primary-action'));
    await app.flush();
    expect(document.body.dataset.screen).toBe('failed');
    expect(screen.getByTestId('failure-text').textContent).toBe('The punch could not be saved. Please tell a manager now.');
    expect(screen.getByRole('alert').textContent).toBe('That did not work. The punch could not be saved. Please tell a manager now.');
    expect(document.body.textContent).not.toContain('SQLITE_FULL');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await app.flush();
    expect(document.body.dataset.screen).toBe('recognised');
  });

  it('an expired recognition sends the person back to the camera', async () => {
    const fake = createFakeKiosk();
    fake.handle('clock:punch', () => ({ ok: false, error: { code: 'expired_recognition', message: 'too old' } }));
    const app = await renderApp(fake);
    await app.emit('face:recognised', recognitionOf());
    fireEvent.click(screen.getByTestId('primary-action'));
    await app.flush();
    expect(screen.getByTestId('failure-text').textContent).toContain('look at the camera again');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await app.flush();
    expect(document.body.dataset.screen).toBe('idle');
  });

  it('a broken IPC call is a failure screen, not a hang', async () => {
    const fake = createFakeKiosk();
    fake.handle('clock:punch', () => {
      throw new Error('bridge disconnected');
    });
    const app = await renderApp(fake);
    await app.emit('face:recognised', recognitionOf());
    fireEvent.click(screen.getByTestId('primary-action'));
    await app.flush();
    expect(screen.getByTestId('failure-text').textContent).toBe('Something went wrong. Please try again or tell a manager.');
    expect(document.body.textContent).not.toContain('bridge disconnected');
    await app.advance(20_000);
    expect(document.body.dataset.screen).toBe('idle');
  });
});

describe('unrostered clock-in', () => {
  it('asks for a preset reason before clocking in and sends it with the punch', async () => {
    const fake = createFakeKiosk();
    fake.handle('clock:punch', (input) => punchOk(input.action));
    const app = await renderApp(fake);
    await app.emit('face:recognised', recognitionOf({ shift: null }));
    fireEvent.click(screen.getByTestId('primary-action'));
    await app.flush();
    expect(document.body.dataset.screen).toBe('reason');
    expect(fake.callsTo('clock:punch')).toEqual([]);
    const confirm = screen.getByRole('button', { name: 'Confirm Clock In' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.click(screen.getByRole('radio', { name: 'Covering for a colleague' }));
    await app.flush();
    fireEvent.click(screen.getByRole('button', { name: 'Confirm Clock In' }));
    await app.flush();
    expect(fake.callsTo('clock:punch')).toEqual([[{ recognitionId: 'rec-1', action: 'clock_in', reason: 'Covering for a colleague' }]]);
    expect(document.body.dataset.screen).toBe('confirmed');
  });

  it('accepts a free-text reason, and Back returns to the greeting', async () => {
    const fake = createFakeKiosk();
    fake.handle('clock:punch', (input) => punchOk(input.action));
    const app = await renderApp(fake);
    await app.emit('face:recognised', recognitionOf({ shift: null }));
    fireEvent.click(screen.getByTestId('primary-action'));
    await app.flush();
    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    await app.flush();
    expect(document.body.dataset.screen).toBe('recognised');
    fireEvent.click(screen.getByTestId('primary-action'));
    await app.flush();
    fireEvent.click(screen.getByRole('radio', { name: 'Other reason' }));
    await app.flush();
    fireEvent.change(screen.getByLabelText('Describe the reason'), { target: { value: '  Wedding event setup  ' } });
    await app.flush();
    fireEvent.click(screen.getByRole('button', { name: 'Confirm Clock In' }));
    await app.flush();
    expect(fake.callsTo('clock:punch')[0][0].reason).toBe('Wedding event setup');
  });
});

describe('not recognised', () => {
  it('never shows a name, offers retry and a path to a manager', async () => {
    const fake = createFakeKiosk();
    fake.handle('board:onDuty', () => ({ departments: [], updatedAt: null }));
    const app = await renderApp(fake);
    await app.emit('face:unknown', { reason: 'not_enrolled', at: '2026-11-27T09:05:00Z' });
    expect(document.body.dataset.screen).toBe('unknown');
    expect(screen.getByText('We could not recognise you')).toBeTruthy();
    expect(screen.getByText('Your face may not be registered on this kiosk yet.')).toBeTruthy();
    expect(document.body.textContent).not.toContain('Jane');
    fireEvent.click(screen.getByRole('button', { name: 'Get a manager' }));
    await app.flush();
    expect(document.body.dataset.screen).toBe('adminPin');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await app.flush();
    await app.emit('face:unknown', { reason: 'ambiguous', at: '2026-11-27T09:05:00Z' });
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await app.flush();
    expect(document.body.dataset.screen).toBe('idle');
  });

  it('a recognition after an unknown face greets the right person', async () => {
    const app = await renderApp();
    await app.emit('face:unknown', { reason: 'poor_quality', at: '2026-11-27T09:05:00Z' });
    await app.emit('face:recognised', recognitionOf());
    expect(screen.getByTestId('greeting').textContent).toContain('Jane Doe');
  });
});

describe('languages', () => {
  it('the whole greeting follows the chosen language', async () => {
    const app = await renderApp();
    fireEvent.click(screen.getByRole('button', { name: 'Español' }));
    await app.flush();
    await app.emit('face:recognised', recognitionOf({ status: status('on_duty') }));
    expect(screen.getByTestId('greeting').textContent).toContain('Hola, Jane Doe');
    expect(screen.getByTestId('primary-action').textContent).toBe('Iniciar descanso');
    expect(screen.getByTestId('action-clock_out').textContent).toBe('Fichar salida');
  });
});
