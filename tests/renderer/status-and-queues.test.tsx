// @vitest-environment jsdom
/**
 * What staff and managers see of the status re-read and the outgoing queues: the "as of" hint on a
 * greeting HotelMate did not confirm just now, "saved; a manager will check it" after a punch that
 * went to review, and in the admin ledger "send again" for a needs-review punch and the face jobs
 * with retry and discard (each after a question), and the job queue in Diagnostics.
 */
import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { QueuedJob } from '../../src/shared/domain/jobs';
import type { LedgerRow } from '../../src/shared/domain/ledger';
import type { PunchResult } from '../../src/shared/domain/punch';
import type { EffectiveStatus } from '../../src/shared/domain/types';
import { openAdmin } from './support/admin';
import { createFakeKiosk, recognitionOf } from './support/fake-kiosk';
import { renderApp, useKioskTestTime } from './support/render-app';

useKioskTestTime();

const onDuty = (extra: Partial<EffectiveStatus> = {}): EffectiveStatus => ({ staffId: 7, status: 'on_duty', breakStartedAt: null, pendingPunches: 0, updatedAt: '2026-11-27T08:47:00Z', ...extra });

describe('the greeting says how current the status is', () => {
  it('"Status as of 08:47" when HotelMate did not confirm it just now, nothing when it did; a pushed status removes the hint', async () => {
    const app = await renderApp();
    await app.emit('face:recognised', recognitionOf({ status: onDuty({ freshness: { source: 'cached', asOf: '2026-11-27T08:47:00Z' } }) }));
    expect(screen.getByTestId('status-as-of').textContent).toBe('Status as of 08:47');
    await app.emit('clock:status', onDuty({ status: 'on_break', breakStartedAt: '2026-11-27T08:50:00Z', updatedAt: '2026-11-27T09:05:00Z' }));
    expect(screen.getByTestId('duty-status').textContent).toBe('On break');
    expect(screen.queryByTestId('status-as-of')).toBeNull();
    expect(screen.getByTestId('primary-action').textContent).toMatch(/End Break/);

    await app.emit('face:recognised', recognitionOf({ recognitionId: 'rec-live', status: onDuty({ freshness: { source: 'live', asOf: '2026-11-27T09:05:00Z' } }) }));
    expect(screen.queryByTestId('status-as-of')).toBeNull();
  });
});

describe('a punch HotelMate could not take', () => {
  it('is confirmed as "saved; a manager will check it", not "saved offline"', async () => {
    const fake = createFakeKiosk();
    const review: PunchResult = { ok: true, eventId: 'e', action: 'clock_in', occurredAt: '2026-11-27T09:05:00Z', savedOffline: true, needsReview: true, duplicate: false, status: onDuty() };
    fake.handle('clock:punch', () => review);
    const app = await renderApp(fake);
    await app.emit('face:recognised', recognitionOf());
    fireEvent.click(screen.getByTestId('primary-action'));
    await app.flush();
    expect(screen.getByTestId('saved-for-review').textContent).toBe('Saved; a manager will check it');
    expect(screen.queryByTestId('saved-offline')).toBeNull();
    expect(screen.getByTestId('announce-polite').textContent).toBe('Clocked in at 09:05. Saved; a manager will check it');
  });
});

const reviewRow: LedgerRow = {
  eventId: '0190a4c4-0000-7000-8000-00000000000b',
  staffId: 8,
  staffName: 'Tomasz Nowak',
  action: 'clock_in',
  occurredAt: '2026-11-27T08:30:00Z',
  syncState: 'needs_review',
  attempts: 1,
  lastError: 'HotelMate did not recognise the face at sync time (face-clock-in): Face not recognized',
  syncedAt: null,
  delaySeconds: null,
  flagged: false,
};

