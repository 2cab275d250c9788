// @vitest-environment jsdom
/**
 * "Clock without face" in the renderer against a fake main: the search narrows the names and asks
 * for more letters past the list's limit, the action follows the re-read status, a wrong PIN stays
 * on the pad with nothing else happening, and a refusal of the punch itself is said in plain words;
 * a recognised manager is offered as "Approve as <name>", the person clocked is told they cannot
 * approve their own punch.
 */
import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { StaffListEntry } from '../../src/shared/domain/enrolment';
import type { ManualPunchRequest } from '../../src/shared/domain/manual-punch';
import { MANUAL_LIST_LIMIT } from '../../src/renderer/src/screens/manual/ManualPunchFlow';
import type { ManualApproverCheck } from '../../src/shared/domain/manual-punch';
import { createFakeKiosk, recognitionOf } from './support/fake-kiosk';
import { renderApp, useKioskTestTime } from './support/render-app';

useKioskTestTime();

const STAFF: StaffListEntry[] = [
  ...Array.from({ length: MANUAL_LIST_LIMIT + 2 }, (_, i) => ({ id: 100 + i, name: `Anna Nowak ${i + 1}`, department: 'Kitchen', enrolled: true })),
  { id: 7, name: 'Łucja Żak', department: 'Housekeeping', enrolled: false },
];

async function openFlow(answer: (request: ManualPunchRequest) => unknown, approver?: (recognitionId: string, staffId: number) => ManualApproverCheck) {
  const fake = createFakeKiosk();
  if (approver) fake.handle('manual:approver', approver);
  fake.handle('manual:begin', () => ({ attemptId: '0b7f2a59-8d1e-4c41-9a7e-5c2a0f8f1d11', faceSeen: false }));
  fake.handle('manual:staff', () => STAFF);
  fake.handle('manual:status', (staffId) => ({ staffId, status: 'on_duty', breakStartedAt: null, pendingPunches: 0, updatedAt: null }));
  fake.handle('admin:status', () => ({ unlocked: false, pinSet: true, lockedUntil: null, attemptsLeft: 3, pinTooShort: false }));
  fake.handle('manual:punch', answer as never);
  const app = await renderApp(fake);
  await app.emit('face:unknown', { reason: 'not_enrolled', at: '2026-11-27T09:05:00Z' });
  fireEvent.click(screen.getByTestId('clock-without-face'));
  await app.flush();
  await app.flush();
  return app;
}

const names = (): string[] => Array.from(screen.getByTestId('manual-people').querySelectorAll('button')).map((b) => b.textContent ?? '');

