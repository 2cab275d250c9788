/**
 * The idle screen (also shown, with guidance, while a face is in view): hotel name, large clock,
 * live preview with the face oval, connection and camera state, on-duty board, language switcher.
 */
import type { ReactNode } from 'react';
import type {
  CameraStatus,
  ConnectionState,
  FaceObservation,
  KioskInfo,
  Language,
  OnDutyBoard,
} from '../../../shared/domain/types';
import { CameraPreview } from '../components/CameraPreview';
import { ConnectionBar } from '../components/ConnectionBar';
import { DutyBoard } from '../components/DutyBoard';
import { LanguageSwitcher } from '../components/LanguageSwitcher';
import { LiveClock } from '../components/LiveClock';
import { useI18n } from '../i18n/i18n';

export interface IdleScreenProps {
  info: KioskInfo;
  connection: ConnectionState | null;
  camera: CameraStatus | null;
  board: OnDutyBoard | null;
  /** Present while a face is in view (the "guidance" state). */
  observation: FaceObservation | null;
  onLanguage: (language: Language) => void;
  onManager: () => void;
  /** The face in view already had its decision (greeted, or not recognised): the person asks for a fresh one. */
  onStartAgain?: () => void;
  /** Another way to clock while the camera is down (the coming "clock without face" fallback). */
  cameraDownActions?: ReactNode;
}

export function IdleScreen(props: IdleScreenProps): ReactNode {
  const { t } = useI18n();
  const obs = props.observation;
  const cameraState = props.camera?.state;
  const cameraDown = cameraState === 'unavailable' || cameraState === 'no_device' || cameraState === 'stopped';
  let caption: string | null = null;
  if (obs) {
    if (obs.checking) caption = t('guide.checking');
    else if (obs.settled) caption = t('guide.settled');
    else if (obs.guidance !== 'ok') caption = t(`guide.${obs.guidance}`);
    else caption = t('guide.ok');
  }
  return (
    <main className={`screen idle ${props.info.showBoard ? 'idle--board' : ''}`} data-testid="idle">
      <header className="topbar">
        <h1 className="topbar__hotel">{props.info.hotelName}</h1>
        <ConnectionBar connection={props.connection} camera={props.camera} />
      </header>
      <section className="idle__left">
        <LiveClock />
        {cameraDown ? (
          <div className="idle__prompt idle__prompt--down" role="status" data-testid="camera-down">
            <p>{t('idle.cameraDown')}</p>
            <p className="idle__prompt-help">{t('idle.cameraDownHelp')}</p>
            {/* The "clock without face" fallback (PIN or manager approval) goes here when it exists. */}
            {props.cameraDownActions}
          </div>
        ) : obs?.settled && props.onStartAgain ? (
          <button type="button" className="btn btn--large btn--primary" data-testid="start-again" onClick={props.onStartAgain}>
            {t('idle.startAgain')}
          </button>
        ) : (
          <p className="idle__prompt">{t('idle.prompt')}</p>
        )}
        {props.info.showBoard && <DutyBoard board={props.board} />}
      </section>
      <section className="idle__camera">
        <CameraPreview
          status={props.camera}
          caption={caption}
          checking={obs?.checking ?? false}
          faces={obs?.faces ?? []}
        />
      </section>
      <footer className="idle__footer">
        <LanguageSwitcher onChange={props.onLanguage} />
        <button type="button" className="btn btn--quiet" aria-label={t('idle.managerLabel')} onClick={props.onManager}>
          {t('idle.manager')}
        </button>
      </footer>
    </main>
  );
}
