/**
 * What follows a tap: saving, the confirmation (with the time, today's time on duty, the note that
 * it is saved offline or that a manager will check it, a chime and an animated tick, and Undo
 * while the punch can still be undone), "Undone", or a failure that says what to do. Screen readers
 * hear these through the app's live region (components/Announcer).
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { playPunchSound } from '../feedback/punch-sound';
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

export interface ConfirmedScreenProps {
  result: PunchSuccess;
  name: string;
  onDone: () => void;
  /** Undo, shown while the punch can still be undone; absent when it cannot. */
  onUndo?: () => void;
  /** Undo was tapped too late: the punch is on its way. */
  undoRefused?: boolean;
  /** Undo was tapped and main is answering. */
  undoing?: boolean;
  /** Play the chime (config ui.sound). */
  sound: boolean;
  /** Offers after the punch (e.g. Enrol now after a punch without a face). */
  children?: ReactNode;
}

/** Seconds on duty from the clock-in to this punch, for every punch but the clock-in itself; null when unknown. */
export function workedSeconds(result: PunchSuccess): number | null {
  if (result.action === 'clock_in' || !result.sessionStartedAt) return null;
  const seconds = (Date.parse(result.occurredAt) - Date.parse(result.sessionStartedAt)) / 1000;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}

export function ConfirmedScreen(props: ConfirmedScreenProps): ReactNode {
  const { t, formatTime, formatDuration } = useI18n();
  const r = props.result;
  const note = punchSavedNoteKey(r);
  const worked = workedSeconds(r);
  // The chime sounds once per punch (not again when the screen comes back after a refused undo).
  const chimed = useRef<string | null>(null);
  const { sound } = props;
  useEffect(() => {
    if (!sound || r.duplicate || chimed.current === r.eventId) return;
    chimed.current = r.eventId;
    playPunchSound();
  }, [sound, r.eventId, r.duplicate]);
  return (
    <main className={`screen screen--center done done--${r.action}`} data-testid="confirmed">
      <div className={`done__tick ${r.duplicate ? '' : 'done__tick--pop'}`} aria-hidden="true" data-testid="done-tick">
        ✓
      </div>
      <h1>{t(`done.${r.action}`, { time: formatTime(r.occurredAt) })}</h1>
      <p className="lead">{t('done.thanks', { name: props.name })}</p>
      {worked !== null && (
        <p className="done__worked" data-testid="worked-today">
          {t('done.worked', { duration: formatDuration(worked) })}
        </p>
      )}
      {note && (
        <p className="pill pill--warn" data-testid={note === 'done.review' ? 'saved-for-review' : 'saved-offline'}>
          {t(note)}
        </p>
      )}
      {r.duplicate && <p className="pill pill--ok">{t('done.duplicate')}</p>}
      {props.undoRefused && (
        <p className="pill pill--warn" data-testid="undo-too-late">
          {t('done.tooLate')}
        </p>
      )}
      {props.children}
      <div className="row">
        {props.onUndo && (
          <button
            type="button"
            className="btn btn--large btn--secondary"
            data-testid="undo"
            aria-label={t('done.undoLabel')}
            disabled={props.undoing}
            onClick={props.onUndo}
          >
            {t('done.undo')}
          </button>
        )}
        <button type="button" className="btn btn--large btn--secondary" onClick={props.onDone}>
          {t('done.ok')}
        </button>
      </div>
    </main>
  );
}

/** A punch undone right after it: nothing was recorded, and the person may choose again. */
export function UndoneScreen(props: { onDone: () => void }): ReactNode {
  const { t } = useI18n();
  return (
    <main className="screen screen--center undone" data-testid="undone">
      <h1>{t('undone.title')}</h1>
      <p className="lead">{t('undone.again')}</p>
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
