/**
 * The typed i18n layer: every visible string goes through `t(key, params)`, whose keys are the
 * English dictionary's, so a missing translation, a missing plural form or an unfilled placeholder
 * is a compile error. Counted messages pick their form with `Intl.PluralRules`. Also formats
 * numbers, durations, times and dates in the hotel's time zone (not the kiosk computer's), and
 * keeps `<html lang>` on the language shown.
 */
import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';
import type { Language } from '../../../shared/domain/types';
import { en, type Dictionary, type MessageKey, type ParamsArg } from './en';
import { es } from './es';
import { pl } from './pl';
import { LOCALES, selectPlural, type AnyPluralForms } from './plural';

export type { CountedKey, MessageKey, ParamsArg, PlainKey } from './en';

export const DICTIONARIES: { [L in Language]: Dictionary<L> } = { en, pl, es };

type Params = Record<string, string | number>;
const numberFormats = new Map<Language, Intl.NumberFormat>();

/** `value` written the way `language` writes numbers ("14.9" / "14,9"). */
export function formatNumber(language: Language, value: number): string {
  let format = numberFormats.get(language);
  if (!format) {
    format = new Intl.NumberFormat(LOCALES[language], { maximumFractionDigits: 1 });
    numberFormats.set(language, format);
  }
  return format.format(value);
}

/**
 * Looks up `key` in `language`, picks the plural form for `params.n` and fills `{name}`
 * placeholders (numbers in the language's format). A placeholder without a value stays visible.
 */
export function translate<K extends MessageKey>(language: Language, key: K, ...args: ParamsArg<K>): string {
  const params = args[0] as Params | undefined;
  const entry: string | AnyPluralForms = DICTIONARIES[language][key] ?? en[key];
  const count = params?.n;
  const text = typeof entry === 'string' ? entry : selectPlural(language, entry, typeof count === 'number' ? count : Number.NaN);
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!Object.prototype.hasOwnProperty.call(params, name)) return whole;
    const value = params[name];
    return typeof value === 'number' ? formatNumber(language, value) : value;
  });
}

/** A time zone Intl accepts; falls back to the computer's zone for a bad value instead of throwing. */
export function safeTimeZone(timeZone: string | undefined): string | undefined {
  if (!timeZone) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return undefined;
  }
}

export interface I18n {
  language: Language;
  locale: string;
  /** The hotel's time zone as used for every time shown (the computer's when none or invalid). */
  timeZone: string;
  t: <K extends MessageKey>(key: K, ...params: ParamsArg<K>) => string;
  /** "14.9" / "14,9". */
  formatNumber: (value: number) => string;
  /** "45 s", "3 min", "2 h 5 min" in the language's units. */
  formatDuration: (seconds: number) => string;
  /** "14:05" in the hotel's zone. */
  formatTime: (at: Date | string | number, withSeconds?: boolean) => string;
  /** "Friday 27 November" in the hotel's zone. */
  formatDate: (at: Date | string | number) => string;
  /** "27 Nov, 14:05" in the hotel's zone. */
  formatDateTime: (at: Date | string | number) => string;
}

/** Builds the i18n helpers for one language and hotel time zone. */
export function createI18n(language: Language, timeZone?: string): I18n {
  const locale = LOCALES[language];
  const zone = safeTimeZone(timeZone);
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone });
  const timeSec = new Intl.DateTimeFormat(locale, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZone: zone,
  });
  const date = new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone: zone });
  const dateTime = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: zone,
  });
  const unit = (name: 'second' | 'minute' | 'hour'): Intl.NumberFormat =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'short', maximumFractionDigits: 0 });
  const seconds = unit('second');
  const minutes = unit('minute');
  const hours = unit('hour');
  const toDate = (at: Date | string | number): Date => (at instanceof Date ? at : new Date(at));
  return {
    language,
    locale,
    timeZone: zone ?? time.resolvedOptions().timeZone,
    t: (key, ...params) => translate(language, key, ...params),
    formatNumber: (value) => formatNumber(language, value),
    formatDuration: (total) => {
      if (total < 60) return seconds.format(Math.round(total));
      const wholeMinutes = Math.round(total / 60);
      if (wholeMinutes < 60) return minutes.format(wholeMinutes);
      const rest = wholeMinutes % 60;
      const h = hours.format(Math.floor(wholeMinutes / 60));
      return rest === 0 ? h : `${h} ${minutes.format(rest)}`;
    },
    formatTime: (at, withSeconds = false) => (withSeconds ? timeSec : time).format(toDate(at)),
    formatDate: (at) => date.format(toDate(at)),
    formatDateTime: (at) => dateTime.format(toDate(at)),
  };
}

const I18nContext = createContext<I18n>(createI18n('en'));

/**
 * Provides the i18n helpers for the current language and the hotel's time zone, and sets
 * `<html lang>` to that language (screen readers and hyphenation follow it).
 */
export function I18nProvider(props: { language: Language; timeZone?: string; children: ReactNode }): ReactNode {
  const value = useMemo(() => createI18n(props.language, props.timeZone), [props.language, props.timeZone]);
  useEffect(() => {
    document.documentElement.lang = props.language;
  }, [props.language]);
  return <I18nContext.Provider value={value}>{props.children}</I18nContext.Provider>;
}

/** The current i18n helpers. */
export function useI18n(): I18n {
  return useContext(I18nContext);
}
