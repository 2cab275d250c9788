/** Helpers for tests that go through the manager PIN into the admin area. */
import { fireEvent, screen } from '@testing-library/react';
import { expect } from 'vitest';
import type { AdminStatus, PublicConfig } from '../../../src/shared/domain/admin';
import type { FakeKiosk } from './fake-kiosk';
import { renderApp, type RenderedApp } from './render-app';

/** A configured kiosk as config:get answers it. */
export const config: PublicConfig = {
  hotel: { slug: 'harbour-view', name: 'Harbour View Hotel', timeZone: 'Europe/Dublin' },
  api: { baseUrl: 'http://127.0.0.1:8000/api', hasToken: false, accountName: null },
  pusher: { enabled: true, key: 'abc', cluster: 'eu', host: '', port: 443, useTLS: true },
  camera: { device: 'auto', width: 640, height: 480, fps: 15 },
  recognition: { threshold: 0.5, margin: 0.08, agreeFrames: 3, liveness: 'challenge_when_doubtful', auditSnapshots: false },
  ui: { language: 'en', showBoard: true, sound: true, highContrast: false },
  retention: { syncedDays: 90 },
};

/** A PIN checker like main's: 3 attempts, then a lock-out. */
export function withPin(fake: FakeKiosk, pin = '2468'): { status: AdminStatus } {
  const state = { status: { unlocked: false, pinSet: true, lockedUntil: null, attemptsLeft: 3 } as AdminStatus };
  fake.handle('admin:status', () => state.status);
  fake.handle('admin:unlock', (entered) => {
    if (state.status.lockedUntil) return { ok: false, error: { code: 'locked_out', message: 'locked' } };
    if (entered === pin) {
      state.status = { ...state.status, unlocked: true, attemptsLeft: 3 };
      return { ok: true, status: state.status };
    }
    const left = state.status.attemptsLeft - 1;
    state.status = { ...state.status, attemptsLeft: left, lockedUntil: left <= 0 ? '2026-11-27T09:10:00Z' : null };
    return { ok: false, error: { code: 'wrong_pin', message: 'wrong' } };
  });
  return state;
}

/** Types a PIN into the PIN field and presses Unlock. */
export async function typePin(app: RenderedApp, pin: string): Promise<void> {
  fireEvent.change(screen.getByLabelText('Enter the manager PIN'), { target: { value: pin } });
  await app.flush();
  fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
  await app.flush();
  await app.flush();
}

/** Renders the app and unlocks the manager area with PIN 2468. */
export async function openAdmin(fake: FakeKiosk): Promise<RenderedApp> {
  withPin(fake);
  const app = await renderApp(fake);
  fireEvent.click(screen.getByRole('button', { name: 'Open the manager area (PIN required)' }));
  await app.flush();
  await typePin(app, '2468');
  expect(document.body.dataset.screen).toBe('admin');
  return app;
}
