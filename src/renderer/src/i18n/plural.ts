/**
 * Plural forms for counted messages: each language lists the CLDR plural categories its messages
 * must provide (as `Intl.PluralRules` reports them), and the form for a count is chosen by
 * `Intl.PluralRules`, so "1 attempt" / "2 próby" / "5 prób" come out right in every language.
 */
import type { Language } from '../../../shared/domain/types';

export type PluralCategory = Intl.LDMLPluralRule;

/**
 * The categories every counted message must have, per language (English one/other; Polish
 * one/few/many/other, "other" being fractions; Spanish one/many/other, "many" being millions).
 * The localisation test checks these against `Intl.PluralRules(locale).resolvedOptions()`.
 */
export const PLURAL_CATEGORIES = {
  en: ['one', 'other'],
  pl: ['one', 'few', 'many', 'other'],
  es: ['one', 'many', 'other'],
} as const satisfies Record<Language, readonly PluralCategory[]>;

/** One text per plural category of language `L`: a counted message in that language. */
export type PluralForms<L extends Language> = { readonly [C in (typeof PLURAL_CATEGORIES)[L][number]]: string };

/** Any language's plural forms, as the lookup sees them. */
export type AnyPluralForms = Partial<Record<PluralCategory, string>> & { readonly other: string };

/** The BCP 47 locale each language is formatted in (dates, numbers, plural rules). */
export const LOCALES: Record<Language, string> = { en: 'en-IE', pl: 'pl-PL', es: 'es-ES' };

const rulesCache = new Map<Language, Intl.PluralRules>();

/** The plural category of `count` in `language` ("few" for 3 in Polish, "one" for 1 in English...). */
export function pluralCategory(language: Language, count: number): PluralCategory {
  let rules = rulesCache.get(language);
  if (!rules) {
    rules = new Intl.PluralRules(LOCALES[language]);
    rulesCache.set(language, rules);
  }
  return rules.select(count);
}

/** The form of `forms` for `count`; "other" when the runtime reports a category the message lacks. */
export function selectPlural(language: Language, forms: AnyPluralForms, count: number): string {
  return forms[pluralCategory(language, count)] ?? forms.other;
}
