// @vitest-environment jsdom
/**
 * The on-screen keyboard: editing at the caret, shift, the Polish and Spanish letters, symbols for
 * web addresses, the PIN pad; and every text field of the kiosk typed without a physical keyboard
 * (the unrostered reason, "Type FORGET", the PIN change, the staff search).
 */
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyboardTextField } from '../../src/renderer/src/components/keyboard';
import { CLOSE_DELAY_MS } from '../../src/renderer/src/components/keyboard/KeyboardTextField';
import { ACCENT_ROW, applyKey, nextShift } from '../../src/renderer/src/components/keyboard/keyboard-layout';
import { openAdmin } from './support/admin';
import { createFakeKiosk, recognitionOf } from './support/fake-kiosk';
import { renderApp, type RenderedApp, useKioskTestTime } from './support/render-app';

function keyboard(): HTMLElement {
  return screen.getByRole('group', { name: 'On-screen keyboard' });
}

/** Presses keys of the open on-screen keyboard by their names (their text: checked to be their accessible name below). */
function press(...keys: string[]): void {
  for (const key of keys) {
    const button = [...keyboard().querySelectorAll('button')].find((b) => b.textContent === key);
    if (!button) throw new Error(`no key "${key}" on the keyboard`);
    fireEvent.click(button);
  }
}

describe('editing rules', () => {
  it('inserts and deletes at the caret, replaces a selection, and keeps to the length limit', () => {
    expect(applyKey('Dubin', { start: 3, end: 3 }, { type: 'insert', text: 'l' })).toEqual({ value: 'Dublin', caret: 4 });
    expect(applyKey('Dublin', { start: 0, end: 6 }, { type: 'insert', text: 'C' })).toEqual({ value: 'C', caret: 1 });
    expect(applyKey('Dublin', { start: 6, end: 6 }, { type: 'backspace' })).toEqual({ value: 'Dubli', caret: 5 });
    expect(applyKey('Dublin', { start: 0, end: 0 }, { type: 'backspace' })).toEqual({ value: 'Dublin', caret: 0 });
    expect(applyKey('Dublin', { start: 1, end: 4 }, { type: 'backspace' })).toEqual({ value: 'Din', caret: 1 });
    expect(applyKey('1234', { start: 4, end: 4 }, { type: 'insert', text: '5' }, 4)).toEqual({ value: '1234', caret: 4 });
    expect(applyKey('1234', { start: 2, end: 2 }, { type: 'clear' })).toEqual({ value: '', caret: 0 });
  });

  it('shift is one letter, twice is locked, three times off', () => {
    expect(nextShift('off')).toBe('once');
    expect(nextShift('once')).toBe('locked');
    expect(nextShift('locked')).toBe('off');
  });

  it('offers the letters Polish and Spanish names need', () => {
    for (const letter of ['ą', 'ć', 'ę', 'ł', 'ń', 'ó', 'ś', 'ź', 'ż', 'á', 'é', 'í', 'ñ', 'ú', 'ü']) expect(ACCENT_ROW).toContain(letter);
  });
});

function Field(props: { mode?: 'text' | 'url' | 'numeric'; onEnter?: () => void }): React.JSX.Element {
  const [value, setValue] = useState('');
  return (
    <>
      <KeyboardTextField label="Name" value={value} onChange={setValue} mode={props.mode} onEnter={props.onEnter} />
      <button type="button">Elsewhere</button>
      <output data-testid="value">{value}</output>
    </>
  );
}

