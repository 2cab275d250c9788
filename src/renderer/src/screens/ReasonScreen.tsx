/**
 * Unrostered clock-in: HotelMate wants a confirmation, so the person picks or types a reason first.
 * Every touch and keystroke tells the machine (`onActivity`), so the step stays open while they type.
 */
import { useState, type ReactNode } from 'react';
import { KeyboardTextField } from '../components/keyboard';
import { useI18n } from '../i18n/i18n';

const PRESETS = ['reason.cover', 'reason.extra', 'reason.swap', 'reason.early'] as const;
type Preset = (typeof PRESETS)[number];

export interface ReasonScreenProps {
  name: string;
  onReason: (reason: string) => void;
  onBack: () => void;
  /** A choice or a keystroke: restarts the step's privacy timeout. */
  onActivity?: () => void;
}

export function ReasonScreen(props: ReasonScreenProps): ReactNode {
  const { t } = useI18n();
  const [choice, setChoiceState] = useState<Preset | 'other' | null>(null);
  const [text, setTextState] = useState('');
  const { onActivity } = props;
  const setChoice = (next: Preset | 'other'): void => {
    setChoiceState(next);
    onActivity?.();
  };
  const setText = (next: string): void => {
    setTextState(next);
    onActivity?.();
  };
  const reason = choice === 'other' ? text.trim() : choice ? t(choice) : '';
  return (
    <main className="screen reason" data-testid="reason">
      <div className="card">
        <h1>{t('reason.title')}</h1>
        <p className="lead">{props.name}</p>
        <p>{t('reason.prompt')}</p>
        <div className="reason__list" role="radiogroup" aria-label={t('reason.prompt')}>
          {PRESETS.map((key) => (
            <button
              key={key}
              type="button"
              role="radio"
              aria-checked={choice === key}
              className={`btn btn--option ${choice === key ? 'is-active' : ''}`}
              onClick={() => setChoice(key)}
            >
              {t(key)}
            </button>
          ))}
          <button
            type="button"
            role="radio"
            aria-checked={choice === 'other'}
            className={`btn btn--option ${choice === 'other' ? 'is-active' : ''}`}
            onClick={() => setChoice('other')}
          >
            {t('reason.other')}
          </button>
        </div>
        {choice === 'other' && (
          <KeyboardTextField label={t('reason.otherLabel')} value={text} maxLength={255} autoFocus onChange={setText} testId="reason-other" />
        )}
        <div className="row">
          <button type="button" className="btn btn--large btn--secondary" onClick={props.onBack}>
            {t('reason.back')}
          </button>
          <button
            type="button"
            className="btn btn--large btn--clock_in"
            disabled={reason.length === 0}
            onClick={() => props.onReason(reason.slice(0, 255))}
          >
            {t('reason.confirm')}
          </button>
        </div>
      </div>
    </main>
  );
}
