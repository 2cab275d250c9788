// @vitest-environment jsdom
/** The dictionaries are complete, keep every placeholder, and are real translations; times follow the hotel zone. */
import { describe, expect, it } from 'vitest';
import { en } from '../../../src/renderer/src/i18n/en';
import { createI18n, DICTIONARIES, translate } from '../../../src/renderer/src/i18n/i18n';

type Key = keyof typeof en;
const KEYS = Object.keys(en) as Key[];
/** Every text of a message: the string, or each of its plural forms. */
const textsOf = (entry: string | Record<string, string>): string[] => (typeof entry === 'string' ? [entry] : Object.values(entry));
const placeholders = (entry: string | Record<string, string>): string[] =>
  [...new Set(textsOf(entry).flatMap((text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string)))].sort();
// Words that are the same in every language (names, codes, units).
const SAME_EVERYWHERE = new Set<Key>(['lang.name', 'action.breakMinutes', 'greet.status', 'setup.hotel', 'setup.pusherPort', 'admin.tab.system', 'staff.no', 'pin.title', 'diag.stage.total']);

describe('i18n', () => {
  for (const lang of ['pl', 'es'] as const) {
    it(`${lang} has every key, non-empty, with the same placeholders as English`, () => {
      const dict = DICTIONARIES[lang];
      for (const key of KEYS) {
        expect(dict[key], key).toBeTruthy();
        for (const text of textsOf(dict[key])) expect(text.trim(), key).not.toBe('');
        expect(placeholders(dict[key]), key).toEqual(placeholders(en[key]));
      }
    });

    it(`${lang} is translated, not an English copy`, () => {
      const dict = DICTIONARIES[lang];
      const copied = KEYS.filter((k) => !SAME_EVERYWHERE.has(k) && JSON.stringify(dict[k]) === JSON.stringify(en[k]));
      // A handful of technical words may coincide (e.g. "Status", "Port"); more means a missing translation.
      expect(copied.length, copied.join(', ')).toBeLessThanOrEqual(4);
    });
  }

  it('fills placeholders in the language\'s number format and leaves unknown ones visible', () => {
    expect(translate('pl', 'conn.waiting', { n: 3 })).toBe('3 odbicia czekają');
    expect(translate('es', 'greet.hello', { name: 'Lucía' })).toBe('Hola, Lucía');
    expect(translate('pl', 'diag.fps', { n: 14.5 })).toBe('14,5 klatki na sekundę');
    expect(translate('es', 'pin.wrong', { n: 1_000_000 })).toBe('PIN incorrecto. Quedan 1.000.000 de intentos.');
    // Only reachable by bypassing the types: a missing parameter shows, it does not vanish.
    const untyped = translate as (lang: 'en', key: Key) => string;
    expect(untyped('en', 'greet.hello')).toBe('Hello, {name}');
  });

  it('formats times in the hotel time zone', () => {
    const at = new Date('2026-07-01T12:00:00Z');
    expect(createI18n('en', 'Europe/Dublin').formatTime(at)).toBe('13:00');
    expect(createI18n('en', 'Europe/Warsaw').formatTime(at)).toBe('14:00');
    expect(createI18n('es', 'America/New_York').formatTime(at)).toBe('08:00');
    expect(createI18n('pl', 'Europe/Dublin').formatDate(at)).toContain('lipca');
  });

  it('formats durations in the language\'s units', () => {
    expect(createI18n('en').formatDuration(45)).toBe('45 secs');
    expect(createI18n('en').formatDuration(2520)).toBe('42 mins');
    expect(createI18n('pl').formatDuration(7500)).toBe('2 godz. 5 min');
    expect(createI18n('es').formatDuration(3600)).toBe('1 h');
  });
});
