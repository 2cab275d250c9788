// @vitest-environment jsdom
/**
 * The language belongs to one visit (reset at the privacy reset, `<html lang>` follows it), and
 * screen readers hear every state change through live regions that stay mounted.
 */
import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { ClockAction } from '../../src/shared/domain/types';
import type { PunchResult } from '../../src/shared/domain/punch';
import { ErrorBoundary } from '../../src/renderer/src/components/ErrorBoundary';
import { createFakeKiosk, recognitionOf, testInfo } from './support/fake-kiosk';
import { renderApp, type RenderedApp, useKioskTestTime } from './support/render-app';

useKioskTestTime();

const punchOk = (action: ClockAction): PunchResult => ({
  ok: true,
  eventId: 'evt-1',
  action,
  occurredAt: '2026-11-27T09:05:00Z',
  savedOffline: false,
  duplicate: false,
  status: { staffId: 7, status: 'on_duty', breakStartedAt: null, pendingPunches: 0, updatedAt: null },
});

async function choose(app: RenderedApp, name: string): Promise<void> {
  fireEvent.click(screen.getByRole('button', { name }));
  await app.flush();
}

const polite = (): string => screen.getByTestId('announce-polite').textContent ?? '';
const urgent = (): string => screen.getByTestId('announce-urgent').textContent ?? '';

describe('language of one visit', () => {
  it('<html lang> follows the language shown', async () => {
    const app = await renderApp(createFakeKiosk({ ...testInfo, language: 'es' }));
    expect(document.documentElement.lang).toBe('es');
    await choose(app, 'Polski');
    expect(document.documentElement.lang).toBe('pl');
    await app.emit('app:language', 'en');
    expect(document.documentElement.lang).toBe('en');
  });

  it('goes back to the kiosk default at the privacy reset after a greeting', async () => {
    const app = await renderApp();
    await choose(app, 'Polski');
    await app.emit('face:recognised', recognitionOf());
    expect(screen.getByTestId('primary-action').textContent).toBe('Rozpocznij pracę');
    await app.advance(15_000); // greeting timeout: the privacy reset
    expect(document.body.dataset.screen).toBe('idle');
    expect(screen.getByText('Look at the camera to clock in or out')).toBeTruthy();
    expect(document.documentElement.lang).toBe('en');
    // Main (and any other view) is told too, so the next person starts in the default.
    expect(app.fake.callsTo('app:setLanguage')).toEqual([['pl'], ['en']]);
  });

  it('goes back to the default after a punch and after an unknown face', async () => {
    const fake = createFakeKiosk({ ...testInfo, language: 'es' });
    fake.handle('clock:punch', (input) => punchOk(input.action));
    const app = await renderApp(fake);
    await choose(app, 'Polski');
    await app.emit('face:recognised', recognitionOf());
    fireEvent.click(screen.getByTestId('primary-action'));
    await app.flush();
    expect(document.body.dataset.screen).toBe('confirmed');
    await app.advance(6_000);
    expect(screen.getByText('Mire a la cámara para fichar la entrada o la salida')).toBeTruthy();
    await choose(app, 'English');
    await app.emit('face:unknown', { reason: 'not_enrolled', at: '2026-11-27T09:05:00Z' });
    await app.advance(12_000);
    expect(document.body.dataset.screen).toBe('idle');
    expect(document.documentElement.lang).toBe('es');
  });

  it('keeps the choice while the same person is still walking up (guidance back to idle)', async () => {
    const app = await renderApp();
    await choose(app, 'Español');
    await app.emit('face:observation', { frameSeq: 1, faces: [], hasMainFace: true, guidance: 'move_closer', checking: false });
    await app.emit('face:gone', { reason: 'left', recognitionId: null, at: '2026-11-27T09:05:01Z' });
    expect(document.body.dataset.screen).toBe('idle');
    expect(document.documentElement.lang).toBe('es');
    expect(app.fake.callsTo('app:setLanguage')).toEqual([['es']]);
  });

  it('the error screen speaks the language that was on screen', () => {
    document.documentElement.lang = 'pl';
    const fake = createFakeKiosk();
    function Broken(): React.JSX.Element {
      throw new Error('bad render');
    }
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    render(
      <ErrorBoundary api={fake.api}>
        <Broken />
      </ErrorBoundary>,
    );
    quiet.mockRestore();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Na tym ekranie wystąpił błąd');
  });

  it('the camera-down idle screen is translated too', async () => {
    const app = await renderApp(createFakeKiosk({ ...testInfo, language: 'pl' }));
    await app.emit('camera:status', { state: 'no_device', deviceId: null, deviceLabel: null, message: 'No camera found.', fps: 0, restarts: 0 });
    expect(screen.getByTestId('camera-down').textContent).toContain('Kamera nie działa, więc odbicie twarzą nie jest teraz możliwe.');
    expect(screen.queryByText('Spójrz w kamerę, aby rozpocząć lub zakończyć pracę')).toBeNull();
    expect(document.body.textContent).not.toContain('No camera found.');
  });
});

describe('screen-reader announcements', () => {
  it('announce the greeting, saving, the confirmed punch, and then nothing about the person', async () => {
    const fake = createFakeKiosk();
    let answer: (value: PunchResult) => void = () => undefined;
    fake.handle('clock:punch', () => new Promise<PunchResult>((resolve) => (answer = resolve)));
    const app = await renderApp(fake);
    expect(polite()).toBe('');
    await app.emit('face:recognised', recognitionOf());
    expect(polite()).toBe('Hello, Jane Doe. Off duty');
    fireEvent.click(screen.getByTestId('primary-action'));
    await app.flush();
    expect(polite()).toBe('Saving…');
    answer(punchOk('clock_in'));
    await app.flush();
    expect(polite()).toBe('Clocked in at 09:05');
    await app.advance(6_000);
    expect(polite()).toBe('');
    expect(document.body.textContent).not.toContain('Jane');
  });

  it('announce a face that was not recognised, and a failed punch urgently', async () => {
    const fake = createFakeKiosk();
    fake.handle('clock:punch', () => ({ ok: false, error: { code: 'not_allowed', message: 'clock_in is not possible while on duty.' } }));
    const app = await renderApp(fake);
    await app.emit('face:unknown', { reason: 'poor_quality', at: '2026-11-27T09:05:00Z' });
    expect(polite()).toBe('We could not recognise you. The picture was not clear enough.');
    await app.emit('face:recognised', recognitionOf());
    fireEvent.click(screen.getByTestId('primary-action'));
    await app.flush();
    expect(urgent()).toBe('That did not work. That action is not possible right now. Check your status or ask a manager.');
    expect(polite()).toBe('');
  });

  it('announce in the language chosen', async () => {
    const app = await renderApp();
    await choose(app, 'Español');
    await app.emit('face:recognised', recognitionOf());
    expect(polite()).toBe('Hola, Jane Doe. Fuera de servicio');
  });
});
