/**
 * What follows a tap: saving, the confirmation (with the time, and the note that it is saved
 * offline or that a manager will check it) or a failure that
 * says what to do. Screen readers hear these through the app's live region (components/Announcer).
 */
import type { ReactNode } from 'react';
import { punchFailureKey, punchSavedNoteKey } from '../i18n/codes';
import { useI18n } from '../i18n/i18n';
import type { PunchFailure, PunchSuccess } from '../state/kiosk-machine';

export function PunchingScreen(): ReactNode {
  const { t } = useI18n();
  return (
    <main className="screen screen--center" data-testid="punching" aria-busy="true">
      <div className="spinner" aria-hidden="true" />
      <p className="lead">{t('punch.saving')}</p>
    </main>
  );
}

export function ConfirmedScreen(props: { result: PunchSuccess; name: string; onDone: () => void; children?: ReactNode }): ReactNode {
  const { t, formatTime } = useI18n();
  const r = props.result;
  const note = punchSavedNoteKey(r);
  return (
    <main className={`screen screen--center done done--${r.action}`} data-testid="confirmed">
      <div className="done__tick" aria-hidden="true">
        ✓
      </div>
      <h1>{t(`done.${r.action}`, { time: formatTime(r.occurredAt) })}</h1>
      <p className="lead">{t('done.thanks', { name: props.name })}</p>
      {note && (
        <p className="pill pill--warn" data-testid={note === 'done.review' ? 'saved-for-review' : 'saved-offline'}>
          {t(note)}
        </p>
      )}
      {r.duplicate && <p className="pill pill--ok">{t('done.duplicate')}</p>}
      {props.children}
      <button type="button" className="btn btn--large btn--secondary" onClick={props.onDone}>
        {t('done.ok')}
      </button>
    </main>
  );
}

export function FailedScreen(props: { failure: PunchFailure; onRetry: () => void; onClose: () => void }): ReactNode {
  const { t } = useI18n();
  return (
    <main className="screen screen--center failed" data-testid="failed">
      <div className="done__tick done__tick--bad" aria-hidden="true">
        !
      </div>
      <h1>{t('fail.title')}</h1>
      <p className="lead" data-testid="failure-text">
        {t(punchFailureKey(props.failure.code))}
      </p>
      <div className="row">
        <button type="button" className="btn btn--large btn--primary" onClick={props.onRetry}>
          {t('fail.retry')}
        </button>
        <button type="button" className="btn btn--large btn--secondary" onClick={props.onClose}>
          {t('fail.close')}
        </button>
      </div>
    </main>
  );
}

export function UnknownScreen(props: {
  reason: 'not_enrolled' | 'ambiguous' | 'poor_quality';
  onRetry: () => void;
  onManager: () => void;
  /** "Clock without face": pick the name, a manager approves. */
  onManual?: () => void;
}): ReactNode {
  const { t } = useI18n();
  return (
    <main className="screen screen--center unknown" data-testid="unknown">
      <h1>{t('unknown.title')}</h1>
      <p className="lead">{t(`unknown.${props.reason}`)}</p>
      <p>{t('unknown.tips')}</p>
      <div className="row">
        <button type="button" className="btn btn--large btn--primary" onClick={props.onRetry}>
          {t('unknown.retry')}
        </button>
        {props.onManual && (
          <button type="button" className="btn btn--large btn--secondary" data-testid="clock-without-face" onClick={props.onManual}>
            {t('manual.start')}
          </button>
        )}
        <button type="button" className="btn btn--large btn--secondary" onClick={props.onManager}>
          {t('unknown.manager')}
        </button>
      </div>
    </main>
  );
}
