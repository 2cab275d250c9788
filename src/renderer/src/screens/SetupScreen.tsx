/**
 * First run and the problem screen (KioskInfo.mode === 'setup'): what stops punching (the problems
 * the kiosk found with itself first, then the setup reasons), then the manager's part: on a new
 * kiosk the setup wizard, one question at a time, from the language and the manager PIN to a test
 * punch; otherwise the PIN is entered first, then the wizard configures the kiosk while the problem
 * sections offer their fixes.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { KioskInfo } from '../../../shared/domain/types';
import type { AdminStatus } from '../../../shared/domain/admin';
import { reportError, useKiosk, useKioskEvent } from '../api';
import { SetupWizard } from '../admin/wizard/SetupWizard';
import { setupReasonText } from '../i18n/codes';
import { useI18n } from '../i18n/i18n';
import { PinPad } from './PinScreen';
import { ProblemSections } from './ProblemScreen';

export function SetupScreen(props: { info: KioskInfo; onDone: () => void }): ReactNode {
  const api = useKiosk();
  const i18n = useI18n();
  const { t } = i18n;
  const [status, setStatus] = useState<AdminStatus | null>(null);
  const refresh = useCallback(() => {
    api.get('admin:status').then(setStatus, (error: unknown) => reportError(api, 'admin:status failed', error));
  }, [api]);
  useEffect(refresh, [refresh]);
  useKioskEvent('admin:status', setStatus);
  // Once the wizard is open it stays open (it creates the PIN itself and asks for it if it locks).
  const [wizard, setWizard] = useState(false);
  useEffect(() => {
    if (status && (!status.pinSet || status.unlocked)) setWizard(true);
  }, [status]);

  return (
    <main className="screen setup" data-testid="setup">
      <header className="admin__top">
        <h1>{t((props.info.problems ?? []).some((p) => p.blocking) ? 'problem.title' : 'setup.firstRun')}</h1>
        {props.info.mode === 'kiosk' && (
          <button type="button" className="btn btn--large btn--primary" onClick={props.onDone}>
            {t('setup.finish')}
          </button>
        )}
      </header>
      <ProblemSections problems={props.info.problems ?? []} unlocked={status?.unlocked ?? false} />
      {props.info.setupReasons.length > 0 && (
        <section className="msg msg--warn" aria-labelledby="reasons-title">
          <h2 id="reasons-title">{t('setup.reasons')}</h2>
          <ul>
            {props.info.setupReasons.map((reason) => {
              const { text, detail } = setupReasonText(i18n, reason);
              return (
                <li key={reason}>
                  {text}
                  {detail && (
                    <details className="msg__details">
                      <summary>{t('setup.details')}</summary>
                      <code lang="en">{detail}</code>
                    </details>
                  )}
                </li>
              );
            })}
          </ul>
        </section>
      )}
      <div className="admin__panel">
        {status === null && <p>{t('admin.loading')}</p>}
        {status && !wizard && (
          <div className="card card--narrow">
            <h2>{t('pin.title')}</h2>
            <PinPad onUnlocked={refresh} />
          </div>
        )}
        {wizard && <SetupWizard onFinish={props.onDone} finishLabel={t('setup.finish')} canFinish={props.info.mode === 'kiosk'} />}
      </div>
    </main>
  );
}
