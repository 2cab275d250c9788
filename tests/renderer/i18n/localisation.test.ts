// @vitest-environment jsdom
/**
 * Every string of every language rendered with the counts 0, 1, 2, 5, 22 (and Polish's few/many
 * cases 3, 12, 25, and a fraction): no raw key, no unfilled `{placeholder}`, the plural forms
 * each language needs (checked against Intl.PluralRules), the right form for each count, and
 * real sentences spot-checked in each language.
 */
import { describe, expect, it } from 'vitest';
import { LANGUAGES, type Language } from '../../../src/shared/domain/types';
import { en } from '../../../src/renderer/src/i18n/en';
import { DICTIONARIES, translate } from '../../../src/renderer/src/i18n/i18n';
import { LOCALES, PLURAL_CATEGORIES } from '../../../src/renderer/src/i18n/plural';

type Key = keyof typeof en;
const KEYS = Object.keys(en) as Key[];
const COUNTS = [0, 1, 2, 3, 5, 12, 22, 25, 1.5];
const SAMPLE = 'Ximena';
/** Any message rendered from outside the types (every key, with every placeholder filled). */
const render = translate as (language: Language, key: Key, params?: Record<string, string | number>) => string;

function placeholdersOf(key: Key): string[] {
  const entry: string | Record<string, string> = en[key];
  const texts = typeof entry === 'string' ? [entry] : Object.values(entry);
  return [...new Set(texts.flatMap((t) => [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string)))];
}

function paramsFor(key: Key, n: number): Record<string, string | number> {
  const params: Record<string, string | number> = {};
  for (const name of placeholdersOf(key)) params[name] = name === 'n' ? n : SAMPLE;
  return params;
}

const isCounted = (key: Key): boolean => typeof en[key] !== 'string';

