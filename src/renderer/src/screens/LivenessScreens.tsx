/**
 * The liveness screens: the friendly prompt for the small head turn main asks of a doubtful face
 * (never a name: main has not named anyone yet), and what follows a face that did not pass: "Try
 * again", and from the second failure on the manager fallback. Screen readers hear both through
 * the app's live region (components/Announcer).
 */
import type { ReactNode } from 'react';
import type { LivenessChallenge, LivenessFailure } from '../../../shared/domain/types';
import { useI18n } from '../i18n/i18n';

/** Whole seconds the person has for the challenge (at least one). */
export function challengeSeconds(challenge: LivenessChallenge): number {
  return Math.max(1, Math.round(challenge.timeoutMs / 1000));
}

export function ChallengeScreen(props: { challenge: LivenessChallenge }): ReactNode {
  const { t } = useI18n();
  const { challenge } = props;
  return (
    <main className="screen screen--center challenge" data-testid="challenge" data-action={challenge.action}>
      <div className={`challenge__arrow challenge__arrow--${challenge.action}`} aria-hidden="true">
        {challenge.action === 'turn_left' ? '↶' : '↷'}
      </div>
      <h1>{t(`challenge.${challenge.action}`)}</h1>
      <p className="lead">{t('challenge.hint')}</p>
      {challenge.attempt > 1 && <p>{t('challenge.again')}</p>}
      <p className="pill">{t('challenge.seconds', { n: challengeSeconds(challenge) })}</p>
    </main>
  );
}

export function NotConfirmedScreen(props: { failure: LivenessFailure; onRetry: () => void; onManager: () => void; onManual?: () => void }): ReactNode {
  const { t } = useI18n();
  return (
    <main className="screen screen--center unknown" data-testid="not-confirmed">
      <h1>{t('liveness.title')}</h1>
      <p className="lead">{t('liveness.body')}</p>
      <p>{t(props.failure.managerFallback ? 'liveness.managerHint' : 'liveness.tips')}</p>
      <div className="row">
        <button type="button" className="btn btn--large btn--primary" onClick={props.onRetry}>
          {t('liveness.retry')}
        </button>
        {props.failure.managerFallback && props.onManual && (
          <button type="button" className="btn btn--large btn--secondary" data-testid="clock-without-face" onClick={props.onManual}>
            {t('manual.start')}
          </button>
        )}
        {props.failure.managerFallback && (
          <button type="button" className="btn btn--large btn--secondary" data-testid="manager-fallback" onClick={props.onManager}>
            {t('liveness.manager')}
          </button>
        )}
      </div>
    </main>
  );
}
