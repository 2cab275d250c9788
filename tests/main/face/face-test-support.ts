/** Shared helpers for the face tests: the real-photo fixtures of face-photos.ts plus a real database in a temp dir (removed after each test). */
import path from 'node:path';
import { openDatabase, type WritableDB } from '../../../src/main/db/database';
import { makeTempDir } from '../../support/temp-dir';

export { analysePhotos, emptyFrame, manualClock, MODELS_DIR, realPipeline, replayingAnalyser, stillPhotoConfig, type AnalysedPhoto, type ManualClock } from './face-photos';

export function tempDatabase(): { db: WritableDB; file: string } {
  const file = path.join(makeTempDir('face-db-'), 'kiosk.sqlite');
  return { db: openDatabase({ file }), file };
}