const failedJob: QueuedJob = {
  id: '0190a4c4-0000-7000-8000-0000000000j1',
  kind: 'face.revoke',
  staffId: 9,
  staffName: 'Carmen Ruiz',
  state: 'failed',
  attempts: 30,
  maxAttempts: 30,
  lastError: 'face revocation: HTTP 503 Maintenance',
  createdAt: '2026-11-27T07:00:00Z',
  updatedAt: '2026-11-27T08:00:00Z',
};

async function openLedger(fake = createFakeKiosk()) {
  fake.handle('staff:list', () => []);
  fake.handle('enrol:list', () => []);
  const app = await openAdmin(fake);
  fireEvent.click(screen.getByRole('tab', { name: 'Punches' }));
  await app.flush();
  return app;
}

describe('the admin ledger: sending a needs-review punch again', () => {
  it('asks first, then queues it and says so; a refusal says why in plain words', async () => {
    const fake = createFakeKiosk();
    let row = reviewRow;
    fake.handle('ledger:list', () => [row]);
    fake.handle('jobs:list', () => []);
    fake.handle('ledger:retry', (eventId) => {
      row = { ...row, syncState: 'pending' };
      return { ok: true, row: { ...row, eventId } };
    });
    const app = await openLedger(fake);
    fireEvent.click(screen.getByRole('button', { name: 'Send again: Tomasz Nowak, 27 Nov, 08:30' }));
    await app.flush();
    expect(fake.callsTo('ledger:retry')).toEqual([]); // not before the question is answered
    expect(screen.getByText(/Send this punch to HotelMate again\?/)).toBeTruthy();
    fireEvent.click(screen.getByTestId('ledger-retry-yes'));
    await app.flush();
    await app.flush();
    expect(fake.callsTo('ledger:retry')).toEqual([[reviewRow.eventId]]);
    expect(screen.getByTestId('ledger-retried').textContent).toBe('Queued again: the kiosk checks it against HotelMate now.');
    expect(screen.getByTestId('ledger-table').textContent).toContain('Waiting');
    expect(screen.queryByTestId('ledger-retry')).toBeNull();

    row = reviewRow;
    fake.handle('ledger:retry', () => ({ ok: false, error: { code: 'superseded', message: 'main says' } }));
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await app.flush();
    fireEvent.click(screen.getByTestId('ledger-retry'));
    await app.flush();
    fireEvent.click(screen.getByTestId('ledger-retry-yes'));
    await app.flush();
    await app.flush();
    expect(screen.getByTestId('ledger-retried').textContent).toMatch(/^A later punch of this person has already reached HotelMate/);
    expect(screen.getByTestId('ledger-retried').getAttribute('role')).toBe('alert');
  });

  it('cancel leaves the punch alone', async () => {
    const fake = createFakeKiosk();
    fake.handle('ledger:list', () => [reviewRow]);
    fake.handle('jobs:list', () => []);
    const app = await openLedger(fake);
    fireEvent.click(screen.getByTestId('ledger-retry'));
    await app.flush();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await app.flush();
    expect(fake.callsTo('ledger:retry')).toEqual([]);
    expect(screen.getByTestId('ledger-retry')).toBeTruthy();
  });
});

