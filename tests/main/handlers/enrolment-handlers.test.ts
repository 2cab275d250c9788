/**
 * Enrolment through the handlers with the real face pipeline and real photos: the consent text the
 * screen asked for (`enrol:consent`, Polish here) is the one recorded with the person's templates,
 * word for word with its language and version, and `enrol:list` says which; a consent that is not
 * main's current text starts nothing.
 */
import { describe, expect, it } from 'vitest';
import { consentText, readConsentRecord } from '../../../src/main/face/consent';
import { decodePhotoAsFrame, listPhotos } from '../../support/media/photos';
import { manualClock, realPipeline } from '../face/face-test-support';
import { createHandlerKit } from './handler-kit';

describe('enrolment with consent', () => {
  it('records the exact consent text shown, in the person\'s language, and lists it', async () => {
    const clock = manualClock();
    const k = await createHandlerKit({ clock, analyser: await realPipeline() });
    const shown = await k.handlers['enrol:consent']('pl');
    expect(shown).toEqual(consentText('pl'));
    expect(await k.handlers['enrol:start']({ staffId: 41, consent: true, consentLanguage: 'pl', consentHash: shown.hash })).toMatchObject({ state: 'capturing', staffId: 41 });
    const photos = listPhotos().filter((p) => p.identity === 'person-a').map((p) => p.file);
    for (const [seq, file] of [...photos, ...photos].entries()) {
      if (k.face.enrolment.current().state !== 'capturing') break;
      clock.advance(400);
      k.face.submit({ seq, ...decodePhotoAsFrame(file), capturedAt: clock.now().getTime() });
      await k.face.idle();
    }
    await k.face.enrolment.settled();
    expect(k.face.enrolment.current()).toMatchObject({ state: 'done', staffId: 41 });
    const stored = k.face.templates.consent(41);
    expect(stored && readConsentRecord(stored.consentText)).toEqual({ text: shown.text, language: 'pl', version: shown.version, intact: true });
    expect(await k.handlers['enrol:list']()).toMatchObject([{ staffId: 41, consentLanguage: 'pl', consentVersion: shown.version }]);
  }, 180_000);

  it('a consent that is not the current text (another language\'s hash, an old build) starts nothing', async () => {
    const k = await createHandlerKit({ clock: manualClock() });
    const step = await k.handlers['enrol:start']({ staffId: 41, consent: true, consentLanguage: 'es', consentHash: consentText('en').hash });
    expect(step).toEqual({ state: 'failed', staffId: 41, reason: 'consent_changed' });
    expect(k.face.enrolment.active()).toBe(false);
    expect(k.logger.records.some((r) => r.message.includes('the consent shown is not the current text'))).toBe(true);
  });
});