describe('localisation', () => {
  it.each(LANGUAGES)('%s: the plural categories each message provides are the ones Intl.PluralRules uses', (language) => {
    const categories = new Intl.PluralRules(LOCALES[language]).resolvedOptions().pluralCategories;
    expect([...PLURAL_CATEGORIES[language]].sort()).toEqual([...categories].sort());
    const dict = DICTIONARIES[language];
    for (const key of KEYS) {
      const entry: string | Record<string, string> = dict[key];
      if (!isCounted(key)) {
        expect(typeof entry, `${language} ${key} must be a plain string`).toBe('string');
        continue;
      }
      expect(typeof entry, `${language} ${key} must have plural forms`).toBe('object');
      expect(Object.keys(entry).sort(), `${language} ${key}`).toEqual([...categories].sort());
    }
  });

  it('every message with a count is plural forms, and every form shows the count', () => {
    for (const language of LANGUAGES) {
      for (const key of KEYS) {
        const entry: string | Record<string, string> = DICTIONARIES[language][key];
        if (typeof entry === 'string') {
          expect(entry, `${language} ${key}: a count needs plural forms`).not.toMatch(/\{n\}/);
        } else {
          for (const [category, form] of Object.entries(entry)) expect(form, `${language} ${key} ${category}`).toContain('{n}');
        }
      }
    }
  });

  it.each(LANGUAGES)('%s: every string renders with counts 0, 1, 2, 3, 5, 12, 22, 25, 1.5: no raw key, no unfilled placeholder, the right form', (language) => {
    const rules = new Intl.PluralRules(LOCALES[language]);
    const numbers = new Intl.NumberFormat(LOCALES[language], { maximumFractionDigits: 1 });
    for (const key of KEYS) {
      for (const n of isCounted(key) ? COUNTS : [1]) {
        const text = render(language, key, paramsFor(key, n));
        const where = `${language} ${key} n=${n}: "${text}"`;
        expect(text.trim(), where).not.toBe('');
        expect(text, where).not.toMatch(/\{\w+\}/);
        expect(KEYS.some((k) => text.includes(k)), `${where} shows a key`).toBe(false);
        expect(text, `${where} shows a code`).not.toMatch(/\b[a-z]+_[a-z_]+\b/);
        if (!isCounted(key)) continue;
        const forms = DICTIONARIES[language][key] as unknown as Record<string, string>;
        const expected = (forms[rules.select(n)] ?? forms.other).replaceAll('{n}', numbers.format(n)).replaceAll(/\{\w+\}/g, SAMPLE);
        expect(text, where).toBe(expected);
        expect(text, where).toContain(numbers.format(n));
      }
    }
  });

  it.each(LANGUAGES)('%s: the manager button\'s spoken name contains its visible word (axe label-content-name-mismatch)', (language) => {
    const visible = translate(language, 'idle.manager').toLowerCase();
    const words = translate(language, 'idle.managerLabel').toLowerCase().split(/[^\p{L}]+/u);
    expect(words).toContain(visible);
  });

  describe('real sentences', () => {
    const cases: [Language, Key, number, string][] = [
      ['en', 'pin.wrong', 1, 'Wrong PIN. 1 attempt left.'],
      ['en', 'pin.wrong', 0, 'Wrong PIN. 0 attempts left.'],
      ['en', 'pin.wrong', 2, 'Wrong PIN. 2 attempts left.'],
      ['en', 'greet.pending', 1, '1 of your punches is waiting to sync'],
      ['en', 'greet.pending', 5, '5 of your punches are waiting to sync'],
      ['en', 'conn.waiting', 1, '1 punch waiting'],
      ['en', 'conn.waiting', 22, '22 punches waiting'],
      ['en', 'conn.review', 1, '1 punch needs a manager'],
      ['en', 'conn.review', 2, '2 punches need a manager'],
      ['en', 'staff.done', 1, 'Enrolled with 1 face template'],
      ['pl', 'pin.wrong', 1, 'Błędny PIN. Została 1 próba.'],
      ['pl', 'pin.wrong', 2, 'Błędny PIN. Zostały 2 próby.'],
      ['pl', 'pin.wrong', 3, 'Błędny PIN. Zostały 3 próby.'],
      ['pl', 'pin.wrong', 5, 'Błędny PIN. Zostało 5 prób.'],
      ['pl', 'pin.wrong', 12, 'Błędny PIN. Zostało 12 prób.'],
      ['pl', 'pin.wrong', 22, 'Błędny PIN. Zostały 22 próby.'],
      ['pl', 'pin.wrong', 25, 'Błędny PIN. Zostało 25 prób.'],
      ['pl', 'pin.wrong', 0, 'Błędny PIN. Zostało 0 prób.'],
      ['pl', 'conn.waiting', 1, '1 odbicie czeka'],
      ['pl', 'conn.waiting', 22, '22 odbicia czekają'],
      ['pl', 'conn.waiting', 12, '12 odbić czeka'],
      ['pl', 'greet.pending', 1, '1 twoje odbicie czeka na wysłanie'],
      ['pl', 'greet.pending', 25, '25 twoich odbić czeka na wysłanie'],
      ['pl', 'diag.fps', 14.5, '14,5 klatki na sekundę'],
      ['es', 'pin.wrong', 1, 'PIN incorrecto. Queda 1 intento.'],
      ['es', 'pin.wrong', 2, 'PIN incorrecto. Quedan 2 intentos.'],
      ['es', 'pin.wrong', 0, 'PIN incorrecto. Quedan 0 intentos.'],
      ['es', 'greet.pending', 1, '1 de sus fichajes está pendiente de sincronizar'],
      ['es', 'greet.pending', 5, '5 de sus fichajes están pendientes de sincronizar'],
      ['es', 'conn.review', 1, '1 fichaje necesita a un encargado'],
      ['es', 'conn.review', 22, '22 fichajes necesitan a un encargado'],
    ];
    it.each(cases)('%s %s n=%d: %s', (language, key, n, sentence) => {
      expect(render(language, key, paramsFor(key, n))).toBe(sentence);
    });
  });
});