describe('the admin ledger: face registrations and removals', () => {
  it('lists waiting and failed jobs with their reason; retry and discard ask first and say what discarding loses', async () => {
    const fake = createFakeKiosk();
    let jobs: QueuedJob[] = [failedJob, { ...failedJob, id: 'j2', kind: 'face.register', staffName: null, staffId: 12, state: 'waiting', attempts: 2, lastError: 'HotelMate unreachable (timeout)' }];
    fake.handle('ledger:list', () => []);
    fake.handle('jobs:list', () => jobs);
    fake.handle('jobs:retry', (id) => {
      jobs = jobs.map((j) => (j.id === id ? { ...j, state: 'waiting', attempts: 0 } : j));
      return { ok: true, job: jobs[0] };
    });
    fake.handle('jobs:discard', (id) => {
      jobs = jobs.filter((j) => j.id !== id);
      return { ok: true };
    });
    const app = await openLedger(fake);
    const table = screen.getByTestId('jobs-table').textContent ?? '';
    expect(table).toContain('Carmen Ruiz');
    expect(table).toContain('Face removal');
    expect(table).toContain('Failed · 30 attempts');
    expect(table).toContain('face revocation: HTTP 503 Maintenance');
    expect(table).toContain('#12');
    expect(table).toContain('Face registration');
    expect(table).toContain('Waiting · 2 attempts');
    expect(screen.getAllByTestId('job-retry')).toHaveLength(1); // only the failed one

    fireEvent.click(screen.getByRole('button', { name: 'Retry: Carmen Ruiz' }));
    await app.flush();
    fireEvent.click(screen.getByTestId('job-retry-yes'));
    await app.flush();
    await app.flush();
    expect(fake.callsTo('jobs:retry')).toEqual([[failedJob.id]]);
    expect(screen.getByTestId('jobs-table').textContent).toContain('Waiting · 0 attempts');

    fireEvent.click(screen.getByRole('button', { name: 'Discard: Carmen Ruiz' }));
    await app.flush();
    expect(screen.getByText('Discard this removal? HotelMate keeps the face active until someone removes it there.')).toBeTruthy();
    fireEvent.click(screen.getByTestId('job-discard-yes'));
    await app.flush();
    await app.flush();
    expect(fake.callsTo('jobs:discard')).toEqual([[failedJob.id]]);
    expect(screen.getByTestId('jobs-table').textContent).not.toContain('Carmen Ruiz');
  });

  it('says so when nothing waits', async () => {
    const fake = createFakeKiosk();
    fake.handle('ledger:list', () => []);
    fake.handle('jobs:list', () => []);
    await openLedger(fake);
    expect(screen.getByTestId('jobs-empty').textContent).toBe('Nothing waiting and nothing failed.');
  });
});

describe('Diagnostics: the job queue', () => {
  it('shows waiting and failed jobs, the oldest, the pause and the last problem', async () => {
    const fake = createFakeKiosk();
    fake.handle('staff:list', () => []);
    fake.handle('enrol:list', () => []);
    fake.handle('diagnostics:get', () => ({
      versions: { app: '0.1.0' },
      camera: { state: 'streaming', fps: 15, restarts: 0, device: '/dev/video0' },
      face: { analysedFps: 7, stageMs: {}, decisions: 1, workerRestarts: 0 },
      queue: { pending: 0, needsReview: 0, synced: 3, oldestPendingAt: null },
      jobs: {
        waiting: 2,
        running: 0,
        failed: 1,
        oldestWaitingAt: '2026-11-27T08:15:00Z',
        lastError: { kind: 'face.revoke', staffId: 9, message: 'face revocation: HTTP 503 Maintenance', at: '2026-11-27T08:00:00Z' },
        paused: { reason: 'offline', message: 'HotelMate unreachable (timeout)', since: '2026-11-27T08:10:00Z' },
      },
      sync: { api: 'paused', lastSyncAt: null, lastError: 'HotelMate’s address answered with a redirect (HTTP 302), not the API' },
      realtime: { state: 'disabled', events: 0, lastEventAt: null },
      health: { rendererRestarts: 0, watchdogRestarts: 0, uptimeSeconds: 60 },
      recentErrors: [],
    }));
    const app = await openAdmin(fake);
    fireEvent.click(screen.getByRole('tab', { name: 'Diagnostics' }));
    await app.flush();
    const text = screen.getByTestId('diagnostics').textContent ?? '';
    expect(text).toContain(
      'Face registrations and removals2 waiting · 1 failed · oldest waiting since 27 Nov, 08:15 · waiting for HotelMate to be reachable · last problem: face revocation: HTTP 503 Maintenance',
    );
    expect(text).toContain('Paused (punches are kept) · nothing sent yet · last problem: HotelMate’s address answered with a redirect (HTTP 302), not the API');
  });
});
