/** Keeps the screen awake while the kiosk runs (staff must see it without touching anything). */
import { powerSaveBlocker } from 'electron';
import type { Logger } from '../logging/logger';

/** Starts blocking display sleep; returns the function that releases it. */
export function preventDisplaySleep(logger: Logger): () => void {
  const id = powerSaveBlocker.start('prevent-display-sleep');
  logger.child('power').info('display sleep prevented', { active: powerSaveBlocker.isStarted(id) });
  return () => {
    if (powerSaveBlocker.isStarted(id)) powerSaveBlocker.stop(id);
  };
}
