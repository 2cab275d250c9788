/** Lets staff switch the kiosk language on the idle screen (each language named in itself). */
import type { ReactNode } from 'react';
import { LANGUAGES, type Language } from '../../../shared/domain/types';
import { translate, useI18n } from '../i18n/i18n';

export function LanguageSwitcher(props: { onChange: (language: Language) => void }): ReactNode {
  const { language, t } = useI18n();
  return (
    <div className="langs" role="group" aria-label={t('lang.choose')}>
      {LANGUAGES.map((lang) => (
        <button
          key={lang}
          type="button"
          lang={lang}
          className={`langs__btn ${lang === language ? 'is-active' : ''}`}
          aria-pressed={lang === language}
          onClick={() => props.onChange(lang)}
        >
          {translate(lang, 'lang.name')}
        </button>
      ))}
    </div>
  );
}
