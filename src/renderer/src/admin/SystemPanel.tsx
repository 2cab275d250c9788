/** Changing the PIN, leaving kiosk mode and forgetting this kiosk (typed confirmation on the on-screen keyboard, because it deletes the faces). */
import { useState, type ReactNode } from 'react';
import { useKiosk } from '../api';
import { KeyboardTextField } from '../components/keyboard';
import { useI18n } from '../i18n/i18n';
import { useRequestFailure } from './request-failure';
import { PinSetup } from './SetupPanel';

export function SystemPanel(): ReactNode {
  const api = useKiosk();
  const { t } = useI18n();
  const [typed, setTyped] = useState('');
  const { failure, fail } = useRequestFailure();
  const run = async (label: string, what: () => Promise<unknown>): Promise<void> => {
    try {
      await what();
    } catch (e) {
      fail(`${label} failed`, e);
    }
  };
  return (
    <div className="system">
      <PinSetup />
      <section aria-labelledby="exit-title">
        <h2 id="exit-title">{t('sys.exit')}</h2>
        <button type="button" className="btn btn--secondary" onClick={() => void run('app:exit', () => api.invoke('app:exit'))}>
          {t('sys.exit')}
        </button>
      </section>
      <section aria-labelledby="forget-title">
        <h2 id="forget-title">{t('sys.forget')}</h2>
        <p>{t('sys.forgetHelp')}</p>
        <KeyboardTextField label={t('sys.forgetLabel')} value={typed} onChange={setTyped} />
        <button
          type="button"
          className="btn btn--danger"
          disabled={typed !== 'FORGET'}
          onClick={() => void run('app:forgetKiosk', () => api.invoke('app:forgetKiosk', 'FORGET'))}
        >
          {t('sys.forgetButton')}
        </button>
      </section>
      {failure && <p role="alert" className="msg msg--bad">{t(failure)}</p>}
    </div>
  );
}
