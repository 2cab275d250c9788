/** The "Clock without face" button, offered on the idle screen while the camera is down. */
import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n';

export function ClockWithoutFaceButton(props: { onClick: () => void }): ReactNode {
  const { t } = useI18n();
  return (
    <button type="button" className="btn btn--primary" data-testid="clock-without-face" onClick={props.onClick}>
      {t('manual.start')}
    </button>
  );
}
