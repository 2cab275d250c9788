/** The setup wizard's liveness question: each mode as a large radio option with what staff will see under it. */
import type { ReactNode } from 'react';
import { LIVENESS_MODES, type LivenessMode } from '../../../../shared/config/schema';
import { useI18n } from '../../i18n/i18n';

export interface LivenessChoiceProps {
  value: LivenessMode;
  onChange: (mode: LivenessMode) => void;
  /** The id of the element that names the group (the wizard's question). */
  labelledBy: string;
  /** The step's problem, said under the options (a refused save). */
  error?: string | null;
}

/** The liveness modes, weakest first as in Admin > Setup, each a touch target named by the mode and described by its effect on staff. */
export function LivenessChoice(props: LivenessChoiceProps): ReactNode {
  const { t } = useI18n();
  return (
    <>
      <div role="radiogroup" aria-labelledby={props.labelledBy} className="wizard__options wizard__options--wide" data-testid="liveness-choice">
        {LIVENESS_MODES.map((mode) => {
          const chosen = props.value === mode;
          return (
            <button
              key={mode}
              type="button"
              role="radio"
              aria-checked={chosen}
              aria-labelledby={`liveness-mode-${mode}`}
              aria-describedby={`liveness-sees-${mode}`}
              className={`btn btn--option wizard__option ${chosen ? 'is-active' : ''}`}
              data-mode={mode}
              onClick={() => props.onChange(mode)}
            >
              <strong id={`liveness-mode-${mode}`}>{t(`setup.liveness.${mode}`)}</strong>
              <span id={`liveness-sees-${mode}`} className="wizard__option-note">
                {t(`wizard.livenessSees.${mode}`)}
              </span>
            </button>
          );
        })}
      </div>
      {props.error && <span className="field__error">{props.error}</span>}
    </>
  );
}
