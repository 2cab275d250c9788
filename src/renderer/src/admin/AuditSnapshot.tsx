/**
 * The audit snapshot of one punch in the admin ledger: a button that asks main for the decrypted
 * JPEG (`ledger:snapshot`, manager-only) and shows it beside the punch; the picture lives only in
 * this component's state and goes when the ledger is left.
 */
import { useState, type ReactNode } from 'react';
import { useKiosk } from '../api';
import { useI18n } from '../i18n/i18n';
import { useRequestFailure } from './request-failure';

export function AuditSnapshot(props: { eventId: string; who: string }): ReactNode {
  const api = useKiosk();
  const { t } = useI18n();
  const [picture, setPicture] = useState<string | null | undefined>(undefined);
  const { failure, fail, clear } = useRequestFailure();

  const show = async (): Promise<void> => {
    clear();
    try {
      const snapshot = await api.invoke('ledger:snapshot', props.eventId);
      setPicture(snapshot?.dataUrl ?? null);
    } catch (error) {
      fail('ledger:snapshot failed', error);
    }
  };

  if (picture) return <img className="ledger__snapshot" src={picture} alt={t('ledger.snapshotAlt', { who: props.who })} data-testid="ledger-snapshot" />;
  return (
    <>
      <button type="button" className="btn btn--small btn--secondary" onClick={() => void show()} data-testid="ledger-show-snapshot">
        {t('ledger.showSnapshot')}
      </button>
      {picture === null && <span>{t('ledger.noSnapshot')}</span>}
      {failure && <span role="alert">{t(failure)}</span>}
    </>
  );
}
