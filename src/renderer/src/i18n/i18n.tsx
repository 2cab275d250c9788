/**
 * The typed i18n layer: every visible string goes through `t(key, params)`, whose keys are the
 * English dictionary's, so a missing translation is a compile error. Also formats times and dates
 * in the hotel's time zone (not the kiosk computer's).
 */
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { Language } from '../../../shared/domain/types';
import { en, type Dictionary, type MessageKey } from './en';
import { es } from './es';
import { pl } from './pl';

export type { MessageKey } from './en';

export const DICTIONARIES: Record<Language, Dictionary> = { en, pl, es };
const LOCALES: Record<Language, string> = { en: 'en-IE', pl: 'pl-PL', es: 'es-ES' };

export type MessageParams = Record<string, string | number>;

/** Looks up `key` in `language` and fills `{name}` placeholders; unknown placeholders stay visible. */
export function translate(language: Language, key: MessageKey, params?: MessageParams): string {
  const text = DICTIONARIES[language][key] ?? en[key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
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
  t: (key: MessageKey, params?: MessageParams) => string;
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
  const toDate = (at: Date | string | number): Date => (at instanceof Date ? at : new Date(at));
  return {
    language,
    locale,
    t: (key, params) => translate(language, key, params),
    formatTime: (at, withSeconds = false) => (withSeconds ? timeSec : time).format(toDate(at)),
    formatDate: (at) => date.format(toDate(at)),
    formatDateTime: (at) => dateTime.format(toDate(at)),
  };
}

const I18nContext = createContext<I18n>(createI18n('en'));

/** Provides the i18n helpers for the current language and the hotel's time zone. */
export function I18nProvider(props: { language: Language; timeZone?: string; children: ReactNode }): ReactNode {
  const value = useMemo(() => createI18n(props.language, props.timeZone), [props.language, props.timeZone]);
  return <I18nContext.Provider value={value}>{props.children}</I18nContext.Provider>;
}

/** The current i18n helpers. */
export function useI18n(): I18n {
  return useContext(I18nContext);
}
