// @vitest-environment jsdom
/**
 * The enrolment panel as a manager uses it: enrolled staff are offered "Re-enrol", the consent text
 * is main's, in the language chosen for the person, and exactly that text (by language and hash)
 * is named when the capture starts; a changed text is refused in plain words; the consent each
 * person gave is listed with its language and version; faces removed because the person left
 * HotelMate are listed with what happened on HotelMate.
 */
import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { openAdmin } from './support/admin';
import { createFakeKiosk, testConsent } from './support/fake-kiosk';
import { useKioskTestTime } from './support/render-app';

useKioskTestTime();

function staffKiosk(): ReturnType<typeof createFakeKiosk> {
  const fake = createFakeKiosk();
  fake.handle('staff:list', () => [
    { id: 7, name: 'Jane Doe', department: 'Housekeeping', enrolled: true },
    { id: 8, name: 'Tomasz Nowak', department: 'Kitchen', enrolled: false },
  ]);
  fake.handle('enrol:list', () => [
    { staffId: 7, name: 'Jane Doe', templates: 5, consentAt: '2026-11-20T09:00:00Z', registeredWithServer: true, consentLanguage: 'pl', consentVersion: 2 },
  ]);
  fake.handle('enrol:start', ({ staffId }) => ({ state: 'capturing', staffId, captured: 0, needed: 5, hint: null }));
  fake.handle('enrol:leavers', () => [
    { staffId: 12, name: 'Seán Kelly', at: '2026-11-26T17:30:00Z', source: 'realtime', reason: 'deactivated', templatesRemoved: 4, server: 'revoked' },
    { staffId: 13, name: null, at: '2026-11-25T08:00:00Z', source: 'staff_list', reason: 'deleted', templatesRemoved: 2, server: 'queued' },
  ]);
  return fake;
}

describe('enrolment panel', () => {
  it('offers "Re-enrol" for enrolled staff and "Enrol" for the others', async () => {
    await openAdmin(staffKiosk());
    const table = screen.getByTestId('staff-table');
    expect(within(table).getByRole('button', { name: 'Re-enrol: Jane Doe' }).textContent).toBe('Re-enrol');
    expect(within(table).getByRole('button', { name: 'Enrol: Tomasz Nowak' }).textContent).toBe('Enrol');
  });

  it('shows main\'s consent text in the person\'s language and starts with exactly that text', async () => {
    const fake = staffKiosk();
    const app = await openAdmin(fake);
    fireEvent.click(screen.getByRole('button', { name: 'Enrol: Tomasz Nowak' }));
    await app.flush();
    expect(screen.getByTestId('consent-text').textContent).toBe(testConsent('en').text);
    fireEvent.click(screen.getByRole('radio', { name: 'Polski' }));
    await app.flush();
    expect(fake.callsTo('enrol:consent')).toEqual([['en'], ['pl']]);
    expect(screen.getByTestId('consent-text').textContent).toBe(testConsent('pl').text);
    expect(screen.getByTestId('consent-text').getAttribute('lang')).toBe('pl');
    fireEvent.click(screen.getByLabelText('Tomasz Nowak has read this and agrees'));
    fireEvent.click(screen.getByRole('button', { name: 'Start capture' }));
    await app.flush();
    expect(fake.callsTo('enrol:start')).toEqual([[{ staffId: 8, consent: true, consentLanguage: 'pl', consentHash: testConsent('pl').hash }]]);
  });

  it('a consent text that changed meanwhile is refused in plain words', async () => {
    const fake = staffKiosk();
    fake.handle('enrol:start', ({ staffId }) => ({ state: 'failed', staffId, reason: 'consent_changed' }));
    const app = await openAdmin(fake);
    fireEvent.click(screen.getByRole('button', { name: 'Re-enrol: Jane Doe' }));
    await app.flush();
    fireEvent.click(screen.getByLabelText('Jane Doe has read this and agrees'));
    fireEvent.click(screen.getByRole('button', { name: 'Start capture' }));
    await app.flush();
    expect(screen.getByTestId('enrol-step').textContent).toBe(
      'Enrolment did not finish. The consent text has changed since it was shown. Read the new text together and start again.',
    );
  });

  it('lists the consent each person gave and the faces removed because the person left', async () => {
    await openAdmin(staffKiosk());
    expect(screen.getByTestId('enrolled').textContent).toContain('20 Nov, 09:00 (Polski, text version 2)');
    const leavers = screen.getByTestId('leavers');
    expect(leavers.textContent).toContain('When HotelMate says someone no longer works here, the kiosk deletes their face by itself');
    const rows = [...leavers.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows).toEqual([
      ['Seán Kelly', '26 Nov, 17:30', 'Deactivated in HotelMate', 'Stopped on HotelMate too'],
      ['#13', '25 Nov, 08:00', 'Deleted in HotelMate', 'HotelMate will be told when online'],
    ]);
  });
});
