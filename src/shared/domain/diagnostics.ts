/** The figures Admin > Diagnostics shows, in the order a support call checks them. */
import type { JobQueueSummary } from './jobs';

export interface Diagnostics {
  versions: Record<string, string>;
  camera: { state: string; fps: number; restarts: number; device: string | null };
  face: { analysedFps: number; stageMs: Record<string, number>; decisions: number; workerRestarts: number };
  queue: { pending: number; needsReview: number; synced: number; oldestPendingAt: string | null };
  /** The outgoing job queue: face registrations and removals on their way to HotelMate. */
  jobs: JobQueueSummary;
  sync: { api: string; lastSyncAt: string | null; lastError: string | null };
  realtime: { state: string; events: number; lastEventAt: string | null };
  health: { rendererRestarts: number; watchdogRestarts: number; uptimeSeconds: number };
  recentErrors: string[];
  /** How safe the kiosk's data is (absent from older kiosks). */
  storage?: {
    /** False when keys and the API token sit in secrets.json protected only by base64 (no OS keyring). */
    secretsProtected: boolean;
    lastBackupAt: string | null;
    lastBackupError: string | null;
  };
}
