/**
 * Screen-reader announcements of the kiosk's state changes (greeting with the time on duty, saving,
 * punch confirmed with today's time and Undo, undoing, undone or too late to undo, not recognised,
 * a liveness prompt, failures): two live regions that stay mounted across screens, so a change of text
 * is announced, which a region mounted together with its text often is not.
 */
import type { ReactNode } from 'react';
import { isHeldForUndo } from '../../../shared/domain/punch';
import { punchFailureKey, punchSavedNoteKey } from '../i18n/codes';
import { workedSeconds } from '../screens/OutcomeScreens';
import { useI18n, type I18n } from '../i18n/i18n';
import type { KioskContext, KioskScreen } from '../state/kiosk-machine';
import { challengeSeconds } from '../screens/LivenessScreens';

export interface Announcement {
  /** Read out when the reader is free (greeting, saving, confirmed, not recognised). */
  polite: string;
  /** Read out at once (a punch that failed). */
  urgent: string;
}

const join = (...parts: (string | false | null | undefined)[]): string => parts.filter(Boolean).join('. ');

/** What a screen reader should hear on entering `screen`; empty strings when nothing changed for the person. */
export function announcementFor(i18n: I18n, screen: KioskScreen, context: KioskContext): Announcement {
  const { t, formatTime, formatDuration } = i18n;
  const r = context.recognition;
  switch (screen) {
    case 'recognised': {
      if (!r) return { polite: '', urgent: '' };
      const since = r.status.status !== 'off_duty' ? r.status.onDutySince : null;
      const onDuty = since
        ? t('greet.onDutySince', { time: formatTime(since), duration: formatDuration(Math.max(0, (Date.now() - Date.parse(since)) / 1000)) })
        : null;
      return { polite: join(t('greet.hello', { name: r.staff.name }), t(`status.${r.status.status}`), onDuty), urgent: '' };
    }
    case 'reason':
      return { polite: join(t('reason.title'), t('reason.prompt')), urgent: '' };
    case 'punching':
      return { polite: t('punch.saving'), urgent: '' };
    case 'confirmed': {
      const done = context.result;
      if (!done) return { polite: '', urgent: '' };
      const note = punchSavedNoteKey(done);
      const worked = workedSeconds(done);
      if (context.undoRefused) return { polite: '', urgent: t('done.tooLate') };
      return {
        polite: join(
          t(`done.${done.action}`, { time: formatTime(done.occurredAt) }),
          worked !== null && t('done.worked', { duration: formatDuration(worked) }),
          note && t(note),
          done.duplicate && t('done.duplicate'),
          isHeldForUndo(done) && t('done.undoLabel'),
        ),
        urgent: '',
      };
    }
    case 'undoing':
      return { polite: t('done.undo'), urgent: '' };
    case 'undone':
      return { polite: join(t('undone.title'), t('undone.again')), urgent: '' };
    case 'failed':
      return { polite: '', urgent: context.failure ? join(t('fail.title'), t(punchFailureKey(context.failure.code))) : t('fail.title') };
    case 'unknown':
      return { polite: join(t('unknown.title'), t(`unknown.${context.unknown?.reason ?? 'not_enrolled'}`)), urgent: '' };
    case 'challenge': {
      // Read at once: the person has only a few seconds to do it.
      const c = context.challenge;
      return { polite: '', urgent: c ? join(t(`challenge.${c.action}`), c.attempt > 1 && t('challenge.again'), t('challenge.seconds', { n: challengeSeconds(c) })) : '' };
    }
    case 'notConfirmed': {
      const f = context.livenessFailure;
      return { polite: join(t('liveness.title'), t('liveness.body'), f?.managerFallback && t('liveness.managerHint')), urgent: '' };
    }
    default:
      return { polite: '', urgent: '' };
  }
}

/** The live regions; render once, outside the screen that changes. */
export function Announcer(props: { screen: KioskScreen; context: KioskContext }): ReactNode {
  const i18n = useI18n();
  const said = announcementFor(i18n, props.screen, props.context);
  return (
    <>
      <div className="sr-only" role="status" aria-live="polite" aria-atomic="true" data-testid="announce-polite">
        {said.polite}
      </div>
      <div className="sr-only" role="alert" aria-live="assertive" aria-atomic="true" data-testid="announce-urgent">
        {said.urgent}
      </div>
    </>
  );
}
