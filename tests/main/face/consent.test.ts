/**
 * The consent texts: one per language, each promising what the kiosk does (a photo and a template
 * go to HotelMate, the template is deleted on request and when the person leaves), each with a
 * stable hash; the stored record keeps the exact text with its language and version and is read
 * back (older plain-text records too); a record whose text was altered is noticed.
 */
import { describe, expect, it } from 'vitest';
import { allConsentTexts, CONSENT_VERSION, consentHash, consentRecord, consentText, readConsentRecord, shownConsent } from '../../../src/main/face/consent';

describe('consent texts', () => {
  it('exist in every language, differ, and say what happens to the face, including when the person leaves', () => {
    const texts = allConsentTexts();
    expect(texts.map((c) => c.language)).toEqual(['en', 'pl', 'es']);
    expect(new Set(texts.map((c) => c.text)).size).toBe(3);
    expect(new Set(texts.map((c) => c.hash)).size).toBe(3);
    expect(consentText('en').text).toMatch(/photo of your face/);
    expect(consentText('en').text).toMatch(/sent to HotelMate/);
    expect(consentText('en').text).toMatch(/When you leave and HotelMate marks you as no longer working here, this kiosk deletes your template/);
    expect(consentText('pl').text).toMatch(/Gdy odejdziesz z pracy/);
    expect(consentText('es').text).toMatch(/Cuando deje la empresa/);
    for (const c of texts) expect(c.version).toBe(CONSENT_VERSION);
  });

  it('hashes the language with the text, so the same words in another language are another consent', () => {
    const en = consentText('en');
    expect(en.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(en.hash).toBe(consentHash('en', en.text));
    expect(consentHash('pl', en.text)).not.toBe(en.hash);
  });

  it('accepts only the text main holds now: a stale or made-up hash is refused', () => {
    expect(shownConsent('pl', consentText('pl').hash)).toEqual(consentText('pl'));
    expect(shownConsent('pl', consentText('en').hash)).toBeNull();
    expect(shownConsent('en', consentHash('en', 'I agree to anything.'))).toBeNull();
  });

  it('stores the text word for word with its language, version and hash, and reads it back', () => {
    const record = consentRecord(consentText('es'));
    expect(readConsentRecord(record)).toEqual({ text: consentText('es').text, language: 'es', version: CONSENT_VERSION, intact: true });
    // Records from before versions were the plain English text.
    expect(readConsentRecord('I agree that this kiosk stores a mathematical template of my face.')).toEqual({
      text: 'I agree that this kiosk stores a mathematical template of my face.',
      language: null,
      version: null,
      intact: true,
    });
    const altered = JSON.parse(record) as { text: string };
    altered.text = altered.text.replace('Puede pedir', 'No puede pedir');
    expect(readConsentRecord(JSON.stringify(altered)).intact).toBe(false);
  });
});