describe('a field with the on-screen keyboard', () => {
  afterEach(() => cleanup());

  it('opens on focus, types with shift and accents without taking the focus, and closes when the focus leaves', async () => {
    render(<Field />);
    const input = screen.getByLabelText('Name') as HTMLInputElement;
    expect(screen.queryByRole('group', { name: 'On-screen keyboard' })).toBeNull();
    expect(input.getAttribute('inputmode')).toBe('none');
    act(() => input.focus());
    press('Shift', 'L', 'ó', 'd', 'ź');
    expect(screen.getByTestId('value').textContent).toBe('Lódź');
    expect(document.activeElement).toBe(input);
    // Shift twice: capitals stay on.
    press('Space', 'Shift', 'Shift', 'Ł', 'Ó');
    expect(within(keyboard()).getByRole('button', { name: 'Shift' }).getAttribute('aria-pressed')).toBe('true');
    press('Delete');
    expect(screen.getByTestId('value').textContent).toBe('Lódź Ł');
    // Typing in the middle: the caret is where the person put it.
    act(() => input.setSelectionRange(1, 1));
    press('Shift', 'x'); // Shift was locked: one press turns it off
    expect(screen.getByTestId('value').textContent).toBe('Lxódź Ł');
    expect(input.selectionStart).toBe(2);
    act(() => screen.getByRole('button', { name: 'Elsewhere' }).focus());
    // It stays a moment, so a tap on a button under it lands where it was aimed, then closes.
    expect(keyboard()).toBeTruthy();
    await act(() => new Promise((r) => setTimeout(r, CLOSE_DELAY_MS + 50)));
    expect(screen.queryByRole('group', { name: 'On-screen keyboard' })).toBeNull();
  });

  it('has the symbols a web address needs, a symbols page, Enter and Hide', () => {
    let entered = 0;
    render(<Field mode="url" onEnter={() => (entered += 1)} />);
    act(() => (screen.getByLabelText('Name') as HTMLInputElement).focus());
    press('h', 't', 't', 'p', 's', ':', '/', '/', 'h', 'm', '.', 'i', 'e', '/', 'a', 'p', 'i');
    expect(screen.getByTestId('value').textContent).toBe('https://hm.ie/api');
    press('Symbols', '@', '#', 'Letters', 'q');
    expect(screen.getByTestId('value').textContent).toBe('https://hm.ie/api@#q');
    press('Enter');
    expect(entered).toBe(1);
    press('Hide keyboard');
    expect(screen.queryByRole('group', { name: 'On-screen keyboard' })).toBeNull();
    // Touching the field again brings it back.
    fireEvent.pointerDown(screen.getByLabelText('Name'));
    expect(keyboard()).toBeTruthy();
  });

  it('every key is a button named by its text, with a touch-sized class', () => {
    render(<Field />);
    act(() => (screen.getByLabelText('Name') as HTMLInputElement).focus());
    const keys = within(keyboard()).getAllByRole('button');
    expect(keys.length).toBeGreaterThan(50);
    for (const key of keys) {
      expect(key.tagName).toBe('BUTTON');
      expect(key.textContent?.trim().length).toBeGreaterThan(0);
      expect(key.className).toContain('osk__key');
    }
    for (const name of ['q', 'ł', 'ñ', 'Shift', 'Delete', 'Space', 'Enter', 'Symbols', 'Hide keyboard']) {
      expect(within(keyboard()).getByRole('button', { name })).toBeTruthy();
    }
  });
});

