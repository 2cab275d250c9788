/**
 * Choosing the camera, undoably: every camera this screen has seen listed and the one in the
 * config stay in the list (choosing Automatic never makes the configured camera disappear), the
 * one the kiosk is using now is marked, and a camera that is not connected right now says so.
 */
import { useEffect, useId, useState, type ReactNode } from 'react';
import type { CameraDevice, CameraStatus } from '../../../shared/domain/types';
import { reportError, useKiosk } from '../api';
import { useI18n } from '../i18n/i18n';
import './wizard/wizard.css';

/** One line of the camera list. */
export interface CameraChoice {
  /** `auto`, a device id or `file:<path>`. */
  id: string;
  label: string;
  /** Listed by the kiosk right now (always true for `auto`). */
  connected: boolean;
  /** The device the camera service is using now. */
  inUse: boolean;
}

/** Cameras listed at any time while this renderer runs, id -> label: a camera never vanishes from the list. */
const seenCameras = new Map<string, string>();

/** Remembers the cameras of a `camera:list` answer (for tests: `seenCameras` is per renderer). */
export function rememberCameras(list: readonly CameraDevice[]): void {
  for (const camera of list) seenCameras.set(camera.id, camera.label);
}

/** For tests: forget the remembered cameras. */
export function forgetSeenCameras(): void {
  seenCameras.clear();
}

/**
 * The camera list: Automatic, then every camera listed now or seen before, then the configured and
 * the originally configured device if neither was ever listed (a file, an unplugged camera). Pure
 * apart from the remembered cameras.
 */
export function cameraChoices(listed: readonly CameraDevice[], keep: readonly string[], status: CameraStatus | null): CameraChoice[] {
  const connected = new Set(listed.map((c) => c.id));
  const labels = new Map(seenCameras);
  for (const camera of listed) labels.set(camera.id, camera.label);
  for (const id of keep) if (id !== 'auto' && !labels.has(id)) labels.set(id, id.startsWith('file:') ? id.slice('file:'.length) : id);
  const inUse = status?.state === 'streaming' || status?.state === 'starting' ? status.deviceId : null;
  return [
    { id: 'auto', label: '', connected: true, inUse: false },
    ...[...labels].map(([id, label]) => ({ id, label, connected: connected.has(id) || id.startsWith('file:'), inUse: id === inUse })),
  ];
}

export interface CameraPickerProps {
  value: string;
  onChange: (device: string) => void;
  status: CameraStatus | null;
  /** Shown under the list (a field problem). */
  error?: string | null;
}

/** The camera list as big radio options (touch), with the plain-language marks. */
export function CameraPicker(props: CameraPickerProps): ReactNode {
  const api = useKiosk();
  const { t } = useI18n();
  const name = useId();
  const [listed, setListed] = useState<CameraDevice[]>([]);
  // The device configured when the picker opened stays offered after switching to Automatic.
  const [original] = useState(props.value);

  useEffect(() => {
    let live = true;
    api.invoke('camera:list').then(
      (list) => {
        rememberCameras(list);
        if (live) setListed(list);
      },
      (error: unknown) => reportError(api, 'camera:list failed', error),
    );
    return () => {
      live = false;
    };
  }, [api]);

  const choices = cameraChoices(listed, [original, props.value], props.status);
  return (
    <div className="camera-picker" role="radiogroup" aria-label={t('setup.cameraDevice')} data-testid="camera-picker">
      {choices.map((choice) => {
        const marks = [
          choice.inUse ? t('setup.cameraInUse') : null,
          choice.connected ? null : t('setup.cameraNotConnected'),
        ].filter(Boolean);
        return (
          <label key={choice.id} className={`camera-picker__option ${props.value === choice.id ? 'is-active' : ''}`}>
            <input type="radio" name={name} value={choice.id} checked={props.value === choice.id} onChange={() => props.onChange(choice.id)} />
            <span>
              <span className="camera-picker__name">{choice.id === 'auto' ? t('setup.cameraAuto') : choice.label}</span>
              {marks.length > 0 && <span className="camera-picker__mark"> · {marks.join(' · ')}</span>}
            </span>
          </label>
        );
      })}
      {props.error && <span className="field__error">{props.error}</span>}
    </div>
  );
}
