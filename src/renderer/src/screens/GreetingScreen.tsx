/**
 * The recognised screen: who we think this is, their status (with "as of HH:MM" when HotelMate did
 * not confirm it just now, and how long they have been on duty) and shift, one big primary button
 * that follows the shift (Clock Out from shortly before its end) and the secondary actions their
 * state allows. "Not you?" withdraws the match.
 */
import { useEffect, useLayoutEffect, useState, type ReactNode } from 'react';
import type { ClockAction, Recognition } from '../../../shared/domain/types';
import { clockButtonsForShift } from '../../../shared/domain/duty-status';
import { useI18n } from '../i18n/i18n';
import { GREETING_TEST_ID, markGreetingCommitted } from '../perf';

export interface GreetingScreenProps {
  recognition: Recognition;
  onChoose: (action: ClockAction) => void;
  onNotYou: () => void;
  onCancel: () => void;
  /** Injectable clock for the running break minutes. */
  now?: () => number;
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? '')
    .join('');
}

export function GreetingScreen(props: GreetingScreenProps): ReactNode {
  const { t, formatTime, formatDuration, timeZone } = useI18n();
  const now = props.now ?? Date.now;
  const [nowMs, setNowMs] = useState(() => now());
  const [photoFailed, setPhotoFailed] = useState(false);
  const r = props.recognition;

  useLayoutEffect(() => {
    markGreetingCommitted();
  }, [r.recognitionId]);

  useEffect(() => {
    const timer = setInterval(() => setNowMs(now()), 15_000);
    return () => clearInterval(timer);
  }, [now]);

  // The seed's button mapping; labels come from this renderer's dictionaries, keyed by action.
  const buttons = clockButtonsForShift(r.status.status, r.status.breakStartedAt, r.shift, new Date(nowMs), timeZone);
  const primary = buttons.primary.action;
  const minutes = buttons.primary.subKey ? buttons.primary.params.minutes : undefined;
  const primaryLabel = t(`action.${primary}`) + (minutes ? ` ${t('action.breakMinutes', { n: minutes })}` : '');
  const secondary = buttons.secondary ? [buttons.secondary.action] : [];
  const department = r.staff.department ?? r.shift?.department ?? null;
  // HotelMate did not confirm the status just now (offline, or slower than the re-read's budget).
  const asOf = r.status.freshness?.source === 'cached' ? r.status.freshness.asOf : null;
  const since = r.status.status !== 'off_duty' && r.status.onDutySince ? r.status.onDutySince : null;
  const onDutySeconds = since ? Math.max(0, (nowMs - Date.parse(since)) / 1000) : 0;

  return (
    <main className="screen greet" data-testid={GREETING_TEST_ID}>
      <div className="greet__card">
        <div className="greet__who">
          {r.staff.photoUrl && !photoFailed ? (
            <img className="avatar" src={r.staff.photoUrl} alt="" onError={() => setPhotoFailed(true)} />
          ) : (
            <div className="avatar avatar--initials" aria-hidden="true">
              {initials(r.staff.name)}
            </div>
          )}
          <div>
            <h1 className="greet__name">{t('greet.hello', { name: r.staff.name })}</h1>
            {department && <p className="greet__dept">{department}</p>}
            <p className={`chip chip--${r.status.status}`} data-testid="duty-status">
              {t(`status.${r.status.status}`)}
            </p>
            {since && (
              <p className="greet__since" data-testid="on-duty-since">
                {t('greet.onDutySince', { time: formatTime(since), duration: formatDuration(onDutySeconds) })}
              </p>
            )}
            {asOf && (
              <p className="greet__asof" data-testid="status-as-of">
                {t('greet.asOf', { time: formatTime(asOf) })}
              </p>
            )}
          </div>
        </div>
        <p className="greet__shift" data-testid="shift">
          {r.shift ? t('greet.shiftToday', { start: r.shift.start, end: r.shift.end }) : t('greet.noShift')}
        </p>
        {r.status.pendingPunches > 0 && <p className="greet__note">{t('greet.pending', { n: r.status.pendingPunches })}</p>}
        {r.spoofSuspected && <p className="greet__note">{t('greet.spoof')}</p>}
        <div className="greet__actions">
          <button
            type="button"
            className={`btn btn--huge btn--${primary}`}
            data-testid="primary-action"
            onClick={() => props.onChoose(primary)}
          >
            {primaryLabel}
          </button>
          {secondary.map((action) => (
            <button
              key={action}
              type="button"
              className="btn btn--large btn--secondary"
              data-testid={`action-${action}`}
              onClick={() => props.onChoose(action)}
            >
              {t(`action.${action}`)}
            </button>
          ))}
        </div>
        <div className="greet__footer">
          <button type="button" className="btn btn--link" onClick={props.onNotYou}>
            {t('greet.notYou')}
          </button>
          <button type="button" className="btn btn--quiet" onClick={props.onCancel}>
            {t('greet.cancel')}
          </button>
        </div>
      </div>
    </main>
  );
}
