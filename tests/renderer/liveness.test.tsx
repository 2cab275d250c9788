// @vitest-environment jsdom
/**
 * The liveness screens through the real app: the friendly head-turn prompt (never a name, read out
 * at once, in the visit's language), a face that did not pass gets "Try again", and from its second
 * failure on the manager fallback; a passed challenge is greeted as usual.
 */
import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { LivenessChallenge, LivenessFailure } from '../../src/shared/domain/types';
import { createFakeKiosk, recognitionOf, testInfo } from './support/fake-kiosk';
import { renderApp, useKioskTestTime } from './support/render-app';

useKioskTestTime();

const challenge = (extra: Partial<LivenessChallenge> = {}): LivenessChallenge => ({ action: 'turn_left', attempt: 1, timeoutMs: 3000, at: '2026-11-27T09:05:00Z', ...extra });
const failure = (failures: number): LivenessFailure => ({ failures, managerFallback: failures >= 2, at: '2026-11-27T09:05:04Z' });

describe('the head-turn challenge', () => {
  it('asks kindly for the turn, with the time, reads it out at once, and shows no name', async () => {
    const app = await renderApp();
    await app.emit('face:challenge', challenge());
    expect(document.body.dataset.screen).toBe('challenge');
    const shown = screen.getByTestId('challenge').textContent ?? '';
    expect(shown).toContain('Please turn your head slightly to your left');
    expect(shown).toContain('You have 3 seconds.');
    expect(shown).not.toContain('Jane');
    expect(screen.getByTestId('announce-urgent').textContent).toBe('Please turn your head slightly to your left. You have 3 seconds.');
  });

  it('a second attempt to the right says so; in Polish with its plural', async () => {
    const app = await renderApp(createFakeKiosk({ ...testInfo, language: 'pl' }));
    await app.emit('face:challenge', challenge({ action: 'turn_right', attempt: 2 }));
    const shown = screen.getByTestId('challenge').textContent ?? '';
    expect(shown).toContain('Proszę lekko obrócić głowę w swoją prawą stronę');
    expect(shown).toContain('Spróbujmy jeszcze raz.');
    expect(shown).toContain('Masz 3 sekundy.');
  });

  it('a passed challenge greets the person', async () => {
    const app = await renderApp();
    await app.emit('face:challenge', challenge());
    await app.emit('face:recognised', recognitionOf());
    expect(document.body.dataset.screen).toBe('recognised');
    expect(screen.getByTestId('greeting').textContent).toContain('Hello, Jane Doe');
  });

  it('the prompt does not stay up if main never answers', async () => {
    const app = await renderApp();
    await app.emit('face:challenge', challenge());
    await app.advance(3000 + 4000);
    expect(document.body.dataset.screen).toBe('idle');
  });

  it('ends with the face: a face that left returns to idle', async () => {
    const app = await renderApp();
    await app.emit('face:challenge', challenge());
    await app.emit('face:gone', { reason: 'left', recognitionId: null, at: '2026-11-27T09:05:01Z' });
    expect(document.body.dataset.screen).toBe('idle');
  });
});

describe('a face that did not pass', () => {
  it('first failure: no name, "Try again" asks main for a fresh decision, no manager button yet', async () => {
    const app = await renderApp();
    await app.emit('face:challenge', challenge());
    await app.emit('face:livenessFailed', failure(1));
    expect(document.body.dataset.screen).toBe('notConfirmed');
    expect(screen.getByTestId('not-confirmed').textContent).toContain('That did not work this time');
    expect(screen.queryByTestId('manager-fallback')).toBeNull();
    expect(screen.getByTestId('announce-polite').textContent).toBe('That did not work this time. We could not complete the check.');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(app.fake.callsTo('face:startAgain')).toEqual([[]]);
  });

  it('second failure: offers the manager, which opens the manager PIN', async () => {
    const app = await renderApp();
    await app.emit('face:livenessFailed', failure(2));
    expect(screen.getByTestId('not-confirmed').textContent).toContain('If it still does not work, a manager can help.');
    fireEvent.click(screen.getByTestId('manager-fallback'));
    await app.advance(0);
    expect(document.body.dataset.screen).toBe('adminPin');
  });
});

describe('the next face', () => {
  it('"not recognised" gives way at once to the next face’s head-turn prompt, or its failure', async () => {
    const app = await renderApp();
    await app.emit('face:unknown', { reason: 'not_enrolled', at: '2026-11-27T09:05:00Z' });
    await app.emit('face:challenge', challenge());
    expect(document.body.dataset.screen).toBe('challenge');
    await app.emit('face:gone', { reason: 'left', recognitionId: null, at: '2026-11-27T09:05:02Z' });
    await app.emit('face:unknown', { reason: 'ambiguous', at: '2026-11-27T09:05:06Z' });
    expect(document.body.dataset.screen).toBe('unknown');
    await app.emit('face:livenessFailed', failure(2));
    expect(document.body.dataset.screen).toBe('notConfirmed');
  });
});
