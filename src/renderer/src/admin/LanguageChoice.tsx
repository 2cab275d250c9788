/** Choosing one of the kiosk's languages, each named in itself ("Polski"), as a group of radio buttons (touch). */
import type { ReactNode } from 'react';
import { LANGUAGES, type Language } from '../../../shared/domain/types';
import { translate } from '../i18n/i18n';

export interface LanguageChoiceProps {
  value: Language;
  onChange: (language: Language) => void;
  /** The group's name: a label, or the id of the element that names it. */
  label?: string;
  labelledBy?: string;
  /** `large`: one big option per line (the wizard); `compact`: small buttons in a row (the consent). */
  look: 'large' | 'compact';
  disabled?: boolean;
}

export function LanguageChoice(props: LanguageChoiceProps): ReactNode {
  const large = props.look === 'large';
  return (
    <div role="radiogroup" aria-label={props.label} aria-labelledby={props.labelledBy} className={large ? 'wizard__options' : 'row row--tight'}>
      {LANGUAGES.map((lang) => {
        const chosen = props.value === lang;
        const look = large ? `btn--option ${chosen ? 'is-active' : ''}` : `btn--small ${chosen ? 'btn--primary' : 'btn--secondary'}`;
        return (
          <button key={lang} type="button" role="radio" lang={lang} aria-checked={chosen} className={`btn ${look}`} disabled={props.disabled} onClick={() => props.onChange(lang)}>
            {translate(lang, 'lang.name')}
          </button>
        );
      })}
    </div>
  );
}
