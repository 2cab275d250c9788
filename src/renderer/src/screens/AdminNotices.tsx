/**
 * Notices at the top of the admin area: the problems the kiosk found with itself that do not stop
 * punching (settings restored from their last good copy, a failed backup, an unexpected error, a lab
 * http address) and a request to change a manager PIN shorter than 6 digits. The keyring state is on
 * the diagnostics tab instead (it does not change, so it would only be noise here).
 */
import type { ReactNode } from 'react';
import { useLiveValue } from '../api';
import { useI18n } from '../i18n/i18n';
import { ProblemItem } from './ProblemScreen';

export function AdminNotices(): ReactNode {
  const { t } = useI18n();
  const info = useLiveValue('app:info');
  const status = useLiveValue('admin:status');
  const notices = (info?.problems ?? []).filter((p) => !p.blocking && p.code !== 'secrets_unprotected');
  if (notices.length === 0 && !status?.pinTooShort) return null;
  return (
    <section className="msg msg--warn" aria-labelledby="admin-notices" data-testid="admin-notices">
      <h2 id="admin-notices">{t('problem.notices')}</h2>
      {status?.pinTooShort && (
        <p role="alert" data-testid="pin-too-short">
          {t('problem.pinTooShort')}
        </p>
      )}
      {notices.length > 0 && (
        <ul className="problems">
          {notices.map((problem) => (
            <ProblemItem key={problem.code} problem={problem} />
          ))}
        </ul>
      )}
    </section>
  );
}
