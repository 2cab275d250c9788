/** Connection, queue and camera state on the idle screen, so staff trust that punches are kept. */
import type { ReactNode } from 'react';
import type { CameraStatus, ConnectionState } from '../../../shared/domain/types';
import { useI18n } from '../i18n/i18n';

export function ConnectionBar(props: { connection: ConnectionState | null; camera: CameraStatus | null }): ReactNode {
  const { t } = useI18n();
  const c = props.connection;
  const items: { key: string; text: string; tone: 'ok' | 'warn' | 'bad' }[] = [];
  if (c) {
    if (c.api === 'online') items.push({ key: 'api', text: t('conn.online'), tone: 'ok' });
    else if (c.api === 'offline') items.push({ key: 'api', text: t('conn.offline'), tone: 'warn' });
    // Main's reason (the server's refusal) is for the manager's diagnostics, not for staff.
    else if (c.api === 'paused') items.push({ key: 'api', text: t('conn.paused'), tone: 'bad' });
    else items.push({ key: 'api', text: t('conn.unconfigured'), tone: 'warn' });
    if (c.pendingPunches > 0) {
      items.push({ key: 'pending', text: t('conn.waiting', { n: c.pendingPunches }), tone: 'warn' });
    }
    if (c.needsReview > 0) items.push({ key: 'review', text: t('conn.review', { n: c.needsReview }), tone: 'bad' });
    if (c.realtime === 'unavailable' || c.realtime === 'offline') items.push({ key: 'rt', text: t('conn.liveOff'), tone: 'warn' });
  }
  const cam = props.camera?.state;
  if (cam === 'unavailable' || cam === 'no_device' || cam === 'stopped') {
    items.push({ key: 'cam', text: cam === 'no_device' ? t('camera.noDevice') : t('camera.unavailable'), tone: 'bad' });
  }
  return (
    <ul className="connbar" aria-live="polite" data-testid="connection">
      {items.map((item) => (
        <li key={item.key} className={`pill pill--${item.tone}`}>
          <span className="pill__dot" aria-hidden="true" />
          {item.text}
        </li>
      ))}
    </ul>
  );
}
