// @vitest-environment jsdom
/** The dictionaries are complete, keep every placeholder, and are real translations. */
import { describe, expect, it } from 'vitest';
import { en } from '../../../src/renderer/src/i18n/en';
import { createI18n, DICTIONARIES, translate } from '../../../src/renderer/src/i18n/i18n';

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string).sort();
// Words that are the same in every language (names, codes, units).
const SAME_EVERYWHERE = new Set(['lang.name', 'action.breakMinutes', 'greet.status', 'setup.hotel', 'setup.pusherPort', 'admin.tab.system', 'staff.no', 'pin.title']);

describe('i18n', () => {
  for (const lang of ['pl', 'es'] as const) {
    it(`${lang} has every key, non-empty, with the same placeholders as English`, () => {
      const dict = DICTIONARIES[lang];
      for (const key of Object.keys(en) as (keyof typeof en)[]) {
        expect(dict[key], key).toBeTruthy();
        expect(placeholders(dict[key]), key).toEqual(placeholders(en[key]));
      }
    });

    it(`${lang} is translated, not an English copy`, () => {
      const dict = DICTIONARIES[lang];
      const copied = (Object.keys(en) as (keyof typeof en)[]).filter((k) => !SAME_EVERYWHERE.has(k) && dict[k] === en[k]);
      // A handful of technical words may coincide (e.g. "Status", "Port"); more means a missing translation.
      expect(copied.length, copied.join(', ')).toBeLessThanOrEqual(4);
    });
  }

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('pl', 'conn.waiting', { n: 3 })).toBe('Oczekujące odbicia: 3');
    expect(translate('es', 'greet.hello', { name: 'Lucía' })).toBe('Hola, Lucía');
    expect(translate('en', 'greet.hello')).toBe('Hello, {name}');
  });

  it('formats times in the hotel time zone', () => {
    const at = new Date('2026-07-01T12:00:00Z');
    expect(createI18n('en', 'Europe/Dublin').formatTime(at)).toBe('13:00');
    expect(createI18n('en', 'Europe/Warsaw').formatTime(at)).toBe('14:00');
    expect(createI18n('es', 'America/New_York').formatTime(at)).toBe('08:00');
    expect(createI18n('pl', 'Europe/Dublin').formatDate(at)).toContain('lipca');
  });
});