describe('every text field of the kiosk works without a physical keyboard', () => {
  useKioskTestTime();

  it('the unrostered "other reason"', async () => {
    const fake = createFakeKiosk();
    fake.handle('clock:punch', (input) => ({ ok: true, eventId: 'e', action: input.action, occurredAt: '2026-11-27T09:05:00Z', savedOffline: false, duplicate: false,
      status: { staffId: 7, status: 'on_duty', breakStartedAt: null, pendingPunches: 0, updatedAt: null } }));
    const app = await renderApp(fake);
    await app.emit('face:recognised', recognitionOf({ shift: null }));
    fireEvent.click(screen.getByTestId('primary-action'));
    await app.flush();
    fireEvent.click(screen.getByRole('radio', { name: 'Other reason' }));
    await app.flush();
    // The field takes the focus and its keyboard opens at once.
    expect(document.activeElement).toBe(screen.getByLabelText('Describe the reason'));
    press('Shift', 'T', 'r', 'a', 'i', 'n', 'i', 'n', 'g');
    fireEvent.click(screen.getByRole('button', { name: 'Confirm Clock In' }));
    await app.flush();
    expect(fake.callsTo('clock:punch')).toEqual([[{ recognitionId: 'rec-1', action: 'clock_in', reason: 'Training' }]]);
  });

  async function systemTab(): Promise<RenderedApp> {
    const fake = createFakeKiosk();
    fake.handle('staff:list', () => [
      { id: 7, name: 'Jane Doe', department: 'Housekeeping', enrolled: true },
      { id: 8, name: 'Łucja Wiśniewska', department: 'Kitchen', enrolled: false },
      { id: 9, name: 'Carmen Núñez', department: 'Front Desk', enrolled: false },
    ]);
    fake.handle('enrol:list', () => []);
    fake.handle('app:forgetKiosk', () => ({ ok: true }));
    fake.handle('admin:setPin', () => ({ ok: true }));
    return openAdmin(fake);
  }

  it('"Type FORGET" and the PIN change', async () => {
    const app = await systemTab();
    fireEvent.click(screen.getByRole('tab', { name: 'System' }));
    await app.flush();
    act(() => (screen.getByLabelText('Type FORGET') as HTMLInputElement).focus());
    press('Shift', 'Shift', 'F', 'O', 'R', 'G', 'E', 'T');
    fireEvent.click(screen.getByRole('button', { name: 'Forget kiosk' }));
    await app.flush();
    expect(app.fake.callsTo('app:forgetKiosk')).toEqual([['FORGET']]);

    act(() => (screen.getByLabelText('New PIN (6 to 12 digits)') as HTMLInputElement).focus());
    await app.advance(CLOSE_DELAY_MS); // the FORGET field's keyboard closes
    expect(within(keyboard()).queryByRole('button', { name: 'q' })).toBeNull(); // the number pad
    press('1', '3', '5', '7', '9');
    act(() => (screen.getByLabelText('Repeat the PIN') as HTMLInputElement).focus());
    await app.advance(CLOSE_DELAY_MS);
    press('1', '3', '5', '7', '9');
    fireEvent.click(screen.getByRole('button', { name: 'Set PIN' }));
    await app.flush();
    expect(screen.getByText('The PIN must be 6 to 12 digits.')).toBeTruthy();
    expect(app.fake.callsTo('admin:setPin')).toEqual([]);
    act(() => (screen.getByLabelText('New PIN (6 to 12 digits)') as HTMLInputElement).focus());
    await app.advance(CLOSE_DELAY_MS);
    press('2');
    act(() => (screen.getByLabelText('Repeat the PIN') as HTMLInputElement).focus());
    await app.advance(CLOSE_DELAY_MS);
    press('2');
    fireEvent.click(screen.getByRole('button', { name: 'Set PIN' }));
    await app.flush();
    expect(app.fake.callsTo('admin:setPin')).toEqual([['135792']]);
  });

  it('the staff search (accents and case do not matter)', async () => {
    const app = await systemTab();
    const rows = (): string[] => [...screen.getByTestId('staff-table').querySelectorAll('tbody tr td:first-child')].map((td) => td.textContent ?? '');
    expect(rows()).toEqual(['Jane Doe', 'Łucja Wiśniewska', 'Carmen Núñez']);
    act(() => (screen.getByLabelText('Search staff') as HTMLInputElement).focus());
    press('l', 'u', 'c');
    await app.flush();
    expect(rows()).toEqual(['Łucja Wiśniewska']);
    press('Delete', 'Delete', 'Delete', 'n', 'u', 'ñ');
    await app.flush();
    expect(rows()).toEqual(['Carmen Núñez']);
    press('Delete', 'Delete', 'Delete', 'k', 'i', 't', 'c', 'h');
    await app.flush();
    expect(rows()).toEqual(['Łucja Wiśniewska']);
    press('x');
    await app.flush();
    expect(screen.getByText('Nobody matches "kitchx".')).toBeTruthy();
  });
});