describe('clock without face (renderer)', () => {
  it('shows at most the list limit and asks for more letters; accents and case do not matter', async () => {
    const app = await openFlow(() => ({ ok: false, error: { code: 'not_allowed', message: '' } }));
    expect(names()).toHaveLength(MANUAL_LIST_LIMIT);
    expect(screen.getByText('More names match: type more of your name.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Your name'), { target: { value: 'lucja' } });
    await app.flush();
    expect(names()).toEqual(['Łucja Żak · Housekeeping']);
    fireEvent.change(screen.getByLabelText('Your name'), { target: { value: 'zzz' } });
    await app.flush();
    expect(screen.getByText('Nobody on the staff list matches. Check the spelling.')).toBeTruthy();
  });

  it('offers what the status allows; a wrong PIN stays on the pad; a refused punch is said plainly', async () => {
    const requests: ManualPunchRequest[] = [];
    const app = await openFlow((request) => {
      requests.push(request);
      if (!('pin' in request) || request.pin !== '135790') return { ok: false, error: { code: 'wrong_pin', message: 'wrong' } };
      return { ok: false, error: { code: 'not_allowed', message: 'clock_out is not possible while off duty.' } };
    });
    fireEvent.change(screen.getByLabelText('Your name'), { target: { value: 'lucja' } });
    await app.flush();
    fireEvent.click(screen.getByRole('button', { name: /Łucja Żak/ }));
    await app.flush();
    // On duty: Start Break first, Clock Out second.
    expect(screen.getByTestId('manual-status').textContent).toBe('On duty');
    expect(screen.getByTestId('manual-action-start_break')).toBeTruthy();
    fireEvent.click(screen.getByTestId('manual-action-clock_out'));
    await app.flush();
    fireEvent.change(screen.getByLabelText('Why the face could not be used'), { target: { value: '  camera broken  ' } });
    fireEvent.click(screen.getAllByRole('button', { name: 'Next' }).at(-1) as HTMLElement);
    await app.flush();
    expect(screen.getByText('Clock Out for Łucja Żak')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Enter the manager PIN'), { target: { value: '111111' } });
    fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    await app.flush();
    await app.flush();
    expect(screen.getByTestId('pin-message')).toBeTruthy();
    expect(screen.getByText('Clock Out for Łucja Żak')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Enter the manager PIN'), { target: { value: '135790' } });
    fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    await app.flush();
    await app.flush();
    expect(screen.getByTestId('manual-failed').textContent).toContain('Not recorded');
    expect(requests.at(-1)).toEqual({ staffId: 7, action: 'clock_out', pin: '135790', attemptId: '0b7f2a59-8d1e-4c41-9a7e-5c2a0f8f1d11', note: 'camera broken' });
  });

  it('offers a recognised manager as "Approve as <name>", tells the person clocked they cannot approve themselves, and sends the recognition, not a PIN', async () => {
    const requests: ManualPunchRequest[] = [];
    const app = await openFlow(
      (request) => {
        requests.push(request);
        return { ok: false, error: { code: 'approver_not_in_view', message: 'gone' } };
      },
      (recognitionId, staffId) =>
        recognitionId === 'rec-self'
          ? { ok: false, error: { code: 'self_approval', message: 'own punch' } }
          : { ok: true, staffId: 42, name: `Siobhan Kelly (for ${staffId})` },
    );
    fireEvent.change(screen.getByLabelText('Your name'), { target: { value: 'lucja' } });
    await app.flush();
    fireEvent.click(screen.getByRole('button', { name: /Łucja Żak/ }));
    await app.flush();
    fireEvent.click(screen.getByTestId('manual-action-clock_out'));
    await app.flush();
    fireEvent.click(screen.getAllByRole('button', { name: 'Next' }).at(-1) as HTMLElement);
    await app.flush();
    expect(screen.getByTestId('manual-face-approval').textContent).toContain('Or a manager can look at the camera');
    expect(screen.queryByTestId('manual-approve-as')).toBeNull();

    await app.emit('face:recognised', recognitionOf({ recognitionId: 'rec-self', staff: { id: 7, name: 'Łucja Żak', department: null, photoUrl: null } }));
    await app.flush();
    expect(screen.getByTestId('manual-approver-refused').textContent).toBe('Łucja Żak, you cannot approve your own punch. Another manager must approve it.');
    expect(screen.queryByTestId('manual-approve-as')).toBeNull();

    await app.emit('face:gone', { reason: 'replaced', recognitionId: 'rec-self', at: '2026-11-27T09:06:00Z' });
    await app.emit('face:recognised', recognitionOf({ recognitionId: 'rec-boss', staff: { id: 42, name: 'Siobhan Kelly', department: null, photoUrl: null } }));
    await app.flush();
    fireEvent.click(screen.getByRole('button', { name: 'Approve as Siobhan Kelly (for 7)' }));
    await app.flush();
    await app.flush();
    expect(requests).toEqual([{ staffId: 7, action: 'clock_out', approverRecognitionId: 'rec-boss', attemptId: '0b7f2a59-8d1e-4c41-9a7e-5c2a0f8f1d11' }]);
    // Refused at the tap (the manager stepped away): said on the approval step, the PIN pad still there.
    expect(screen.getByTestId('manual-approver-refused').textContent).toBe('The manager is no longer in front of the camera. Please look at the camera again.');
    expect(screen.getByLabelText('Enter the manager PIN')).toBeTruthy();
  });
});
